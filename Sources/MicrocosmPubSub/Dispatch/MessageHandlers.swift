import Microcosm

/// The handlers of a service, per media type (microcosm-pubsub's `SQSMessageHandlerRegistry`),
/// bound as `sqs_message_handler_registry`.
///
/// A handler is a ``MessageHandler`` type built from the graph once, or a closure; either gets the
/// message decoded as its type and a ``HandlerContext`` (the graph, the opaque values, the consumed
/// message). A media type is exact, or a pattern with a trailing `.*` standing for one more
/// segment, as the schema registry matches them; an exact registration wins over a pattern. When
/// the dispatcher is created, each registration also registers its media type with the graph's
/// ``PubSubMessageSchemaRegistry`` (a typed message's schema, else the media type, so convention
/// messages are read), each handler type is built, and two handlers for one media type are an
/// error (``MessageHandlersError``) naming it.
///
/// ``BatchMessageHandler`` is registered from the start for microcosm's batch message; registering
/// another handler for ``BatchMessage/mediaType`` replaces it.
///
/// ```swift
/// var handlers = MessageHandlers()
/// handlers.register(ShipOrder.self)                           // a MessageHandler: OrderCreated's media type
/// handlers.register(OrderShipped.self) { shipped, context in  // a closure, typed
///     guard shipped.carrier != "test" else { throw SkipMessage("test shipment") }
///     return try await context.graph.orderStore.markShipped(shipped.uri)
/// }
/// handlers.register(.deleted("Thing")) { message, context in  // a closure, the message as consumed
///     try await context.graph.thingStore.remove(message.decode(IdentityMessage.self).id)
/// }
/// graph.assign(.sqsMessageHandlers, handlers)
/// let dispatcher = try graph.sqsMessageDispatcher             // checks and builds the handlers
/// ```
public struct MessageHandlers: Sendable, CustomStringConvertible {
    /// A handler closure taking the message as consumed: true when the message was handled, false when skipped.
    public typealias Handler = @Sendable (ConsumedMessage) async throws -> Bool

    /// How the dispatcher calls a handler: the message as consumed and its context.
    typealias Invoke = @Sendable (ConsumedMessage, HandlerContext) async throws -> Bool

    struct Registration: Sendable {
        enum Source: Sendable {
            case closure(Invoke)
            /// A handler type: its identity (one instance per type), how to build it, how to call it.
            case type(ObjectIdentifier, make: @Sendable (Graph) throws -> any MessageHandler,
                      invoke: @Sendable (any MessageHandler) -> Invoke)
        }

        var mediaType: MediaType
        /// How errors and start-up logs name the handler: the type, or the closure's place.
        var name: String
        /// The opaque `handler` value while it runs: Python's `titleize(handler.__class__.__name__)`.
        var opaqueName: String
        var source: Source
        /// Registers what the handler reads: a typed message's schema, or the media type alone.
        var registerSchema: @Sendable (PubSubMessageSchemaRegistry) throws -> Void
        /// True for the built-in batch message handler, which another registration replaces.
        var isDefault = false
    }

    private(set) var registrations: [Registration]

    /// Handlers with only the built-in ``BatchMessageHandler`` (for `created.batch_message`).
    public init() {
        registrations = []
        append(Self.typeRegistration(BatchMessageHandler.self, for: BatchMessage.mediaType, invoke: Self.raw,
                                     registerSchema: { try $0.register(BatchMessage.self) }, isDefault: true))
    }

    // MARK: Handler types

    /// Registers handler type `H` for its message type's media type; `H.Message`'s schema is registered too.
    ///
    /// ```swift
    /// handlers.register(ShipOrder.self)      // struct ShipOrder: MessageHandler { func handle(_ order: OrderCreated, context: HandlerContext) ... }
    /// ```
    public mutating func register<H: MessageHandler>(_ handlerType: H.Type) where H.Message: PubSubMessage {
        append(Self.typeRegistration(H.self, for: H.Message.mediaType, invoke: Self.decoding,
                                     registerSchema: { try $0.register(H.Message.self) }))
    }

    /// Registers handler type `H`, whose message type is any `Decodable` (``URIMessage``, your own),
    /// for `mediaType` (exact, or a trailing-`.*` pattern).
    public mutating func register<H: MessageHandler>(_ handlerType: H.Type, for mediaType: MediaType) where H.Message: Decodable {
        append(Self.typeRegistration(H.self, for: mediaType, invoke: Self.decoding, registerSchema: { $0.register(mediaType) }))
    }

    /// Registers handler type `H`, taking the message as consumed, for `mediaType` (exact, or a
    /// trailing-`.*` pattern); one `H` is built from the graph for all its media types.
    public mutating func register<H: MessageHandler>(_ handlerType: H.Type, for mediaType: MediaType) where H.Message == ConsumedMessage {
        append(Self.typeRegistration(H.self, for: mediaType, invoke: Self.raw, registerSchema: { $0.register(mediaType) }))
    }

