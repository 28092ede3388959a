import Microcosm

/// The handlers of a service, per media type (microcosm-pubsub's `SQSMessageHandlerRegistry`),
/// bound as `sqs_message_handler_registry`.
///
/// A media type is exact, or a pattern with a trailing `.*` standing for one more segment, as the
/// schema registry matches them; an exact registration wins over a pattern. A handler is a
/// closure, a closure taking a typed ``PubSubMessage``, or a ``MessageHandler`` type built from the
/// graph once. When the dispatcher is created, each registration also registers its media type with
/// the graph's ``PubSubMessageSchemaRegistry`` (a typed message's schema, else the media type, so
/// convention messages are read), each handler type is built, and two handlers for one media type
/// are an error (``MessageHandlersError``) naming it.
///
/// ``BatchMessageHandler`` is registered from the start for microcosm's batch message; registering
/// another handler for ``BatchMessage/mediaType`` replaces it.
///
/// ```swift
/// var handlers = MessageHandlers()
/// handlers.register(.created("Thing")) { message in
///     try await things.fetch(message.decode(URIMessage.self).uri)
///     return true
/// }
/// handlers.register(OrderShipped.self) { shipped in
///     guard shipped.carrier != "test" else { throw SkipMessage("test shipment") }
///     return try await orders.markShipped(shipped.uri)
/// }
/// handlers.register(ThingDeletedHandler.self, for: .deleted("Thing"))
/// graph.assign(.sqsMessageHandlers, handlers)
/// let dispatcher = try graph.sqsMessageDispatcher        // checks and builds the handlers
/// ```
public struct MessageHandlers: Sendable, CustomStringConvertible {
    /// A handler closure: true when the message was handled, false when skipped.
    public typealias Handler = @Sendable (ConsumedMessage) async throws -> Bool

    struct Registration: Sendable {
        enum Source: Sendable {
            case closure(Handler)
            /// A handler type: its identity (one instance per type) and how to build it.
            case type(ObjectIdentifier, make: @Sendable (Graph) throws -> any MessageHandler)
        }

        var mediaType: MediaType
        /// How errors and start-up logs name the handler: the type, or the closure's place.
        var name: String
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
        append(Registration(mediaType: BatchMessage.mediaType, name: String(describing: BatchMessageHandler.self),
                            source: Self.typeSource(BatchMessageHandler.self),
                            registerSchema: { try $0.register(BatchMessage.self) }, isDefault: true))
    }

    /// Registers `handler` for `mediaType` (exact, or a trailing-`.*` pattern).
    ///
    /// ```swift
    /// handlers.register(.deleted("Thing")) { message in
    ///     try await store.remove(message.decode(IdentityMessage.self).id)
    /// }
    /// ```
    public mutating func register(_ mediaType: MediaType, file: String = #fileID, line: UInt = #line,
                                  _ handler: @escaping Handler) {
        append(Registration(mediaType: mediaType, name: "closure at \(file):\(line)", source: .closure(handler),
                            registerSchema: { $0.register(mediaType) }))
    }

    /// Registers `handler` for messages of type `M` (its media type); `M`'s schema is registered too.
    ///
    /// The message's content is decoded as `M` before `handler` runs; content that does not fit
    /// makes the result FAILED.
    public mutating func register<M: PubSubMessage>(_ type: M.Type, file: String = #fileID, line: UInt = #line,
                                                    _ handler: @escaping @Sendable (M) async throws -> Bool) {
        append(Registration(mediaType: M.mediaType, name: "\(M.self) closure at \(file):\(line)",
                            source: .closure { message in try await handler(try message.decode(M.self)) },
                            registerSchema: { try $0.register(M.self) }))
    }

    /// Registers handler type `H` for `mediaType` (exact, or a trailing-`.*` pattern); one `H` is
    /// built from the graph for all its media types.
    public mutating func register<H: MessageHandler>(_ handlerType: H.Type, for mediaType: MediaType) {
        append(Registration(mediaType: mediaType, name: String(describing: H.self), source: Self.typeSource(H.self),
                            registerSchema: { $0.register(mediaType) }))
    }

    /// Registers handler type `H` for messages of type `M` (its media type); `M`'s schema is registered too.
    public mutating func register<H: MessageHandler, M: PubSubMessage>(_ handlerType: H.Type, for messageType: M.Type) {
        append(Registration(mediaType: M.mediaType, name: String(describing: H.self), source: Self.typeSource(H.self),
                            registerSchema: { try $0.register(M.self) }))
    }

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

    private static func typeSource<H: MessageHandler>(_ type: H.Type) -> Registration.Source {
        .type(ObjectIdentifier(H.self), make: { graph in try H(graph: graph) })
    }
}
