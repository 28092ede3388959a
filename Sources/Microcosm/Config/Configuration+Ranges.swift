import MicrocosmJSON
extension Configuration {
    /// Seconds at `keyPath` as a `Duration`, checked: a finite number within `range` (text such as
    /// `"2.5"` is read). Absent or null: `defaultValue`, or a missing-value error when there is none.
    ///
    /// Give timeouts a positive lower bound: `try config.seconds("things.timeout", in: 0.001...3600)`.
    /// Errors name the key and where the value came from:
    /// `config 'things.timeout' (from THINGS__THINGS__TIMEOUT): expected seconds from 0.001 to 3600, got string "nan"`.
    /// The duration is whole milliseconds (the value rounded).
    public func seconds(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>, default defaultValue: Double? = nil)
        throws(ConfigurationError) -> Duration {
        try Configuration.duration(double(keyPath, in: range, default: defaultValue, expected: ConfigType.seconds(in: range).name))
    }

    /// As ``seconds(_:in:default:)``, or nil when absent or null.
    public func optionalSeconds(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>) throws(ConfigurationError) -> Duration? {
        try optionalDouble(keyPath, in: range, expected: ConfigType.seconds(in: range).name).map(Configuration.duration)
    }

    /// A number at `keyPath`, checked: finite and within `range`. Absent or null: `defaultValue`,
    /// or a missing-value error when there is none.
    public func double(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>, default defaultValue: Double? = nil)
        throws(ConfigurationError) -> Double {
        try double(keyPath, in: range, default: defaultValue, expected: ConfigType.double(in: range).name)
    }

    /// As ``double(_:in:default:)``, or nil when absent or null.
    public func optionalDouble(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        try optionalDouble(keyPath, in: range, expected: ConfigType.double(in: range).name)
    }

    /// A whole number at `keyPath` within `range`. Absent or null: `defaultValue`, or a
    /// missing-value error when there is none.
    public func int(_ keyPath: ConfigKeyPath, in range: ClosedRange<Int>, default defaultValue: Int? = nil) throws(ConfigurationError) -> Int {
        guard let value = try optionalInt(keyPath, in: range) ?? defaultValue else {
            throw ConfigurationError.missing(basePath.appending(keyPath), expected: "int").located(by: origins)
        }
        return value
    }

    /// As ``int(_:in:default:)``, or nil when absent or null.
    public func optionalInt(_ keyPath: ConfigKeyPath, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = try optionalInt(keyPath) else { return nil }
        guard range.contains(value) else {
            throw invalid(keyPath, expected: ConfigType.describe(range), seen: .int(value))
        }
        return value
    }

    // MARK: Helpers

    private func double(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>, default defaultValue: Double?, expected: String)
        throws(ConfigurationError) -> Double {
        guard let value = try optionalDouble(keyPath, in: range, expected: expected) ?? defaultValue else {
            throw ConfigurationError.missing(basePath.appending(keyPath), expected: "number").located(by: origins)
        }
        return value
    }

    private func optionalDouble(_ keyPath: ConfigKeyPath, in range: ClosedRange<Double>, expected: String)
        throws(ConfigurationError) -> Double? {
        guard let value = try optionalDouble(keyPath) else { return nil }
        guard value.isFinite, range.contains(value) else {
            // The value as it was written (text from the environment stays text).
            throw invalid(keyPath, expected: expected, seen: self.value(at: keyPath) ?? .double(value))
        }
        return value
    }

    private func invalid(_ keyPath: ConfigKeyPath, expected: String, seen: JSONValue) -> ConfigurationError {
        ConfigurationError.invalidValue(basePath.appending(keyPath), expected: expected, seen: seen).located(by: origins)
    }

    private static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
