/// A response's header lines as the transport received them, kept as bytes and read only when asked.
///
/// Most replies are asked for one header (a request id) or none, so ``CurlTransport`` hands their header lines over
/// as they came instead of building a `String` per name and value: ``AWSHTTPHeaders`` looks fields up in the bytes
/// and builds its ``AWSHTTPHeaders/fields`` only when they are read whole. The fields are those a reader of the lines
/// one by one gets (``field(in:)``): a line starting with `HTTP/` (a new response head, after a 100 Continue, say)
/// drops the lines before it, a line without `:` is no field, and a value loses the blanks around it.
package struct AWSHTTPHeaderLines: Sendable {
    /// Each line as a 4-byte length (native byte order) and then its bytes, terminator included (as `CurlResponseHead`
    /// writes them).
    private let bytes: [UInt8]

    /// The lines in `bytes`, in the format above.
    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The name and value of one header line, or nil for a line without a colon: the name is everything before the
    /// first colon, the value what follows it without leading spaces and tabs or trailing CR, LF, spaces and tabs.
    package static func field(in line: UnsafeRawBufferPointer) -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart {
            let last = line[valueEnd - 1]
            guard last == 0x0d || last == 0x0a || last == 0x20 || last == 0x09 else { break }
            valueEnd -= 1
        }
        return (UnsafeRawBufferPointer(rebasing: line[..<colon]), UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]))
    }

    /// Calls `body` with each field's name and value in order until it returns false.
    func forEachField(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool) {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset + 4 <= all.count {
                let length = Int(all.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                let line = UnsafeRawBufferPointer(rebasing: all[(offset + 4)..<(offset + 4 + length)])
                offset += 4 + length
                if let (name, value) = AWSHTTPHeaderLines.field(in: line), !body(name, value) { return }
            }
        }
    }

    /// Every field, as Strings.
    var fields: [AWSHTTPHeaders.Field] {
        var fields: [AWSHTTPHeaders.Field] = []
        forEachField { name, value in
            fields.append(AWSHTTPHeaders.Field(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
            return true
        }
        return fields
    }

    var count: Int {
        var count = 0
        forEachField { _, _ in
            count += 1
            return true
        }
        return count
    }

    /// Whether the field name `bytes` equals `name` as ``AWSHTTPHeaders`` compares names (ASCII letters in any case, the
    /// name decoded as UTF-8 with invalid bytes replaced), without making a String of ASCII names.
    static func name(_ bytes: UnsafeRawBufferPointer, equals name: String) -> Bool {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).caseInsensitiveEquals(name) }
        let other = name.utf8
        guard bytes.count == other.count else { return false }
        return zip(bytes, other).allSatisfy { a, b in
            a == b || ((a | 0x20) == (b | 0x20) && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }

    /// The values of the fields named `name` (any case), in order; only the first when `first`.
    func values(for name: String, first: Bool) -> [String] {
        var values: [String] = []
        forEachField { fieldName, value in
            guard AWSHTTPHeaderLines.name(fieldName, equals: name) else { return true }
            values.append(String(decoding: value, as: UTF8.self))
            return !first
        }
        return values
    }
}
