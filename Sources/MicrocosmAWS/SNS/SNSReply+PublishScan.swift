/// A Publish reply read by scanning its bytes, without building an ``XMLNode`` tree: the reply is
/// read per publish. Only the shape SNS (and moto, and LocalStack) send is accepted, exactly:
///
/// ```xml
/// <?xml ...?> <PublishResponse xmlns="..."> <PublishResult> <MessageId>…</MessageId>
/// <SequenceNumber>…</SequenceNumber> </PublishResult> <ResponseMetadata> <RequestId>…</RequestId>
/// </ResponseMetadata> </PublishResponse>
/// ```
///
/// with the prologue, `SequenceNumber` and `ResponseMetadata` optional, whitespace between elements,
/// and values without `&` (no references to decode). Anything else (an error document, another
/// layout, a reference, a comment, a prefix, a truncated body) is not scanned, and the reply is
/// parsed whole, so an unusual reply reads as it always did.
struct SNSPublishReplyScan {
    let messageId: String
    let sequenceNumber: String?
    let requestId: String?

    init?(_ bytes: [UInt8]) {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        if scanner.take("<?") {
            guard scanner.skip(past: "?>") else { return nil }
            scanner.skipWhitespace()
        }
        guard scanner.take("<PublishResponse") else { return nil }
        if scanner.take(" xmlns=\"") {
            guard scanner.text(until: UInt8(ascii: "\"")) != nil, scanner.take("\"") else { return nil }
        }
        guard scanner.take(">") else { return nil }
        scanner.skipWhitespace()
        guard scanner.take("<PublishResult>") else { return nil }
        scanner.skipWhitespace()
        guard let messageId = scanner.element("<MessageId>", "</MessageId>") else { return nil }
        scanner.skipWhitespace()
        var sequenceNumber: String?
        if scanner.sees("<SequenceNumber>") {
            guard let value = scanner.element("<SequenceNumber>", "</SequenceNumber>") else { return nil }
            sequenceNumber = value
            scanner.skipWhitespace()
        }
        guard scanner.take("</PublishResult>") else { return nil }
        scanner.skipWhitespace()
        var requestId: String?
        if scanner.take("<ResponseMetadata>") {
            scanner.skipWhitespace()
            guard let value = scanner.element("<RequestId>", "</RequestId>") else { return nil }
            requestId = value
            scanner.skipWhitespace()
            guard scanner.take("</ResponseMetadata>") else { return nil }
            scanner.skipWhitespace()
        }
        guard scanner.take("</PublishResponse>") else { return nil }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { return nil }
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
        self.requestId = requestId
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        /// True when the bytes at the position are `literal`.
        func sees(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            return literal.withUTF8Buffer { literal in
                bytes.withUnsafeBufferPointer { bytes in
                    literal.elementsEqual(UnsafeBufferPointer(rebasing: bytes[position..<position + count]))
                }
            }
        }

        /// Moves past `literal` when the bytes at the position are it.
        mutating func take(_ literal: StaticString) -> Bool {
            guard sees(literal) else { return false }
            position += literal.utf8CodeUnitCount
            return true
        }

        /// Moves past the next `terminator`; false when there is none.
        mutating func skip(past terminator: StaticString) -> Bool {
            while position < bytes.count {
                if take(terminator) { return true }
                position += 1
            }
            return false
        }

        /// XML whitespace, as XMLReader skips it between elements.
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0a, 0x0d: position += 1
                default: return
                }
            }
        }

        /// The text up to `end` (not taken), or nil when it holds `<` or `&` or does not end.
        mutating func text(until end: UInt8) -> String? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == end { return String(decoding: bytes[start..<position], as: UTF8.self) }
                if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") { return nil }
                position += 1
            }
            return nil
        }

        /// The text of `open`…`close`, or nil when the bytes are not that element with plain text.
        mutating func element(_ open: StaticString, _ close: StaticString) -> String? {
            guard take(open) else { return nil }
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "<") {
                if bytes[position] == UInt8(ascii: "&") { return nil }
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            return take(close) ? text : nil
        }
    }
}
