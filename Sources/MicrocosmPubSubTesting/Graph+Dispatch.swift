import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// Handing one message to a graph's handlers, as its daemon would.
extension Graph {
    /// Dispatches `message` to this graph's handlers (`sqs_message_handler_registry`) and returns
    /// how that ended, as the daemon's loop would handle it, without a queue.
    ///
    /// The message is encoded as the producer encodes it (its schema, the given opaque data, then
    /// the current `opaque` values, `x-request-published`), delivered as SQS delivers it, read
    /// through the graph's `sqs_consumer` envelope and handed to its `sqs_message_dispatcher`:
    /// handler lookup, schema decoding, TTL, the handler, the result. Nothing is acknowledged and
    /// nothing is published but what the handler publishes.
    ///
    /// Throws when the message cannot be encoded (it does not fit its schema) or the consumer or
    /// dispatcher cannot be made (two handlers for one media type); what the handler throws is the
    /// result's `error`.
    ///
    /// ```swift
    /// let graph = try await OrdersDaemon().testingGraph(config: topics)   // its bindings and handlers
    /// let result = try await graph.dispatch(OrderCreated(uri: "http://orders/1", total: 25))
    /// XCTAssertEqual(result.kind, .succeeded)
    /// ```
    @discardableResult
    public func dispatch<M: PubSubMessage>(_ message: M, opaqueData: OpaqueValues = [:]) async throws -> MessageHandlingResult {
        try await dispatch(opaqueData) { registry, opaque in try registry.encode(message, opaqueData: opaque) }
    }

    /// Dispatches `value` as a message of `mediaType` (``URIMessage`` as `.created("Thing")`, or
    /// a typed message under another media type); see ``dispatch(_:opaqueData:)``.
    @discardableResult
    public func dispatch<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: OpaqueValues = [:]) async throws
        -> MessageHandlingResult {
        try await dispatch(opaqueData) { registry, opaque in try registry.encode(value, as: mediaType, opaqueData: opaque) }
    }

    /// Dispatches a message of `mediaType` with fields from ordinary Swift values, in the form
    /// `produce` takes (`graph.dispatch(.created("Order"), uri: "http://orders/1")`); see
    /// ``dispatch(_:opaqueData:)``.
    @discardableResult
    public func dispatch(_ mediaType: MediaType, _ content: MessageFields = [:], uri: String? = nil,
                         opaqueData: OpaqueValues = [:]) async throws -> MessageHandlingResult {
        var fields = try PubSubWire.object(content, mediaType: mediaType)
        if let uri { fields[PubSubWire.uriKey] = .string(uri) }
        return try await dispatch(opaqueData) { registry, opaque in try registry.encode(mediaType, fields: fields, opaqueData: opaque) }
    }

    private func dispatch(_ opaqueData: OpaqueValues,
                          encode: (PubSubMessageSchemaRegistry, JSONObject) throws -> String) async throws -> MessageHandlingResult {
        let dispatcher = try sqsMessageDispatcher      // first: it registers the handlers' schemas
        var opaque = opaqueData.merging(self.opaque.values).jsonObject
        opaque[PubSubWire.publishedKey] = .string(JSONSerializer.pythonRepr(Date().timeIntervalSince1970))
        let body = try encode(try pubsubMessageSchemaRegistry, opaque)
        let id = UUID().uuidString.lowercased()
        let delivered = SQSMessage(messageId: "message-id-" + id, receiptHandle: "receipt-handle-" + id, body: body,
                                   md5OfBody: SQSMessageDigest.md5OfBody(body), attributes: ["ApproximateReceiveCount": "1"])
        return await dispatcher.dispatch(try sqsConsumer.read(delivered))
    }
}
