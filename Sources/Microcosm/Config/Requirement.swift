import MicrocosmJSON
/// A declared configuration requirement, checked when the graph is created.
///
/// As microcosm's `required(str)` and `typed(int, default_value=10)`:
/// ```swift
/// registry.bind("sqs_consumer", defaults: [
///     "sqs_queue_url": .required(.string, mock: "http://sqs.test/queue"),
///     "limit": .typed(.int, default: 10),
/// ]) { graph in ... }
/// ```
/// The mock value stands in for a missing value only when the graph is created with `testing: true`.
public struct Requirement: Sendable {
    /// The value's type and converter.
    public let type: ConfigType
    /// The value used when none is supplied (for `typed`); may be `.null`.
    public let defaultValue: JSONValue?
    /// The value used when none is supplied and the graph is testing.
    public let mockValue: JSONValue?

    /// True when a value must be supplied (no default).
    public var isRequired: Bool { defaultValue == nil }

    /// A value that must be supplied.
    public static func required(_ type: ConfigType, mock: JSONValue? = nil) -> Requirement {
        Requirement(type: type, defaultValue: nil, mockValue: mock)
    }

    /// A value of `type`, `defaultValue` when none is supplied.
    public static func typed(_ type: ConfigType, default defaultValue: JSONValue, mock: JSONValue? = nil) -> Requirement {
        Requirement(type: type, defaultValue: defaultValue, mockValue: mock)
    }

    /// The value to store at `keyPath` given the `supplied` one.
    ///
    /// As microcosm's `Requirement.validate`: a supplied value wins; when none is supplied, the mock value when
    /// testing, then the default. Whichever is used is converted to the type's canonical form (`"10"` to `10`),
    /// so a mock or default of the wrong type is an error too; a null default (`typed(.string, default: nil)`)
    /// stays null.
    public func resolve(_ supplied: JSONValue?, at keyPath: ConfigKeyPath, testing: Bool) throws(ConfigurationError) -> JSONValue {
        let value: JSONValue
        if let supplied, !supplied.isNull {
            value = supplied
        } else if testing, let mockValue, !mockValue.isNull {
            value = mockValue
        } else if let defaultValue {
            value = defaultValue
        } else {
            throw ConfigurationError.missing(keyPath, expected: type.name)
        }
        if value.isNull { return value }
        guard let converted = type.convert(value) else {
            if type.isOutOfRange(value) { throw ConfigurationError.invalidValue(keyPath, expected: type.name, seen: value) }
            throw ConfigurationError.typeMismatch(keyPath, expected: type.name, seen: value)
        }
        return converted
    }
}
