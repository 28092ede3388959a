/// The part of swift-log's `Logging` module that README.md's swift-log recipe uses, with swift-log's
/// signatures, so the recipe compiles without the package (this package depends on none). It
/// records nothing; only ReadmeTests imports it.
public struct Logger: Sendable {
    /// swift-log's levels.
    public enum Level: String, Codable, CaseIterable, Sendable {
        case trace, debug, info, notice, warning, error, critical
    }

    /// A log message, made from a string literal or interpolation.
    public struct Message: ExpressibleByStringLiteral, ExpressibleByStringInterpolation, Equatable, Sendable {
        public var description: String

        public init(stringLiteral value: String) {
            description = value
        }
    }

    /// A metadata value.
    public enum MetadataValue: Sendable {
        case string(String)
        case stringConvertible(any CustomStringConvertible & Sendable)
        case dictionary(Metadata)
        case array([MetadataValue])
    }

    public typealias Metadata = [String: MetadataValue]

    public let label: String

    public init(label: String) {
        self.label = label
    }

    /// Logs `message` at `level` (here: does nothing).

    public func log(level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
                    metadata: @autoclosure () -> Logger.Metadata? = nil, source: @autoclosure () -> String? = nil,
                    file: String = #fileID, function: String = #function, line: UInt = #line) {}
}
