import Microcosm

/// The handlers a dispatcher calls, built from ``MessageHandlers`` for one graph: duplicates
/// rejected, schemas registered, handler types built once.
struct MessageHandlerTable: Sendable {
    struct Entry: Sendable {
        let invoke: MessageHandlers.Invoke
        let name: String
        /// The opaque `handler` value while it runs.
        let opaqueName: String
    }

    private let entries: [MediaType: Entry]
    /// Whether any media type is a pattern, so a miss needs a second look-up.
    private let hasPatterns: Bool

    init(_ handlers: MessageHandlers, graph: Graph) throws {
        var names: [MediaType: String] = [:]
        for registration in handlers.registrations {
            if let first = names[registration.mediaType] {
                throw MessageHandlersError.duplicateHandler(registration.mediaType, first: first, second: registration.name)
            }
            names[registration.mediaType] = registration.name
        }
        let schemaRegistry = try graph.pubsubMessageSchemaRegistry
        var built: [ObjectIdentifier: any MessageHandler] = [:]
        var entries: [MediaType: Entry] = [:]
        for registration in handlers.registrations {
            try registration.registerSchema(schemaRegistry)
            let invoke: MessageHandlers.Invoke
            switch registration.source {
            case .closure(let closure):
                invoke = closure
            case .type(let identifier, let make, let call):
                let instance: any MessageHandler
                if let existing = built[identifier] {
                    instance = existing
                } else {
                    do {
                        instance = try make(graph)
                    } catch {
                        throw MessageHandlersError.handlerCreationFailed(registration.name, mediaType: registration.mediaType, error: error)
                    }
                    built[identifier] = instance
                }
                invoke = call(instance)
            }
            entries[registration.mediaType] = Entry(invoke: invoke, name: registration.name, opaqueName: registration.opaqueName)
        }
        self.entries = entries
        hasPatterns = entries.keys.contains { $0.isWildcard }
    }

    /// The handler for `mediaType`: its own, else the pattern `<all but the last segment>.*`.
    func entry(for mediaType: MediaType) -> Entry? {
        if let entry = entries[mediaType] { return entry }
        return hasPatterns ? entries[mediaType.wildcard] : nil
    }

    /// Each media type or pattern with the name of its handler.
    var names: [MediaType: String] { entries.mapValues(\.name) }
}
