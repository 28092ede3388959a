import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub

/// A message published through a testing graph: what the in-memory broker recorded, read as a
/// pubsub message (media type, fields, opaque data) with the topic it went to.
///
/// The text is read as microcosm-pubsub's matchers read it: any JSON object with a `mediaType`
/// string; the schema is not consulted, so an assertion never depends on what is registered.
///
/// ```swift
/// let published = try await graph.published
/// XCTAssertEqual(published.map(\.mediaType), [.created("Order")])
/// XCTAssertEqual(published[0].uri, "http://orders/1")
/// XCTAssertEqual(published[0].opaqueData?["x-request-id"], "req-1")
/// let shipped = try published[1].decode(OrderShipped.self)
/// ```
public struct PublishedMessage: Sendable, Hashable, CustomStringConvertible {
    /// What the broker recorded: topic, text, attributes, message id, time.
    public var publication: BrokerPublication
    /// The message read from the text: media type, fields, opaque data.
    public var content: PubSubMessageContent

    /// Reads `publication`'s text as a pubsub message.
    ///
    /// Throws ``PubSubMessageError`` when the text is not JSON, not an object, has no `mediaType`
    /// string, or has `opaqueData` that is not an object.
    public init(_ publication: BrokerPublication) throws(PubSubMessageError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(publication.message)
        } catch {
            throw .notJSON(error)
        }
        guard case .object(var object) = value else { throw .notAnObject(value) }
        guard case .string(let mediaType)? = object[PubSubWire.mediaTypeField] else {
            throw .missingMediaType(seen: object[PubSubWire.mediaTypeField])
        }
        object[PubSubWire.mediaTypeField] = nil
        var opaqueData: JSONObject?
        if let opaque = object.removeValue(forKey: PubSubWire.opaqueDataField) {
            guard case .object(let values) = opaque else {
                throw .invalidContent(MediaType(mediaType),
                                      JSONValueDecoderError.typeMismatch(PubSubWire.opaqueDataField, expected: "object", seen: opaque))
            }
            opaqueData = values
        }
        self.publication = publication
        self.content = PubSubMessageContent(mediaType: MediaType(mediaType), fields: object, opaqueData: opaqueData)
    }

    /// The media type (`mediaType`).
    public var mediaType: MediaType { content.mediaType }
    /// The message's own fields, in the order written (without `mediaType` and `opaqueData`).
    public var fields: JSONObject { content.fields }
    /// The opaque data (`opaqueData`); nil when the message has none.
    public var opaqueData: JSONObject? { content.opaqueData }
    /// The `uri` field, when it is a string.
    public var uri: String? { content.uri }
    /// The topic it was published to.
    public var topicArn: String { publication.topicArn }
    /// The SNS message id the publisher was given.
    public var messageId: String { publication.messageId }
    /// The message attributes (`media_type` for messages microcosm-pubsub writes).
    public var messageAttributes: [String: MessageAttributeValue] { publication.messageAttributes }
    /// The message text, as published.
    public var text: String { publication.message }

    /// The fields decoded as `type`.
    ///
    /// Throws ``PubSubMessageError`` naming the media type and the field.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(PubSubMessageError) -> T {
        try content.decode(type)
    }

    /// `<media type> <fields> on <topic>`, one line.
    public var description: String {
        "\(mediaType) \(PublishedMessage.render(.object(fields))) on \(topicArn)"
    }

    /// JSON as the failure messages show it: one line, spaces after separators, UTF-8 kept.
    static func render(_ value: JSONValue) -> String {
        JSONSerializer(itemSeparator: ", ", keySeparator: ": ").string(value)
    }
}
