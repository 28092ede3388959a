/// A configuration problem, naming the full key path, the expected type and the value seen.
///
/// ```
/// config 'sqs_consumer.limit': expected int, got string "ten"
/// config 'sqs_consumer.sqs_queue_url': required string is missing
/// THINGS__SETTINGS names '/etc/things.json': invalid JSON at line 3, column 5: expected ',' or '}', found '"'
/// ```
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missing
        case typeMismatch
        case invalidSource
        case several([ConfigurationError])
    }

    private let code: Code
    /// The key path the problem is at (root for source problems).
    public let keyPath: ConfigKeyPath
    /// The expected type ("int", "bool", "object", ...), when there is one.
    public let expected: String?
    /// A rendering of the value seen, when there was one.
    public let seen: String?
    /// The explanation for source problems (file, variable).
    public let detail: String?

    private init(code: Code, keyPath: ConfigKeyPath, expected: String? = nil, seen: String? = nil, detail: String? = nil) {
        self.code = code
        self.keyPath = keyPath
        self.expected = expected
        self.seen = seen
        self.detail = detail
    }

    /// A required value is absent.
    public static func missing(_ keyPath: ConfigKeyPath, expected: String) -> Self {
        Self(code: .missing, keyPath: keyPath, expected: expected)
    }

    /// A value is present but cannot be read as `expected`.
    public static func typeMismatch(_ keyPath: ConfigKeyPath, expected: String, seen: JSONValue) -> Self {
        Self(code: .typeMismatch, keyPath: keyPath, expected: expected, seen: "\(seen.typeName) \(seen.briefDescription)")
    }

    /// A loader could not read its source (settings file, environment variable).
    public static func invalidSource(_ detail: String) -> Self {
        Self(code: .invalidSource, keyPath: .root, detail: detail)
    }

    /// Several problems found in one validation pass.
    public static func several(_ errors: [ConfigurationError]) -> Self {
        errors.count == 1 ? errors[0] : Self(code: .several(errors), keyPath: .root)
    }

    /// Each problem this error holds (itself, unless it collects several).
    public var problems: [ConfigurationError] {
        if case .several(let errors) = code { return errors }
        return [self]
    }

    /// True when a required value is absent.
    public var isMissing: Bool { code == .missing }

    /// True when a value is present with the wrong type.
    public var isTypeMismatch: Bool { code == .typeMismatch }

    public var description: String {
        switch code {
        case .missing:
            return "config '\(keyPath)': required \(expected ?? "value") is missing"
        case .typeMismatch:
            return "config '\(keyPath)': expected \(expected ?? "value"), got \(seen ?? "?")"
        case .invalidSource:
            return detail ?? "invalid configuration source"
        case .several(let errors):
            return "\(errors.count) configuration problems:\n" + errors.map { "  - \($0.description)" }.joined(separator: "\n")
        }
    }
}
