import Microcosm

/// What a handler gets besides its message: the graph (a store, the producer), the opaque values
/// the message is handled with, the consumed message itself and its media type.
///
/// While the handler runs, `graph.opaque` holds ``opaque`` too, so every message the handler
/// produces carries them on (with the `handler` key, as microcosm-pubsub adds it).
///
/// ```swift
/// handlers.register(OrderCreated.self) { order, context in
///     try await context.graph.orderStore.save(order)
///     try await context.graph.snsProducer.produce(.changed("Order"), ["field_name": "status", "new_value": "stored"],
///                                                 uri: order.uri)
///     context.graph.logger.info("stored \(order.uri)")        // with x-request-id and the other opaque values
///     return true
/// }
/// ```
public struct HandlerContext: Sendable {
    /// The graph of the service: resolve what the handler needs from it.
    public let graph: Graph
    /// The message as consumed (message id, receive count, receipt handle, raw content, SQS message).
    public let message: ConsumedMessage
    /// The message's media type.
    public let mediaType: MediaType
    /// The opaque values the message is handled with (its opaque data, `message_id`, `uri`,
    /// `x-request-ttl`, `receipt_handle`, `handler`): `graph.opaque.values` while the handler runs.
    public let opaque: OpaqueValues

    /// A context for `message` of `mediaType`, handled with `opaque` values.
    public init(graph: Graph, message: ConsumedMessage, mediaType: MediaType, opaque: OpaqueValues) {
        self.graph = graph
        self.message = message
        self.mediaType = mediaType
        self.opaque = opaque
    }
}
