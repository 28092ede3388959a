import Microcosm
import MicrocosmJSON

/// One message inside a ``BatchMessage``: everything needed to publish it later
/// (microcosm-pubsub's `BatchedMessageSchema`).
///
/// ```swift
/// let inner = try registry.encode(URIMessage(uri: "http://things/1"), as: .created("Thing"), opaqueData: opaque)
/// let entry = BatchedMessage(mediaType: .created("Thing"), message: inner, topicArn: arn, opaqueData: opaque)
/// ```
public struct BatchedMessage: Codable, Sendable, Hashable {
    /// The inner message's media type (`media_type`).
    public var mediaType: MediaType
    /// The inner message, already encoded: the text to publish as the SNS `Message`.
    public var message: String
    /// The topic to publish it to (`topic_arn`).
    public var topicArn: String
    /// The inner message's opaque data (`opaque_data`).
    public var opaqueData: JSONObject
    /// The SNS message attributes to publish it with (`message_attributes`), in boto3's shape:
    /// `{"media_type": {"DataType": "String", "StringValue": "..."}}`.
    public var messageAttributes: JSONObject

    /// An entry; `messageAttributes` defaults to the `media_type` attribute microcosm-pubsub sets.
    public init(mediaType: MediaType, message: String, topicArn: String, opaqueData: JSONObject,
                messageAttributes: JSONObject? = nil) {
        self.mediaType = mediaType
        self.message = message
        self.topicArn = topicArn
        self.opaqueData = opaqueData
        self.messageAttributes = messageAttributes ?? BatchedMessage.attributes(for: mediaType)
    }

    /// The message attributes microcosm-pubsub publishes with every message: its media type.
    public static func attributes(for mediaType: MediaType) -> JSONObject {
        [PubSubWire.mediaTypeAttribute: ["DataType": "String", "StringValue": .string(mediaType.rawValue)]]
    }

    enum CodingKeys: String, CodingKey {
        case mediaType = "media_type"
        case message
        case topicArn = "topic_arn"
        case opaqueData = "opaque_data"
        case messageAttributes = "message_attributes"
    }
}
