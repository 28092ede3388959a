/// Who the graph belongs to: the service name, and whether it runs in debug or testing mode.
///
/// The name decides the environment prefix (`things-api` -> `THINGS_API__...`) and the
/// settings-file variable (`THINGS_API__SETTINGS`).
public struct Metadata: Sendable, Hashable {
    /// The service name, as given to the graph.
    public var name: String
    /// Debug mode: verbose logging, and the producer skips publishing unless told otherwise.
    public var debug: Bool
    /// Testing mode: requirement mocks apply and pubsub bindings use the in-memory broker.
    public var testing: Bool
    /// A one-line description of the service, for help texts and logs.
    public var description: String?

    public init(name: String, debug: Bool = false, testing: Bool = false, description: String? = nil) {
        self.name = name
        self.debug = debug
        self.testing = testing
        self.description = description
    }

    /// The prefix of this service's environment variables: the name upper-cased, `-` to `_`.
    public var environmentPrefix: String {
        String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// The variable that names the JSON settings file (`<NAME>__SETTINGS`, as microcosm spells it).
    public var settingsVariable: String {
        Inflection.underscore(name).uppercased() + "__SETTINGS"
    }
}
