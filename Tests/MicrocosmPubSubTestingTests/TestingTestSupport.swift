import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

let ordersTopic = "arn:aws:sns:us-east-1:123456789012:orders"
let auditTopic = "arn:aws:sns:us-east-1:123456789012:audit"
/// A media type with the dynamic schema: any fields are written as given.
let noteAdded: MediaType = "application/vnd.globality.pubsub._.note_added.order"

/// A typed message, as an application declares one.
struct OrderShipped: PubSubMessage, Equatable {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
    var uri: String
    var carrier: String
    var trackingNumber: String?
    enum CodingKeys: String, CodingKey { case uri, carrier, trackingNumber = "tracking_number" }
}

/// A typed message that cannot be encoded.
struct Unencodable: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.broken.order"
    var value: Double
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "never encodable"))
    }
}

/// A testing graph with the orders and audit topics, the note_added media type registered as dynamic.
func ordersGraph(config: JSONObject = [:], clock: ManualBrokerClock? = nil) async throws -> Graph {
    var settings: JSONObject = ["sns_topic_arns": [
        "default": .string(ordersTopic), "mappings": [noteAdded.rawValue: .string(auditTopic)],
    ]]
    settings = Configuration.merge(settings, config)
    let graph = try await Graph.pubsubTesting(name: "orders", config: settings, clock: clock)
    try graph.pubsubMessageSchemaRegistry.register(.dynamic, for: noteAdded)
    return graph
}

/// Publishes as the SNS producer does: the registry's text, with the `media_type` attribute.
@discardableResult
func publish(_ graph: Graph, _ mediaType: MediaType, _ fields: JSONObject, to topicArn: String = ordersTopic,
             opaqueData: JSONObject? = nil) async throws -> String {
    let text = try graph.pubsubMessageSchemaRegistry.encode(mediaType, fields: fields, opaqueData: opaqueData)
    return try await publish(graph, text: text, mediaType: mediaType, to: topicArn)
}

/// Publishes a typed message as the SNS producer does.
@discardableResult
func publish<M: PubSubMessage>(_ graph: Graph, _ message: M, to topicArn: String = ordersTopic) async throws -> String {
    try await publish(graph, text: try graph.pubsubMessageSchemaRegistry.encode(message), mediaType: M.mediaType, to: topicArn)
}

/// Publishes `text` through the graph's SNS client.
@discardableResult
func publish(_ graph: Graph, text: String, mediaType: MediaType? = nil, to topicArn: String = ordersTopic) async throws -> String {
    let attributes: [String: MessageAttributeValue] = mediaType.map { [PubSubWire.mediaTypeAttribute: .string($0.rawValue)] } ?? [:]
    let request = PublishRequest(topicArn: topicArn, message: text, messageAttributes: attributes)
    return try await graph.snsClient.publish(request).messageId
}

/// A published message made directly, for the pure matching tests.
func message(_ mediaType: MediaType, _ fields: JSONObject = [:], topic: String = ordersTopic, opaqueData: JSONObject? = nil,
             id: String = "m") -> PublishedMessage {
    var object: JSONObject = ["mediaType": .string(mediaType.rawValue)]
    if let opaqueData { object["opaqueData"] = .object(opaqueData) }
    for (key, value) in fields { object[key] = value }
    let publication = BrokerPublication(topicArn: topic, message: JSONSerializer.python.string(.object(object)),
                                        messageId: id, publishedAt: Date(timeIntervalSince1970: 0))
    do {
        return try PublishedMessage(publication)
    } catch {
        preconditionFailure("\(error)")
    }
}
