/// Log severity, the same seven levels (and raw values) as swift-log.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case trace, debug, info, notice, warning, error, critical

    private var rank: Int { LogLevel.allCases.firstIndex(of: self)! }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }

    /// Parses a level name in any case; Python's names `WARN`, `FATAL` are accepted too.
    public init?(name: String) {
        switch name.lowercased() {
        case "warn": self = .warning
        case "fatal": self = .critical
        default: self.init(rawValue: name.lowercased())
        }
    }
}

extension ConfigType {
    /// A log level name (any case; `warn` and `fatal` accepted), stored as its swift-log name.
    public static let logLevel = ConfigType(name: "log level (trace, debug, info, notice, warning, error, critical)") { value in
        value.stringValue.flatMap(LogLevel.init(name:)).map { .string($0.rawValue) }
    }
}
