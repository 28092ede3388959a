import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import SimpleDaemon

/// The object graph a command runs on, made as a Python microcosm service makes its graph.
///
/// Service name `pubsub`, the library's bindings, and configuration from, lowest first: the
/// bindings' defaults, the commands' own defaults (``defaults``), the JSON file named by
/// `PUBSUB__SETTINGS`, `PUBSUB__<SECTION>__<KEY>` environment variables, then the command's flags.
enum CommandGraph {
    /// The service name: it makes the `PUBSUB__` prefix of the environment variables.
    static let name = "pubsub"

    /// What the commands change from the library's defaults: only errors are logged, so standard
    /// error holds the one line a failure writes (`PUBSUB__LOGGING__LEVEL=debug` shows every request).
    static let defaults: JSONObject = ["logging": ["level": "error"]]

    /// The graph configured by `flags` over the environment; ``CommandContext/prepareGraph`` has
    /// seen it, and ``SimpleMessage`` is registered in its schema registry.
    static func make(flags: JSONObject, context: CommandContext) async throws -> Graph {
        let loader = ConfigLoader.each(.dictionary(defaults), .standard(environment: context.environment))
        let graph = try Graph(name: name, registry: .pubsub, loader: loader, config: flags)
        try await context.prepareGraph(graph)
        try graph.pubsubMessageSchemaRegistry.register(SimpleMessage.self)
        return graph
    }
}
