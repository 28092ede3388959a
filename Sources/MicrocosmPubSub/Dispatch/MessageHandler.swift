import Microcosm

/// A message handler built from the graph, once, when the dispatcher is created (a microcosm
/// handler class bound in the graph).
///
/// `init(graph:)` resolves what the handler needs; it runs while the graph is being checked, so
/// bad configuration stops the service at start-up. `handle(_:)` returns true when the message was
/// handled (SUCCEEDED) and false when there was nothing to do (SKIPPED); it may throw
/// ``SkipMessage``, ``IgnoreMessage`` or ``Nack``, and any other error makes the result FAILED.
///
/// ```swift
/// struct ThingCreatedHandler: MessageHandler {
///     let store: ThingStore
///     init(graph: Graph) throws { store = try graph.resolve("thing_store") }
///     func handle(_ message: ConsumedMessage) async throws -> Bool {
///         let created = try message.decode(URIMessage.self)
///         return try await store.fetchAndSave(created.uri)
///     }
/// }
/// var handlers = MessageHandlers()
/// handlers.register(ThingCreatedHandler.self, for: .created("Thing"))
/// ```
public protocol MessageHandler: Sendable {
    /// Builds the handler from the graph (called once per dispatcher, before any message).
    init(graph: Graph) throws

    /// Handles one message: true when handled, false when skipped.
    func handle(_ message: ConsumedMessage) async throws -> Bool
}
