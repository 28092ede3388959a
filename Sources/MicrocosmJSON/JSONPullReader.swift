/// Reads JSON text piece by piece, without building a ``JSONValue`` tree, with the parser's own
/// rules for strings, numbers, whitespace and nesting (the same code reads them): for a reply read
/// per request whose shape is known, with ``JSONParser`` as the fallback whenever the pull reader
/// gives up.
///
/// ```swift
/// let ids = JSONPullReader.read(bytes) { reader throws(JSONParseError) -> [String]? in
///     guard try reader.beginObject() else { return nil }
///     ...
/// }
/// ```
package struct JSONPullReader {
    private var reader: Reader
    /// The containers open at the position, as the parser counts nesting.
    private var depth = 0
    /// Whether the container last opened has had a member (so a ',' comes before the next).
    private var started: [Bool] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        reader = Reader(bytes: bytes)
    }

    /// What `body` reads from `bytes`; nil when it gives up (returns nil), when the text is not
    /// JSON as ``JSONParser`` reads it, or when text follows the value.
    package static func read<R>(_ bytes: [UInt8], _ body: (inout JSONPullReader) throws(JSONParseError) -> R?) -> R? {
        bytes.withUnsafeBufferPointer { buffer in
            var pull = JSONPullReader(bytes: buffer)
            do {
                guard let result = try body(&pull) else { return nil }
                pull.reader.skipWhitespace()
                return pull.reader.index == buffer.count ? result : nil
            } catch {
                return nil
            }
        }
    }

    /// Opens an object at the position; false (nothing read) when the next value is not one.
    package mutating func beginObject() throws(JSONParseError) -> Bool {
        try begin(UInt8(ascii: "{"))
    }

    /// Opens an array at the position; false (nothing read) when the next value is not one.
    package mutating func beginArray() throws(JSONParseError) -> Bool {
        try begin(UInt8(ascii: "["))
    }

    /// The next key of the open object (its `:` read), or nil at its end (closed).
    package mutating func nextKey() throws(JSONParseError) -> String? {
        guard try next(closing: UInt8(ascii: "}")) else { return nil }
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "\"") else {
            throw reader.error("expected a string key, found \(reader.describeCurrent())")
        }
        let key = try reader.parseString()
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: ":") else {
            throw reader.error("expected ':' after object key, found \(reader.describeCurrent())")
        }
        reader.index += 1
        return key
    }

    /// True when the open array has another element (then read it), false at its end (closed).
    package mutating func nextElement() throws(JSONParseError) -> Bool {
        try next(closing: UInt8(ascii: "]"))
    }

    /// The string at the position, or nil (nothing read) when the next value is not a string.
    package mutating func string() throws(JSONParseError) -> String? {
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "\"") else { return nil }
        return try reader.parseString()
    }

    /// Reads a `null` at the position and returns true, or returns false (nothing read).
    package mutating func null() throws(JSONParseError) -> Bool {
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "n") else { return false }
        try reader.expectWord("null")
        return true
    }

    /// Reads the value at the position, whatever it is, as the parser would.
    package mutating func skipValue() throws(JSONParseError) {
        reader.skipWhitespace()
        _ = try reader.parseValue(depth: depth)
    }

    private mutating func begin(_ opening: UInt8) throws(JSONParseError) -> Bool {
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == opening else { return false }
        depth += 1
        guard depth <= JSONParser.maximumDepth else { throw reader.error("nesting deeper than \(JSONParser.maximumDepth)") }
        reader.index += 1
        started.append(false)
        return true
    }

    /// Past the `,` before the next member, or the closing byte (the container closed: false).
    private mutating func next(closing: UInt8) throws(JSONParseError) -> Bool {
        reader.skipWhitespace()
        guard reader.index < reader.bytes.count else { throw reader.error("expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
        let byte = reader.bytes[reader.index]
        if byte == closing {
            reader.index += 1
            started.removeLast()
            depth -= 1
            return false
        }
        if started[started.count - 1] {
            guard byte == UInt8(ascii: ",") else { throw reader.error("expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
            reader.index += 1
        } else {
            started[started.count - 1] = true
        }
        return true
    }
}
