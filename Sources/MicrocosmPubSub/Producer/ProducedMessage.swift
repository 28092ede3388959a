import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// A message made ready to publish: encoded, validated, its opaque data captured and its topic
/// chosen (microcosm-pubsub's `PubsubMessage`). Deferred producers hold these until their scope ends.
///
/// ```swift
/// try await graph.snsProducer.deferred { producer in
///     try producer.produce(.created("Thing"), uri: "http://things/1")
///     producer.messages[0].topicArn     // chosen already
///     producer.messages[0].message      // the exact SNS Message text
/// }
/// ```
public struct ProducedMessage: Sendable, Hashable {
    /// The media type (also the `media_type` message attribute).
    public var mediaType: MediaType
    /// The SNS `Message`: the encoded message text.
    public var message: String
    /// The topic it goes to.
    public var topicArn: String
    /// The opaque data written into the message.
    public var opaqueData: JSONObject
    /// The SNS message attributes: `media_type` (String).
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO topics: the message group (messages of one group are delivered in order); nil for
    /// standard topics.
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id (a second message with it within 5 minutes is accepted
    /// but not delivered); nil for standard topics.
    public var messageDeduplicationId: String?

    /// A message to publish; `messageAttributes` default to the `media_type` attribute microcosm-pubsub sets.
    public init(mediaType: MediaType, message: String, topicArn: String, opaqueData: JSONObject,
                messageAttributes: [String: MessageAttributeValue]? = nil, messageGroupId: String? = nil,
                messageDeduplicationId: String? = nil) {
        self.mediaType = mediaType
        self.message = message
        self.topicArn = topicArn
        self.opaqueData = opaqueData
        self.messageAttributes = messageAttributes ?? [PubSubWire.mediaTypeAttribute: .string(mediaType.rawValue)]
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }

    /// The bytes SNS counts toward its size limit: the message and its attributes.
    public var size: Int { message.utf8.count + RequestValidation.attributesSize(messageAttributes) }

    /// This message as an entry of microcosm-pubsub's batch message, attributes in boto3's shape
    /// (`{"media_type": {"DataType": "String", "StringValue": ...}}`; string attributes only).
    public var batchedMessage: BatchedMessage {
        var attributes = JSONObject()
        for name in messageAttributes.keys.sorted() {
            let value = messageAttributes[name]!
            var attribute: JSONObject = ["DataType": .string(value.dataType)]
            if let text = value.stringValue { attribute["StringValue"] = .string(text) }
            attributes[name] = .object(attribute)
        }
        return BatchedMessage(mediaType: mediaType, message: message, topicArn: topicArn, opaqueData: opaqueData,
                              messageAttributes: attributes)
    }
}
