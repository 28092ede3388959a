import MicrocosmJSON
/// A configuration problem, naming the full key path, where the value came from, the expected
/// type and the value seen; for a missing value, where it could be set.
///
/// ```
/// config 'sqs_consumer.limit' (from THINGS__SQS_CONSUMER__LIMIT): expected int, got string "ten"
/// config 'sqs_consumer.read_timeout' (from settings file '/etc/things.json' (THINGS__SETTINGS)): expected seconds from 0.001 to 86400, got double inf
/// config 'thing_store.base_url': required string is missing; set THINGS__THING_STORE__BASE_URL or thing_store.base_url in $THINGS__SETTINGS
/// THINGS__SETTINGS names '/etc/things.json': invalid JSON at line 3, column 5: expected ',' or '}', found '"'
/// ```
///
/// Match on ``code``: `error.code == .invalidValue`.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem; compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A required value is absent.
        public static let missing = Code("missing")
        /// A value cannot be read as the expected type.
        public static let typeMismatch = Code("type mismatch")
        /// A value of the right type is out of range (NaN, infinite, negative, too large, ...).
        public static let invalidValue = Code("invalid value")
        /// A loader could not read its source (settings file, environment variable).
        public static let invalidSource = Code("invalid source")
        /// Several problems, in ``ConfigurationError/problems``.
        public static let several = Code("several problems")

        public let description: String
        private init(_ description: String) { self.description = description }
    }

    /// What kind of problem.
    public let code: Code
    /// The key path the problem is at (root for source problems).
    public let keyPath: ConfigKeyPath
    /// The expected type or range ("int", "object", "seconds from 0.001 to 86400", ...), when there is one.
    public let expected: String?
    /// A rendering of the value seen, when there was one.
    public let seen: String?
    /// The explanation for source problems (file, variable).
    public let detail: String?
    /// Where the value came from (an environment variable, a settings file), when known.
    public let origin: ConfigOrigin?
    /// For a missing value, where it could be set (`set THINGS__A__B or a.b in $THINGS__SETTINGS`), when known.
    public let hint: String?
    private let collected: [ConfigurationError]

    private init(code: Code, keyPath: ConfigKeyPath, expected: String? = nil, seen: String? = nil, detail: String? = nil,
                 origin: ConfigOrigin? = nil, hint: String? = nil, collected: [ConfigurationError] = []) {
        self.code = code
        self.keyPath = keyPath
        self.expected = expected
        self.seen = seen
        self.detail = detail
        self.origin = origin
        self.hint = hint
        self.collected = collected
    }

    /// A required value is absent; `hint` says where it could be set.
    public static func missing(_ keyPath: ConfigKeyPath, expected: String, hint: String? = nil) -> Self {
        Self(code: .missing, keyPath: keyPath, expected: expected, hint: hint)
    }

    /// A value is present but cannot be read as `expected`.
    public static func typeMismatch(_ keyPath: ConfigKeyPath, expected: String, seen: JSONValue, origin: ConfigOrigin? = nil) -> Self {
        Self(code: .typeMismatch, keyPath: keyPath, expected: expected, seen: "\(seen.typeName) \(seen.briefDescription)", origin: origin)
    }

    /// A value has the right type but is not acceptable: `expected` says what is (`seconds from 0.001 to 86400`).
    public static func invalidValue(_ keyPath: ConfigKeyPath, expected: String, seen: JSONValue, origin: ConfigOrigin? = nil) -> Self {
        Self(code: .invalidValue, keyPath: keyPath, expected: expected, seen: "\(seen.typeName) \(seen.briefDescription)", origin: origin)
    }

    /// A loader could not read its source (settings file, environment variable).
    public static func invalidSource(_ detail: String) -> Self {
        Self(code: .invalidSource, keyPath: .root, detail: detail)
    }

    /// Several problems found in one validation pass.
    public static func several(_ errors: [ConfigurationError]) -> Self {
        errors.count == 1 ? errors[0] : Self(code: .several, keyPath: .root, collected: errors)
    }

    /// Each problem this error holds (itself, unless it collects several).
    public var problems: [ConfigurationError] {
        code == .several ? collected : [self]
    }

    /// This error with what `origins` knows added: where a bad value came from, or where a missing
    /// one could be set. Anything already known is kept.
    public func located(by origins: ConfigOrigins?) -> ConfigurationError {
        guard let origins else { return self }
        switch code {
        case .several:
            return .several(collected.map { $0.located(by: origins) })
        case .missing:
            return Self(code: code, keyPath: keyPath, expected: expected, hint: hint ?? origins.hint(for: keyPath))
        case .typeMismatch, .invalidValue:
            return Self(code: code, keyPath: keyPath, expected: expected, seen: seen, origin: origin ?? origins.origin(of: keyPath))
        default:
            return self
        }
    }

    public var description: String {
        let subject = "config '\(keyPath)'" + (origin.map { " (from \($0))" } ?? "")
        switch code {
        case .missing:
            return "\(subject): required \(expected ?? "value") is missing" + (hint.map { "; \($0)" } ?? "")
        case .typeMismatch, .invalidValue:
            return "\(subject): expected \(expected ?? "value"), got \(seen ?? "?")"
        case .several:
            // One line, as a daemon or command writes it to standard error.
            return "\(collected.count) configuration problems: " + collected.map(\.description).joined(separator: "; ")
        default:
            return detail ?? "invalid configuration source"
        }
    }
}
