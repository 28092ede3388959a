import MicrocosmJSON
/// A configuration value type with its converter, as in microcosm's `typed(int)`, `boolean`,
/// `comma_separated_list`.
///
/// Converters accept the text forms that settings files and environment variables carry:
/// `ConfigType.int` reads `10` and `"10"`; `ConfigType.bool` reads `true`, `"yes"`, `"OFF"`, `"1"`.
public struct ConfigType: Sendable, CustomStringConvertible {
    /// The name used in error messages ("int", "bool", ...).
    public let name: String
    private let converter: @Sendable (JSONValue) -> JSONValue?
    /// For a range (``int(in:)``, ``seconds(in:)``): the converter of the type the range narrows.
    private let baseConverter: (@Sendable (JSONValue) -> JSONValue?)?

    /// A type named `name` whose converter returns the canonical value, or nil when `value` does not fit.
    public init(name: String, converter: @escaping @Sendable (JSONValue) -> JSONValue?) {
        self.name = name
        self.converter = converter
        baseConverter = nil
    }

    /// `base` narrowed to the values `accepts` lets through, named `name` (`seconds from 0.001 to 86400`).
    public init(name: String, narrowing base: ConfigType, accepts: @escaping @Sendable (JSONValue) -> Bool) {
        self.name = name
        baseConverter = base.converter
        converter = { value -> JSONValue? in
            guard let converted = base.convert(value), accepts(converted) else { return Optional.none }
            return converted
        }
    }

    /// The canonical form of `value` for this type, or nil when it does not convert.
    public func convert(_ value: JSONValue) -> JSONValue? { converter(value) }

    /// True when `value` is of the type a range narrows but outside the range (NaN, infinite, too
    /// large, negative): an invalid value rather than a type mismatch.
    public func isOutOfRange(_ value: JSONValue) -> Bool {
        convert(value) == nil && baseConverter?(value) != nil
    }

    /// A whole number within `range`: `.int(in: 1...Int.max)` for a count.
    public static func int(in range: ClosedRange<Int>) -> ConfigType {
        ConfigType(name: ConfigType.describe(range), narrowing: .int) { $0.intValue.map(range.contains) ?? false }
    }

    /// A finite number within `range`.
    public static func double(in range: ClosedRange<Double>) -> ConfigType {
        ConfigType(name: "a number from \(ConfigType.text(range.lowerBound)) to \(ConfigType.text(range.upperBound))", narrowing: .double) {
            $0.doubleValue.map { $0.isFinite && range.contains($0) } ?? false
        }
    }

    /// A finite number of seconds within `range`; give timeouts a positive lower bound (`0.001...86_400`).
    public static func seconds(in range: ClosedRange<Double>) -> ConfigType {
        ConfigType(name: "seconds from \(ConfigType.text(range.lowerBound)) to \(ConfigType.text(range.upperBound))", narrowing: .double) {
            $0.doubleValue.map { $0.isFinite && range.contains($0) } ?? false
        }
    }

    /// `a whole number from 1 to 10`, `... of at least 1`.
    static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): return "a whole number"
        case (let low, Int.max): return "a whole number of at least \(low)"
        case (Int.min, let high): return "a whole number of at most \(high)"
        case (let low, let high): return "a whole number from \(low) to \(high)"
        }
    }

    /// `0.001`, `86400` (no `.0` on whole numbers).
    static func text(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

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
