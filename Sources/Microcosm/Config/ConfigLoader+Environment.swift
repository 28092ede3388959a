#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

extension ConfigLoader {
    /// Variables `<NAME>__A__B=value` become `a.b = "value"` (`load_from_environ`).
    ///
    /// The prefix is the service name upper-cased with `-` as `_`; `__` separates levels; keys
    /// are lower-cased; variables of other services (and plain ones) are ignored. Each variable is
    /// the origin of what it sets.
    ///
    /// | service | variable | config |
    /// |---|---|---|
    /// | `things` | `THINGS__SQS_CONSUMER__LIMIT=5` | `sqs_consumer.limit = "5"` |
    /// | `things-api` | `THINGS_API__DEBUG=true` | `debug = "true"` |
    /// | `things` | `THINGS_API__DEBUG=true` | ignored |
    public static func environment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoader {
        layered { metadata in
            expand(environment, prefix: metadata.environmentPrefix) { _, value in .string(value) }
        }
    }

    /// As ``environment(_:)``, but each value is parsed as JSON (`load_from_environ_as_json`):
    /// `THINGS__SQS_CONSUMER__LIMIT=5` is the number 5, `THINGS__FLAGS=["a","b"]` an array.
    public static func environmentJSON(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ConfigLoader {
        layered { metadata in
            var failure: ConfigurationError?
            let loaded = expand(environment, prefix: metadata.environmentPrefix) { name, value in
                do {
                    return try JSONParser.parse(value)
                } catch {
                    failure = failure ?? .invalidSource("environment variable \(name) is not valid JSON: \(error)")
                    return .null
                }
            }
            if let failure { throw failure }
            return loaded
        }
    }

    private static func expand(
        _ environment: [String: String],
        prefix: String,
        value: (String, String) -> JSONValue
    ) -> Loaded {
        var config = Configuration()
        var layers: [ConfigOrigins.Layer] = []
        // Sorted so that a shorter variable (A__B) is applied before a longer one (A__B__C).
        for name in environment.keys.sorted() {
            let parts = name.components(separatedBy: "__")
            guard parts.count > 1, parts[0] == prefix else { continue }
            let keyPath = ConfigKeyPath(parts.dropFirst().map { $0.lowercased() })
            let converted = value(name, environment[name]!)
            config.setValue(converted, at: keyPath)
            var layer = Configuration()
            layer.setValue(converted, at: keyPath)
            layers.append(ConfigOrigins.Layer(.environmentVariable(name), layer.values))
        }
        return Loaded(values: config.values, layers: layers)
    }
}
