import Microcosm

/// A message handler type, built from the graph once, when the dispatcher is created (a
/// microcosm handler class bound in the graph), handling messages of its `Message` type.
///
/// `init(graph:)` resolves what the handler needs; it runs while the graph is being checked, so
/// bad configuration stops the service at start-up. `handle(_:context:)` gets each message decoded
/// as `Message` and a ``HandlerContext``; it returns true when the message was handled (SUCCEEDED)
/// and false when there was nothing to do (SKIPPED); it may throw ``SkipMessage``,
/// ``IgnoreMessage`` or ``Nack``, and any other error makes the result FAILED.
///
/// Register it with `handlers.register(ShipOrder.self)`: the media type is `Message`'s. For a
/// `Message` that is not a ``PubSubMessage`` (``URIMessage``, your own `Decodable`), name the media
/// type: `handlers.register(RefreshThing.self, for: .created("Thing"))`. For the raw message, make
/// `Message` ``ConsumedMessage``.
///
/// ```swift
/// struct ShipOrder: MessageHandler {
///     let store: OrderStore
///     init(graph: Graph) throws { store = try graph.orderStore }
///     func handle(_ order: OrderCreated, context: HandlerContext) async throws -> Bool {
///         try await store.ship(order.uri)
///         try await context.graph.snsProducer.produce(OrderShipped(uri: order.uri))
///         return true
///     }
/// }
/// var handlers = MessageHandlers()
/// handlers.register(ShipOrder.self)                        // OrderCreated.mediaType
/// ```
///
/// Handlers written before `Message` existed, with `handle(_ message: ConsumedMessage)`, still
/// conform: their `Message` is ``ConsumedMessage``.
public protocol MessageHandler: Sendable {
    /// The type each message is decoded as: a ``PubSubMessage``, another `Decodable`, or
    /// ``ConsumedMessage`` for the message as consumed.
    associatedtype Message: Sendable = ConsumedMessage

    /// The handler's name in the opaque `handler` value while it runs (so in every message it
    /// produces) and in the result's log line; by default the type's name titleized, as
    /// microcosm-pubsub's `titleize(handler.__class__.__name__)` (`ShipOrder` -> `Ship Order`).
    static var handlerName: String { get }

    /// Builds the handler from the graph (called once per dispatcher, before any message).
    init(graph: Graph) throws

    /// Handles one message: true when handled, false when skipped.
    func handle(_ message: Message, context: HandlerContext) async throws -> Bool

    /// Handles one message as consumed: the form of handlers written before
    /// ``handle(_:context:)``. Implement ``handle(_:context:)`` instead; the dispatcher never
    /// calls this for a handler that does.
    func handle(_ message: ConsumedMessage) async throws -> Bool
}

extension MessageHandler {
    /// The type's name titleized (`ShipOrderHandler` -> `Ship Order Handler`).
    public static var handlerName: String { Inflection.titleize(String(describing: Self.self)) }

    /// Not called by the dispatcher for handlers that implement ``handle(_:context:)``.
    public func handle(_ message: ConsumedMessage) async throws -> Bool {
        throw HandlerFormError(handler: String(describing: Self.self))
    }
}

extension MessageHandler where Message == ConsumedMessage {
    /// Calls ``handle(_:)``, for handlers written before ``handle(_:context:)``.
    public func handle(_ message: ConsumedMessage, context: HandlerContext) async throws -> Bool {
        try await handle(message)
    }
}

/// A handler type implements neither form of `handle`.
struct HandlerFormError: Error, CustomStringConvertible {
    let handler: String
    var description: String { "\(handler) implements neither handle(_:context:) nor handle(_:)" }
}
