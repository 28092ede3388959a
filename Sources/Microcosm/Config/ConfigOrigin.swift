/// Where a configuration value came from, for error messages: an environment variable, a settings
/// file, a binding's default, explicit values.
///
/// ```
/// config 'sqs_consumer.read_timeout' (from ORDERS__SQS_CONSUMER__READ_TIMEOUT): expected seconds from 0.001 to 86400, got string "nan"
/// config 'sqs_consumer' (from settings file '/etc/orders.json' (ORDERS__SETTINGS)): expected object, got string "not an object"
/// ```
public struct ConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    /// How messages name the origin (`ORDERS__SQS_CONSUMER__LIMIT`, `settings file '/etc/orders.json'`).
    public let description: String
    /// The path of the settings file, for an origin that is one.
    let settingsFilePath: String?

    /// An origin described as `description`.
    public init(_ description: String) {
        self.init(description, settingsFilePath: nil)
    }

    private init(_ description: String, settingsFilePath: String?) {
        self.description = description
        self.settingsFilePath = settingsFilePath
    }

    /// A binding's declared default.
    public static let defaults = ConfigOrigin("the default")

    /// Values given in code (``ConfigLoader/dictionary(_:origin:)``) or as a graph's `config:` (command-line flags).
    public static let explicit = ConfigOrigin("explicit config")

    /// A loader made from a closure, which says nothing more about itself.
    public static let loader = ConfigOrigin("a config loader")

    /// The environment variable `name`.
    public static func environmentVariable(_ name: String) -> ConfigOrigin { ConfigOrigin(name) }

    /// The JSON settings file at `path`, named by the variable `variable` when there is one.
    public static func settingsFile(_ path: String, variable: String? = nil) -> ConfigOrigin {
        ConfigOrigin("settings file '\(path)'" + (variable.map { " (\($0))" } ?? ""), settingsFilePath: path)
    }
}
