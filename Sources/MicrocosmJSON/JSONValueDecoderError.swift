/// Why a ``JSONValue`` could not be decoded as a type: the field path, what was expected, what was there.
///
/// ```
/// field 'uri' is missing (expected string)
/// field 'messages[0].topic_arn': expected string, got int 5
/// field 'id': expected string, got null
/// field 'created_at': expected ISO 8601 date-time, got string "yesterday"
/// top-level value: expected object, got array [1, 2]
/// ```
public struct JSONValueDecoderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, to compare or switch on (`error.code == .missing`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case missing, typeMismatch, null, invalidValue }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// A required member is absent.
        public static let missing = Code(.missing)
        /// A value has the wrong JSON type.
        public static let typeMismatch = Code(.typeMismatch)
        /// A value is null where one is required.
        public static let null = Code(.null)
        /// A value has the right type but an unusable value.
        public static let invalidValue = Code(.invalidValue)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// The field path, `messages[0].media_type`; empty for the top-level value.
    public let path: String
    /// What was expected ("string", "int", "object", "ISO 8601 date-time", a type name), when known.
    public let expected: String?
    /// The value found, as its JSON type and a short rendering (`int 5`, `null`); nil when missing.
    public let seen: String?
    /// More explanation, such as the `debugDescription` of a `DecodingError` thrown by `init(from:)`.
    public let detail: String?

    private init(code: Code, path: String, expected: String?, seen: String? = nil, detail: String? = nil) {
        self.code = code
        self.path = path
        self.expected = expected
        self.seen = seen
        self.detail = detail
    }

    /// The member at `path` is absent.
    public static func missing(_ path: String, expected: String?) -> Self {
        Self(code: .missing, path: path, expected: expected)
    }

    /// The value at `path` has another JSON type than `expected` (null has its own case, ``null(_:expected:)``).
    public static func typeMismatch(_ path: String, expected: String, seen: JSONValue) -> Self {
        if seen.isNull { return null(path, expected: expected) }
        return Self(code: .typeMismatch, path: path, expected: expected, seen: "\(seen.typeName) \(seen.briefDescription)")
    }

    /// The value at `path` is null where `expected` is required.
    public static func null(_ path: String, expected: String?) -> Self {
        Self(code: .null, path: path, expected: expected, seen: "null")
    }

    /// The value at `path` has the right JSON type but not a usable value (a malformed date, ...).
    public static func invalidValue(_ path: String, expected: String?, seen: JSONValue?, detail: String? = nil) -> Self {
        Self(code: .invalidValue, path: path, expected: expected,
             seen: seen.map { "\($0.typeName) \($0.briefDescription)" }, detail: detail)
    }

    /// The same problem, from a `DecodingError` (thrown by some type's own `init(from:)`).
    public init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .missing(JSONCodingPath.text(context.codingPath + [key]), expected: nil)
        case .valueNotFound(let type, let context):
            self = .null(JSONCodingPath.text(context.codingPath), expected: JSONValueDecoderError.name(of: type))
        case .typeMismatch(let type, let context):
            self.init(code: .typeMismatch, path: JSONCodingPath.text(context.codingPath),
                      expected: JSONValueDecoderError.name(of: type), detail: context.debugDescription)
        case .dataCorrupted(let context):
            self.init(code: .invalidValue, path: JSONCodingPath.text(context.codingPath), expected: nil,
                      detail: context.debugDescription)
        @unknown default:
            self.init(code: .invalidValue, path: "", expected: nil, detail: "\(error)")
        }
    }

    /// The JSON name of a Swift type in messages: "string", "int", "number", "bool", else the type's name.
    static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Int.Type: return "int"
        case is Double.Type, is Float.Type: return "number"
        case is Bool.Type: return "bool"
        default: return "\(type)"
        }
    }

    public var description: String {
        let subject = path.isEmpty ? "top-level value" : "field '\(path)'"
        var text: String
        switch code.value {
        case .missing:
            text = "\(subject) is missing" + (expected.map { " (expected \($0))" } ?? "")
        case .typeMismatch, .null, .invalidValue:
            text = subject + ": "
            if let expected { text += "expected \(expected)" }
            if let seen { text += (expected == nil ? "" : ", ") + "got \(seen)" }
            if let detail { text += (expected == nil && seen == nil ? "" : " (") + detail + (expected == nil && seen == nil ? "" : ")") }
        }
        return text
    }
}
