import MicrocosmJSON
/// The layers a configuration was merged from, lowest first, each with its ``ConfigOrigin``:
/// answers where the value at a key came from, and where a missing one could be set.
///
/// The graph records them as it loads (defaults, each loader's layers, explicit values), so its
/// errors name the environment variable or the settings file behind a bad value:
/// ```swift
/// let graph = try Graph(name: "orders", registry: registry)
/// graph.config.origin(of: "sqs_consumer.read_timeout")   // ORDERS__SQS_CONSUMER__READ_TIMEOUT, when that set it
/// ```
/// ``PartitionedLoader`` answers ``PartitionedLoader/source(of:)`` the same way, a partition being a layer.
public struct ConfigOrigins: Sendable, Hashable {
    /// Values one source supplied.
    public struct Layer: Sendable, Hashable {
        /// Where the values came from.
        public var origin: ConfigOrigin
        /// What this source supplied (nested, as loaded).
        public var values: JSONObject

        /// A layer of `values` from `origin`.
        public init(_ origin: ConfigOrigin, _ values: JSONObject) {
            self.origin = origin
            self.values = values
        }
    }

    /// The layers, lowest first (later ones win).
    public var layers: [Layer]
    /// The prefix of the service's environment variables (`ORDERS`), for hints; nil when unknown.
    public var environmentPrefix: String?
    /// The variable naming the settings file (`ORDERS__SETTINGS`), for hints; nil when unknown.
    public var settingsVariable: String?

    /// Origins made of `layers`, lowest first.
    public init(_ layers: [Layer], environmentPrefix: String? = nil, settingsVariable: String? = nil) {
        self.layers = layers
        self.environmentPrefix = environmentPrefix
        self.settingsVariable = settingsVariable
    }

    /// Origins for the service `metadata` describes (its environment prefix and settings variable).
    public init(_ layers: [Layer], metadata: Metadata) {
        self.init(layers, environmentPrefix: metadata.environmentPrefix, settingsVariable: metadata.settingsVariable)
    }

    /// The origin of the last layer (in load order) that has a value at `keyPath`, or nil when none has.
    public func origin(of keyPath: ConfigKeyPath) -> ConfigOrigin? {
        layers.last { Configuration($0.values).value(at: keyPath) != nil }?.origin
    }

    /// Where a value for `keyPath` could be set: `set ORDERS__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS__SETTINGS`,
    /// or `... in settings file '/etc/orders.json' (ORDERS__SETTINGS)` when one was loaded; nil when the service's names are unknown.
    public func hint(for keyPath: ConfigKeyPath) -> String? {
        guard let environmentPrefix, !keyPath.components.isEmpty else { return nil }
        let variable = ([environmentPrefix] + keyPath.components.map { $0.uppercased() }).joined(separator: "__")
        // The settings file loaded, when there was one; else the variable that would name one.
        let settingsFile = layers.last { $0.origin.settingsFilePath != nil }?.origin
        return "set \(variable)" + (settingsFile.map { " or \(keyPath) in \($0)" } ?? settingsVariable.map { " or \(keyPath) in $\($0)" } ?? "")
    }
}
