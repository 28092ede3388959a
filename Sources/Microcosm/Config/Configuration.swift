import MicrocosmJSON
/// Nested configuration with typed, path-aware access.
///
/// Merging follows microcosm: objects merge recursively, arrays append, anything else replaces.
/// Reads convert text (from environment variables) to the asked type, and every error names
/// the full key path, the expected type and the value seen.
///
/// ```swift
/// let limit = try graph.config.int("sqs_consumer.limit")            // 10, or "10" from the env
/// let url = try graph.config.optionalString("sqs_consumer.sqs_queue_url")
/// let topics = try graph.config.section("sns_topic_arns")
/// let timeout = try graph.config.seconds("things.timeout", in: 0.001...3600)   // finite, in range, as a Duration
/// ```
///
/// A graph's configuration knows where each value came from (``origins``), so its errors name the
/// environment variable or settings file behind a bad value, and where a missing one could be set.
public struct Configuration: Sendable, Hashable, CustomStringConvertible {
    /// All values, root first.
    public private(set) var values: JSONObject
    /// Where this configuration sits in a larger one (for error messages of sections).
    public let basePath: ConfigKeyPath
    /// Where the values came from, by full key path (from the root, not from ``basePath``); nil when unknown.
    public let origins: ConfigOrigins?

    /// A configuration holding `values`; `origins` say where they came from.
    public init(_ values: JSONObject = [:], basePath: ConfigKeyPath = .root, origins: ConfigOrigins? = nil) {
        self.values = values
        self.basePath = basePath
        self.origins = origins
    }

