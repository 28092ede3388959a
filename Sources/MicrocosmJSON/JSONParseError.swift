/// Why a JSON text could not be parsed, and where (1-based line and column).
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong ("expected ',' or '}' after object member").
    public let reason: String
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column (in bytes) of the offending character.
    public let column: Int
    /// 0-based byte offset of the offending character.
    public let offset: Int

    public init(reason: String, line: Int, column: Int, offset: Int) {
        self.reason = reason
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}
