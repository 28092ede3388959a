import MicrocosmJSON
import Synchronization

/// Loads named partitions in order and remembers which partition supplied each key
/// (microcosm's `PartitioningLoader` / `load_config_and_secrets`).
///
/// ```swift
/// let partitioned = PartitionedLoader.configAndSecrets(config: .settingsFile(), secrets: .environment())
/// let graph = try Graph(name: "things", loader: partitioned.loader)
/// partitioned.source(of: "sns_producer.endpoint_url")   // "config"
/// partitioned.partition("config")                      // what is safe to print
/// ```
public final class PartitionedLoader: Sendable {
    private let partitions: [(name: String, loader: ConfigLoader)]
    private let loaded = Mutex<[String: JSONObject]>([:])

    /// Partitions loaded in the given order, later ones merged over earlier ones.
    public init(_ partitions: [(name: String, loader: ConfigLoader)]) {
        self.partitions = partitions
    }

    /// Two partitions: `config`, then `secrets` over it.
    public static func configAndSecrets(config: ConfigLoader, secrets: ConfigLoader) -> PartitionedLoader {
        PartitionedLoader([("config", config), ("secrets", secrets)])
    }

    /// The merged loader; loading records each partition. Its layers are the partitions' own
    /// (so a graph's errors still name the variable or file behind a value).
    public var loader: ConfigLoader {
        .layered { metadata in
            var merged = ConfigLoader.Loaded(values: JSONObject(), layers: [])
            var results: [String: JSONObject] = [:]
            for (name, loader) in self.partitions {
                let loaded = try loader.loadWithOrigins(metadata)
                results[name] = loaded.values
                merged.values = Configuration.merge(merged.values, loaded.values)
                merged.layers += loaded.layers
            }
            self.loaded.withLock { $0 = results }
            return merged
        }
    }

    /// What the partition named `name` supplied at the last load (nil before loading).
    public func partition(_ name: String) -> JSONObject? {
        loaded.withLock { $0[name] }
    }

    /// The last partition (in load order) that supplied a value at `keyPath`.
    public func source(of keyPath: ConfigKeyPath) -> String? {
        let loaded = loaded.withLock { $0 }
        let layers = partitions.compactMap { name, _ in loaded[name].map { ConfigOrigins.Layer(ConfigOrigin(name), $0) } }
        return ConfigOrigins(layers).origin(of: keyPath)?.description
    }
}
