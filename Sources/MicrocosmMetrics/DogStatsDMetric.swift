import Microcosm
import MicrocosmJSON

/// One DogStatsD metric sample, and the line it is sent as:
/// `<name>:<value>|<type>[|@<sample rate>][|#<tag>,<tag>...]`.
///
/// The line is what Datadog's Python client (`datadog.DogStatsd`, which microcosm-metrics binds as
/// `metrics`) writes for the same call: the value as Python's `str` writes it (`12.5`, `3`,
/// `0.1`), the sample rate only when it is not 1, the call's tags first and the constant tags
/// after them, every tag with characters other than letters, digits, `_`, `-`, `:`, `/` and `.`
/// replaced by `_`.
///
/// ```swift
/// let metric = DogStatsDMetric.histogram("message", 12.5, tags: ["result:SUCCEEDED"])
/// metric.line(constantTags: ["service:things"])   // "message:12.5|h|#result:SUCCEEDED,service:things"
/// ```
public struct DogStatsDMetric: Sendable, Hashable {
    /// The metric type, written after the value (`c`, `g`, `h`, `d`, `ms`, `s`).
    public struct Kind: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A counter (`c`): `increment`/`decrement`.
        public static let count = Kind(rawValue: "c")
        /// A gauge (`g`): the last value wins.
        public static let gauge = Kind(rawValue: "g")
        /// A histogram (`h`): aggregated by the agent (avg, count, max, median, 95th percentile).
        public static let histogram = Kind(rawValue: "h")
        /// A distribution (`d`): aggregated by Datadog across hosts.
        public static let distribution = Kind(rawValue: "d")
        /// A timing (`ms`): a histogram of milliseconds.
        public static let timing = Kind(rawValue: "ms")
        /// A set (`s`): counts unique values.
        public static let set = Kind(rawValue: "s")
    }

    /// A sample value: whole numbers are written without a decimal point, as Python writes an `int`.
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case int(Int)
        case double(Double)
        case text(String)

        /// The value as Python's `str` writes it (`3`, `12.5`, `1e-05`).
        public var description: String {
            switch self {
            case .int(let number): return String(number)
            case .double(let number): return JSONSerializer.pythonRepr(number)
            case .text(let text): return text
            }
        }
    }

    /// The metric name, sent as it is (microcosm-metrics sets no namespace).
    public var name: String
    /// The sample value.
    public var value: Value
    /// The metric type.
    public var kind: Kind
    /// The sample's own tags (the client's constant tags are added after them).
    public var tags: [String]
    /// The fraction of samples sent (1: all); the agent scales counts back up.
    public var sampleRate: Double

    /// A sample.
    public init(name: String, value: Value, kind: Kind, tags: [String] = [], sampleRate: Double = 1) {
        self.name = name
        self.value = value
        self.kind = kind
        self.tags = tags
        self.sampleRate = sampleRate
    }

    /// A histogram sample (`h`).
    public static func histogram(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .double(value), kind: .histogram, tags: tags, sampleRate: sampleRate)
    }

    /// A histogram sample of a whole number (`h`), written without a decimal point.
    public static func histogram(_ name: String, _ value: Int, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .int(value), kind: .histogram, tags: tags, sampleRate: sampleRate)
    }

    /// A counter increment (`c`).
    public static func count(_ name: String, _ value: Int = 1, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .int(value), kind: .count, tags: tags, sampleRate: sampleRate)
    }

    /// A gauge sample (`g`).
    public static func gauge(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .double(value), kind: .gauge, tags: tags, sampleRate: sampleRate)
    }

    /// A distribution sample (`d`).
    public static func distribution(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .double(value), kind: .distribution, tags: tags, sampleRate: sampleRate)
    }

    /// A timing sample (`ms`), in milliseconds.
    public static func timing(_ name: String, _ duration: Duration, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .double(duration.milliseconds), kind: .timing, tags: tags, sampleRate: sampleRate)
    }

    /// A set member (`s`).
    public static func set(_ name: String, _ member: String, tags: [String] = [], sampleRate: Double = 1) -> Self {
        Self(name: name, value: .text(member), kind: .set, tags: tags, sampleRate: sampleRate)
    }

    /// The DogStatsD line, with `constantTags` (already normalized) after the sample's own tags.
    public func line(constantTags: [String] = []) -> String {
        var line = name + ":" + value.description + "|" + kind.rawValue
        if sampleRate != 1 { line += "|@" + JSONSerializer.pythonRepr(sampleRate) }
        if !tags.isEmpty || !constantTags.isEmpty {
            line += "|#" + (tags.map(Self.normalizedTag) + constantTags).joined(separator: ",")
        }
        return line
    }

    /// `tag` with every character other than a letter, a digit, `_`, `-`, `:`, `/` and `.` replaced
    /// by `_`, as Datadog's clients normalize tags.
    public static func normalizedTag(_ tag: String) -> String {
        guard tag.unicodeScalars.contains(where: { !isTagScalar($0) }) else { return tag }
        return String(String.UnicodeScalarView(tag.unicodeScalars.map { isTagScalar($0) ? $0 : "_" }))
    }

    private static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ":", "/", ".": return true
        default: return scalar.value > 0x7F && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
    }
}

extension Duration {
    /// This duration in (fractional) milliseconds.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