    /// Equal values at the same base path (where they came from does not count).
    public static func == (lhs: Configuration, rhs: Configuration) -> Bool {
        lhs.values == rhs.values && lhs.basePath == rhs.basePath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values)
        hasher.combine(basePath)
    }

    /// Where the value at `keyPath` (below ``basePath``) came from, when known.
    public func origin(of keyPath: ConfigKeyPath) -> ConfigOrigin? {
        origins?.origin(of: basePath.appending(keyPath))
    }

    public var description: String { JSONSerializer.compact.string(.object(values)) }

    // MARK: Merging

    /// Merges `overlay` over these values (objects recursively, arrays append, scalars replace).
    public mutating func merge(_ overlay: JSONObject) {
        values = Configuration.merge(values, overlay)
    }

    /// `base` with `overlay` merged over it (objects recursively, arrays append, scalars replace).
    public static func merge(_ base: JSONObject, _ overlay: JSONObject) -> JSONObject {
        var result = base
        for (key, value) in overlay {
            switch (result[key], value) {
            case (.object(let existing)?, .object(let incoming)):
                result[key] = .object(merge(existing, incoming))
            case (.array(let existing)?, .array(let incoming)):
                result[key] = .array(existing + incoming)
            default:
                result[key] = value
            }
        }
        return result
    }

    // MARK: Raw access

    /// The value at `keyPath`, or nil when any part of the path is absent or not an object.
    public func value(at keyPath: ConfigKeyPath) -> JSONValue? {
        var current: JSONValue = .object(values)
        for key in keyPath.components {
            guard case .object(let object) = current, let next = object[key] else { return nil }
            current = next
        }
        return current
    }

    /// The value at `keyPath` (dotted).
    public subscript(keyPath: ConfigKeyPath) -> JSONValue? {
        get { value(at: keyPath) }
        set { setValue(newValue, at: keyPath) }
    }

    /// True when a non-null value is present at `keyPath`.
    public func contains(_ keyPath: ConfigKeyPath) -> Bool {
        guard let value = value(at: keyPath) else { return false }
        return !value.isNull
    }

    /// Stores `value` at `keyPath`, creating objects on the way (nil removes the value).
    public mutating func setValue(_ value: JSONValue?, at keyPath: ConfigKeyPath) {
        guard !keyPath.components.isEmpty else {
            if case .object(let object)? = value { values = object }
            return
        }
        values = Configuration.setting(value, in: values, at: keyPath.components[...])
    }

    private static func setting(_ value: JSONValue?, in object: JSONObject, at keys: ArraySlice<String>) -> JSONObject {
        var object = object
        let key = keys.first!
        if keys.count == 1 {
            object[key] = value
        } else {
            let child = object[key]?.objectValue ?? JSONObject()
            object[key] = .object(setting(value, in: child, at: keys.dropFirst()))
        }
        return object
    }

    // MARK: Typed access

    /// The value at `keyPath` converted to `type`; throws when it is absent or does not convert.
    public func require(_ keyPath: ConfigKeyPath, as type: ConfigType) throws(ConfigurationError) -> JSONValue {
        guard let value = try optional(keyPath, as: type) else {
            throw ConfigurationError.missing(basePath.appending(keyPath), expected: type.name).located(by: origins)
        }
        return value
    }

    /// The value at `keyPath` converted to `type`, or nil when absent or null.
    public func optional(_ keyPath: ConfigKeyPath, as type: ConfigType) throws(ConfigurationError) -> JSONValue? {
        var current: JSONValue = .object(values)
        for (depth, key) in keyPath.components.enumerated() {
            guard case .object(let object) = current else {
                let prefix = ConfigKeyPath(Array(keyPath.components.prefix(depth)))
                throw ConfigurationError.typeMismatch(basePath.appending(prefix), expected: "object", seen: current).located(by: origins)
            }
            guard let next = object[key] else { return nil }
            current = next
        }
        if current.isNull { return nil }
        guard let converted = type.convert(current) else {
            let keyPath = basePath.appending(keyPath)
            if type.isOutOfRange(current) {
                throw ConfigurationError.invalidValue(keyPath, expected: type.name, seen: current).located(by: origins)
            }
            throw ConfigurationError.typeMismatch(keyPath, expected: type.name, seen: current).located(by: origins)
        }
        return converted
    }

    /// Text at `keyPath`.
    public func string(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> String {
        try require(keyPath, as: .string).stringValue!
    }

    /// Text at `keyPath`, or `defaultValue` when absent.
    public func string(_ keyPath: ConfigKeyPath, default defaultValue: String) throws(ConfigurationError) -> String {
        try optionalString(keyPath) ?? defaultValue
    }

    /// Text at `keyPath`, or nil when absent or null.
    public func optionalString(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> String? {
        try optional(keyPath, as: .string)?.stringValue
    }

    /// A whole number at `keyPath`.
    public func int(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Int {
        try require(keyPath, as: .int).intValue!
    }

    /// A whole number at `keyPath`, or `defaultValue` when absent.
    public func int(_ keyPath: ConfigKeyPath, default defaultValue: Int) throws(ConfigurationError) -> Int {
        try optional(keyPath, as: .int)?.intValue ?? defaultValue
    }

    /// A whole number at `keyPath`, or nil when absent or null.
    public func optionalInt(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Int? {
        try optional(keyPath, as: .int)?.intValue
    }

    /// A number at `keyPath`.
    public func double(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Double {
        try require(keyPath, as: .double).doubleValue!
    }

    /// A number at `keyPath`, or `defaultValue` when absent.
    public func double(_ keyPath: ConfigKeyPath, default defaultValue: Double) throws(ConfigurationError) -> Double {
        try optional(keyPath, as: .double)?.doubleValue ?? defaultValue
    }

    /// A number at `keyPath`, or nil when absent or null.
    public func optionalDouble(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Double? {
        try optional(keyPath, as: .double)?.doubleValue
    }

    /// A boolean at `keyPath`.
    public func bool(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Bool {
        try require(keyPath, as: .bool).boolValue!
    }

    /// A boolean at `keyPath`, or `defaultValue` when absent.
    public func bool(_ keyPath: ConfigKeyPath, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        try optional(keyPath, as: .bool)?.boolValue ?? defaultValue
    }

    /// A list of strings at `keyPath` (an array, or comma-separated text); empty when absent.
    public func list(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> [String] {
        try optional(keyPath, as: .list)?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The section at `keyPath` (empty when absent); its errors keep the full path.
    public func section(_ keyPath: ConfigKeyPath) throws(ConfigurationError) -> Configuration {
        let object = try optional(keyPath, as: .object)?.objectValue ?? JSONObject()
        return Configuration(object, basePath: basePath.appending(keyPath), origins: origins)
    }
}