    /// Registers handler type `H`, taking the message as consumed, for messages of type `M` (its
    /// media type); `M`'s schema is registered too.
    public mutating func register<H: MessageHandler, M: PubSubMessage>(_ handlerType: H.Type, for messageType: M.Type)
    where H.Message == ConsumedMessage {
        append(Self.typeRegistration(H.self, for: M.mediaType, invoke: Self.raw, registerSchema: { try $0.register(M.self) }))
    }

    // MARK: Closures

    /// Registers `handler` for messages of type `M` (its media type); `M`'s schema is registered too.
    ///
    /// The message's content is decoded as `M` before `handler` runs; content that does not fit
    /// makes the result FAILED.
    ///
    /// ```swift
    /// handlers.register(OrderCreated.self) { order, context in
    ///     try await context.graph.orderStore.save(order)
    ///     return true
    /// }
    /// ```
    public mutating func register<M: PubSubMessage>(_ type: M.Type, file: String = #fileID, line: UInt = #line,
                                                    _ handler: @escaping @Sendable (M, HandlerContext) async throws -> Bool) {
        append(Registration(mediaType: M.mediaType, name: "\(M.self) closure at \(file):\(line)", opaqueName: Self.closureName,
                            source: .closure { message, context in try await handler(try message.decode(M.self), context) },
                            registerSchema: { try $0.register(M.self) }))
    }

    /// Registers `handler` for messages of type `M` (its media type), without the context.
    public mutating func register<M: PubSubMessage>(_ type: M.Type, file: String = #fileID, line: UInt = #line,
                                                    _ handler: @escaping @Sendable (M) async throws -> Bool) {
        register(M.self, file: file, line: line) { message, _ in try await handler(message) }
    }

    /// Registers `handler` for `mediaType` (exact, or a trailing-`.*` pattern), with the message as consumed.
    ///
    /// ```swift
    /// handlers.register(.deleted("Thing")) { message, context in
    ///     try await context.graph.thingStore.remove(message.decode(IdentityMessage.self).id)
    /// }
    /// ```
    public mutating func register(_ mediaType: MediaType, file: String = #fileID, line: UInt = #line,
                                  _ handler: @escaping @Sendable (ConsumedMessage, HandlerContext) async throws -> Bool) {
        append(Registration(mediaType: mediaType, name: "closure at \(file):\(line)", opaqueName: Self.closureName,
                            source: .closure(handler), registerSchema: { $0.register(mediaType) }))
    }

    /// Registers `handler` for `mediaType`, with the message as consumed, without the context.
    public mutating func register(_ mediaType: MediaType, file: String = #fileID, line: UInt = #line,
                                  _ handler: @escaping Handler) {
        register(mediaType, file: file, line: line) { message, _ in try await handler(message) }
    }

    // MARK: Reading

    /// The media types and patterns with a handler, sorted.
    public var mediaTypes: [MediaType] {
        Set(registrations.map(\.mediaType)).sorted { $0.rawValue < $1.rawValue }
    }

    /// One `<media type>: <handler>` line per registration, in registration order.
    public var description: String {
        registrations.map { "\($0.mediaType): \($0.name)" }.joined(separator: "\n")
    }

    private mutating func append(_ registration: Registration) {
        registrations.removeAll { $0.isDefault && $0.mediaType == registration.mediaType }
        registrations.append(registration)
    }

    /// The `handler` opaque value of a closure: Python's for a function handler.
    static let closureName = Inflection.titleize("function")

    private static func typeRegistration<H: MessageHandler>(
        _ type: H.Type, for mediaType: MediaType, invoke: @escaping @Sendable (H) -> Invoke,
        registerSchema: @escaping @Sendable (PubSubMessageSchemaRegistry) throws -> Void, isDefault: Bool = false
    ) -> Registration {
        let name = String(describing: H.self)
        return Registration(mediaType: mediaType, name: name, opaqueName: H.handlerName,
                            source: .type(ObjectIdentifier(H.self), make: { graph in try H(graph: graph) },
                                          invoke: { handler in invoke(handler as! H) }),
                            registerSchema: registerSchema, isDefault: isDefault)
    }

    /// Calls `handler` with the message decoded as its `Message`.
    private static func decoding<H: MessageHandler>(_ handler: H) -> Invoke where H.Message: Decodable {
        { message, context in try await handler.handle(try message.decode(H.Message.self), context: context) }
    }

    /// Calls `handler` with the message as consumed.
    private static func raw<H: MessageHandler>(_ handler: H) -> Invoke where H.Message == ConsumedMessage {
        { message, context in try await handler.handle(message, context: context) }
    }
}
