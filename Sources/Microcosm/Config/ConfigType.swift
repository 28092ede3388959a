/// A configuration value type with its converter, as in microcosm's `typed(int)`, `boolean`,
/// `comma_separated_list`.
///
/// Converters accept the text forms that settings files and environment variables carry:
/// `ConfigType.int` reads `10` and `"10"`; `ConfigType.bool` reads `true`, `"yes"`, `"OFF"`, `"1"`.
public struct ConfigType: Sendable, CustomStringConvertible {
    /// The name used in error messages ("int", "bool", ...).
    public let name: String
    private let converter: @Sendable (JSONValue) -> JSONValue?

    /// A type named `name` whose converter returns the canonical value, or nil when `value` does not fit.
    public init(name: String, converter: @escaping @Sendable (JSONValue) -> JSONValue?) {
        self.name = name
        self.converter = converter
    }

    /// The canonical form of `value` for this type, or nil when it does not convert.
    public func convert(_ value: JSONValue) -> JSONValue? { converter(value) }

    public var description: String { name }

    /// Text; numbers and booleans are accepted and written as text.
    public static let string = ConfigType(name: "string") { value in
        switch value {
        case .string: return value
        case .int(let number): return .string(String(number))
        case .double(let number): return .string(JSONSerializer.pythonRepr(number))
        case .bool(let flag): return .string(flag ? "true" : "false")
        default: return nil
        }
    }

    /// A whole number; text such as `"42"` is parsed.
    public static let int = ConfigType(name: "int") { value in
        switch value {
        case .int: return value
        case .double: return value.intValue.map(JSONValue.int)
        case .string(let text): return Int(text.trimmingASCIIWhitespace()).map(JSONValue.int)
        default: return nil
        }
    }

    /// A number; text such as `"0.5"` is parsed.
    public static let double = ConfigType(name: "double") { value in
        switch value {
        case .int(let number): return .double(Double(number))
        case .double: return value
        case .string(let text): return Double(text.trimmingASCIIWhitespace()).map(JSONValue.double)
        default: return nil
        }
    }

    /// A boolean: `true/false/yes/no/on/off/1/0` (and microcosm's `t/f/y/n`) in any case;
    /// the empty string is false (as in microcosm).
    public static let bool = ConfigType(name: "bool") { value in
        switch value {
        case .bool: return value
        case .int(0): return false
        case .int(1): return true
        case .string(let text): return ConfigType.parseBool(text).map(JSONValue.bool)
        default: return nil
        }
    }

    /// A list of strings; text is split on commas, trimmed, empty parts dropped.
    public static let list = ConfigType(name: "comma-separated list") { value in
        switch value {
        case .array(let elements):
            let strings = elements.compactMap { ConfigType.string.convert($0) }
            return strings.count == elements.count ? .array(strings) : nil
        case .string(let text):
            return .array(text.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }.map { .string($0) })
        default: return nil
        }
    }

    /// A nested object; text holding a JSON object is parsed.
    public static let object = ConfigType(name: "object") { value in
        switch value {
        case .object: return value
        case .string(let text):
            guard let parsed = try? JSONParser.parse(text), case .object = parsed else { return nil }
            return parsed
        default: return nil
        }
    }

    /// Any value, kept as it is.
    public static let any = ConfigType(name: "value") { $0 }

    /// Text that must be one of `choices` (compared exactly).
    public static func oneOf(_ choices: [String]) -> ConfigType {
        ConfigType(name: "one of " + choices.joined(separator: ", ")) { value in
            guard let text = ConfigType.string.convert(value)?.stringValue, choices.contains(text) else { return nil }
            return .string(text)
        }
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.trimmingASCIIWhitespace().lowercased() {
        case "true", "yes", "on", "1", "t", "y": return true
        case "false", "no", "off", "0", "f", "n", "": return false
        default: return nil
        }
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
