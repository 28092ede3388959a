/// The SigV4 canonical request of an HTTP request, built the way botocore's `SigV4Auth.canonical_request` builds it:
///
/// ```
/// METHOD
/// /normalized/and/encoded/path
/// sorted=encoded&query=pairs
/// lower-case-name:trimmed value      (one line per signed header, sorted; repeated headers joined with ",")
///
/// signed;header;names
/// hex SHA-256 of the body (or the X-Amz-Content-SHA256 header, when the request has one)
/// ```
///
/// It is written straight into the signer's ``SigV4Buffer``: no strings or arrays per header. The lower-cased header
/// names and the sort order live in two small stack buffers.
enum SigV4CanonicalRequest {
    /// Upper bounds of what ``write(_:fields:engine:to:)`` appends for `request` with header `fields`: the whole
    /// canonical request, and its signed-headers list alone.
    static func byteCountBounds(of request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field]) -> (canonicalRequest: Int, signedHeaders: Int) {
        var names = 4 + 1   // "host" when it is added, and its separator
        var values = hostHeaderByteCountBound(request)
        for field in fields {
            names += loweredNameByteCountBound(field.name) + 1
            values += field.value.utf8.count + 2
        }
        var bound = request.method.utf8.count + 1
        bound += 3 * request.path.utf8.count + 3                // every byte may become %XX
        bound += 4 * (request.query?.utf8.count ?? 0) + 2       // the same, plus "=" after a key without one
        bound += 2 * names + values + 1                         // the header lines, then the signed names
        bound += 1 + max(64, values)                            // the payload hash, or the X-Amz-Content-SHA256 header
        return (bound, names)
    }

    /// Appends the canonical form of `request` with the header fields `fields` in place of its own (the signer's
    /// fields, with `X-Amz-Date` and the token set) and returns where in `output` its signed-headers list
    /// (`content-type;host;x-amz-date`) is.
    static func write(_ request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], engine: SHA256.Engine,
                      to output: inout SigV4Buffer) -> Range<Int> {
        appendUppercasedASCII(request.method, to: &output)
        output.append(.newline)
        appendCanonicalPath(request.path, to: &output)
        output.append(.newline)
        appendCanonicalQuery(request.query, to: &output)
        output.append(.newline)
        let (signedHeaders, payloadHash) = appendCanonicalHeaders(fields, of: request, to: &output)
        output.append(.newline)
        if let payloadHash {
            output.append(fields[payloadHash].value)
        } else {
            output.appendHex(request.body.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) })
        }
        return signedHeaders
    }

    /// Upper bound of what ``write(_:fields:plan:engine:to:)`` appends for `request` with header `fields` laid out
    /// by `plan`.
    static func byteCountBound(of request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], plan: SigV4HeaderPlan) -> Int {
        var values = plan.signsImpliedHost ? hostHeaderByteCountBound(request) + 1 : 0
        for field in fields { values += field.value.utf8.count + 1 }   // a trimmed value is never longer; a comma
        var bound = request.method.utf8.count + 1
        bound += 3 * request.path.utf8.count + 3
        bound += 4 * (request.query?.utf8.count ?? 0) + 2
        bound += plan.text.count + plan.lines.count + values + 2    // the lines and their newlines, the signed names
        bound += 1 + max(64, values)
        return bound
    }

    /// ``write(_:fields:engine:to:)`` for `fields` laid out by `plan` (made for their names): each line's `name:`
    /// and the signed-headers list come ready from the plan; only the values are trimmed and appended.
    static func write(_ request: AWSHTTPRequest, fields: [AWSHTTPHeaders.Field], plan: SigV4HeaderPlan, engine: SHA256.Engine,
                      to output: inout SigV4Buffer) -> Range<Int> {
        appendMethod(request.method, to: &output)
        output.append(.newline)
        appendCanonicalPath(request.path, to: &output)
        output.append(.newline)
        appendCanonicalQuery(request.query, to: &output)
        output.append(.newline)
        let signedHeaders = plan.text.withUnsafeBytes { text in
            plan.members.withUnsafeBufferPointer { members in
                for line in plan.lines {
                    output.append(UnsafeRawBufferPointer(rebasing: text[line.prefix]))
                    for position in line.members {
                        if position != line.members.lowerBound { output.append(.comma) }
                        let member = members[position]
                        if member < 0 {
                            appendHostHeader(request, to: &output)
                        } else {
                            appendTrimmed(fields[member].value, to: &output)
                        }
                    }
                    output.append(.newline)
                }
                output.append(.newline)
                let start = output.count
                output.append(UnsafeRawBufferPointer(rebasing: text[plan.signedHeaders]))
                return start..<output.count
            }
        }
        output.append(.newline)
        if let payloadHash = plan.payloadHash {
            output.append(fields[payloadHash].value)
        } else {
            output.appendHex(request.body.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) })
        }
        return signedHeaders
    }

    // MARK: - Method

    /// The method upper-cased: the usual ones as static text (`==` after the UTF-8 count, so the bytes are the same).
    private static func appendMethod(_ method: String, to output: inout SigV4Buffer) {
        let count = method.utf8.count
        if count == 4 && method == "POST" {
            output.append("POST" as StaticString)
        } else if count == 3 && method == "GET" {
            output.append("GET" as StaticString)
        } else {
            appendUppercasedASCII(method, to: &output)
        }
    }

    private static func appendUppercasedASCII(_ text: String, to output: inout SigV4Buffer) {
        for byte in text.utf8 { output.append(byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte) }
    }

    // MARK: - Path

    /// botocore `quote(remove_dot_segments(path), safe='/~')`: "." and ".." segments resolved, empty segments
    /// dropped, then every byte but unreserved ones and "/" percent-encoded. The path is encoded as it will be
    /// sent, so an escape already in it is encoded again, as AWS expects for services other than S3.
    private static func appendCanonicalPath(_ path: String, to output: inout SigV4Buffer) {
        if path == "/" || path.isEmpty {
            output.append(.slash)
            return
        }
        var path = path
        path.withUTF8 { utf8 in
            // Each kept segment is at least one byte and a slash.
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: utf8.count / 2 + 1) { segments in
                var segmentCount = 0
                var start = 0
                for index in 0...utf8.count where index == utf8.count || utf8[index] == .slash {
                    let segment = start..<index
                    start = index + 1
                    if segment.isEmpty || (segment.count == 1 && utf8[segment.lowerBound] == .dot) { continue }
                    if segment.count == 2 && utf8[segment.lowerBound] == .dot && utf8[segment.lowerBound + 1] == .dot {
                        if segmentCount > 0 { segmentCount -= 1 }
                    } else {
                        segments[segmentCount] = segment
                        segmentCount += 1
                    }
                }
                if utf8.first == .slash { output.append(.slash) }
                for position in 0..<segmentCount {
                    if position > 0 { output.append(.slash) }
                    SigV4CanonicalRequest.appendPercentEncoded(UnsafeBufferPointer(rebasing: utf8[segments[position]]),
                                                               to: &output)
                }
                if utf8.last == .slash && segmentCount > 0 { output.append(.slash) }
            }
        }
    }

    // MARK: - Query

    /// Each `key=value` pair decoded (`%XX` and `+` as a space) and encoded again with only the unreserved
    /// characters `A-Za-z0-9-_.~` left as they are; pairs sorted by encoded key, then encoded value. A key
    /// without `=` becomes `key=`.
    private static func appendCanonicalQuery(_ query: String?, to output: inout SigV4Buffer) {
        guard let query, !query.isEmpty else { return }
        var pairs: [(key: [UInt8], value: [UInt8])] = []
        for component in query.utf8.split(separator: .ampersand) {
            var key: [UInt8] = []
            var value: [UInt8] = []
            if let equals = component.firstIndex(of: .equals) {
                SigV4CanonicalRequest.appendPercentEncoded(
                    SigV4CanonicalRequest.formDecoded(component[..<equals]), to: &key)
                SigV4CanonicalRequest.appendPercentEncoded(
                    SigV4CanonicalRequest.formDecoded(component[component.index(after: equals)...]), to: &value)
            } else {
                SigV4CanonicalRequest.appendPercentEncoded(SigV4CanonicalRequest.formDecoded(component), to: &key)
            }
            pairs.append((key, value))
        }
        pairs.sort { lhs, rhs in
            lhs.key == rhs.key
                ? lhs.value.lexicographicallyPrecedes(rhs.value)
                : lhs.key.lexicographicallyPrecedes(rhs.key)
        }
        for (position, pair) in pairs.enumerated() {
            if position > 0 { output.append(.ampersand) }
            pair.key.withUnsafeBytes { output.append($0) }
            output.append(.equals)
            pair.value.withUnsafeBytes { output.append($0) }
        }
    }

    /// `%XX` escapes decoded (malformed ones kept as they are) and `+` read as a space, like Python's `unquote_plus`.
    private static func formDecoded(_ encoded: Substring.UTF8View) -> [UInt8] {
        let input = Array(encoded)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == .percent, index + 2 < input.count, let high = hexValue(input[index + 1]),
               let low = hexValue(input[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte == .plus ? .space : byte)
                index += 1
            }
        }
        return decoded
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x41...0x46: return digit - 0x41 + 10
        case 0x61...0x66: return digit - 0x61 + 10
        default: return nil
        }
    }

    // MARK: - Headers

    /// A signed header while the headers are sorted: its lower-cased name in the names buffer, and the field it
    /// comes from (-1: the host, computed from the request).
    private struct Entry {
        var nameStart: Int32
        var nameCount: Int32
        var field: Int32
    }

    /// One `name:value` line per signed header name, a blank line, and the `signedHeaders` list, whose place in
    /// `output` is returned with the index of the first `X-Amz-Content-SHA256` field, if any. Names are
    /// lower-cased; values are trimmed and their inner whitespace runs collapsed to one space; repeated headers
    /// are joined with "," in request order. The host is the request's `Host` header when it has one, else
    /// ``AWSHTTPRequest/hostHeader``.
    private static func appendCanonicalHeaders(_ fields: [AWSHTTPHeaders.Field], of request: AWSHTTPRequest,
                                               to output: inout SigV4Buffer) -> (signedHeaders: Range<Int>, payloadHash: Int?) {
        do {
            var namesCapacity = 4
            for field in fields { namesCapacity += loweredNameByteCountBound(field.name) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: namesCapacity) { names in
                withUnsafeTemporaryAllocation(of: Entry.self, capacity: fields.count + 1) { entries in
                    let namesBase = names.baseAddress!
                    var namesCount = 0
                    var entryCount = 0
                    @inline(__always) func name(_ entry: Entry) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(start: namesBase + Int(entry.nameStart), count: Int(entry.nameCount))
                    }
                    var hasHost = false
                    var payloadHash: Int?
                    for position in fields.indices {
                        let start = namesCount
                        SigV4CanonicalRequest.appendLowercasedName(fields[position].name, to: names, at: &namesCount)
                        let entry = Entry(nameStart: Int32(start), nameCount: Int32(namesCount - start), field: Int32(position))
                        let entryName = name(entry)
                        if SigV4CanonicalRequest.isUnsigned(entryName) {
                            namesCount = start
                            continue
                        }
                        if SigV4CanonicalRequest.equals(entryName, "host") { hasHost = true }
                        if payloadHash == nil && SigV4CanonicalRequest.equals(entryName, "x-amz-content-sha256") {
                            payloadHash = position
                        }
                        // A stable insertion sort: after every entry whose name sorts before or equal to this one.
                        var slot = entryCount
                        while slot > 0 && SigV4CanonicalRequest.precedes(entryName, name(entries[slot - 1])) {
                            entries[slot] = entries[slot - 1]
                            slot -= 1
                        }
                        entries[slot] = entry
                        entryCount += 1
                    }
                    if !hasHost {
                        // "host" sorts after every name it precedes and before the rest.
                        let start = namesCount
                        for byte in "host".utf8 {
                            names[namesCount] = byte
                            namesCount += 1
                        }
                        let entry = Entry(nameStart: Int32(start), nameCount: 4, field: -1)
                        var slot = entryCount
                        while slot > 0 && SigV4CanonicalRequest.precedes(name(entry), name(entries[slot - 1])) {
                            entries[slot] = entries[slot - 1]
                            slot -= 1
                        }
                        entries[slot] = entry
                        entryCount += 1
                    }
                    var index = 0
                    while index < entryCount {
                        let current = name(entries[index])
                        output.append(UnsafeRawBufferPointer(current))
                        output.append(.colon)
                        var first = true
                        while index < entryCount && SigV4CanonicalRequest.equals(name(entries[index]), current) {
                            if !first { output.append(.comma) }
                            first = false
                            let field = Int(entries[index].field)
                            if field < 0 {
                                SigV4CanonicalRequest.appendHostHeader(request, to: &output)
                            } else {
                                SigV4CanonicalRequest.appendTrimmed(fields[field].value, to: &output)
                            }
                            index += 1
                        }
                        output.append(.newline)
                    }
                    output.append(.newline)
                    let signedHeaders = output.count
                    for index in 0..<entryCount
                    where index == 0 || !SigV4CanonicalRequest.equals(name(entries[index]), name(entries[index - 1])) {
                        if index > 0 { output.append(.semicolon) }
                        output.append(UnsafeRawBufferPointer(name(entries[index])))
                    }
                    return (signedHeaders..<output.count, payloadHash)
                }
            }
        }
    }

    /// True when `name` holds exactly the bytes of `text`.
    @inline(__always)
    private static func equals(_ name: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        equals(name, UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// True when `lhs` and `rhs` hold the same bytes.
    @inline(__always)
    private static func equals(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        lhs.count == rhs.count && commonPrefixCount(lhs, rhs) == lhs.count
    }

    /// Byte order, as Python compares the lower-cased names.
    private static func precedes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = commonPrefixCount(lhs, rhs)
        guard common < lhs.count && common < rhs.count else { return lhs.count < rhs.count }
        return lhs[common] < rhs[common]
    }

    /// How many leading bytes `lhs` and `rhs` share, compared eight at a time (names are compared many times per
    /// request while they are sorted and grouped, and often share a prefix such as `x-amz-`).
    @inline(__always)
    private static func commonPrefixCount(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let count = min(lhs.count, rhs.count)
        guard count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return 0 }
        var index = 0
        while index &+ 8 <= count
            && UnsafeRawPointer(left).loadUnaligned(fromByteOffset: index, as: UInt64.self)
            == UnsafeRawPointer(right).loadUnaligned(fromByteOffset: index, as: UInt64.self) {
            index &+= 8
        }
        while index < count && left[index] == right[index] { index &+= 1 }
        return index
    }

    /// At least the bytes of `name` lower-cased: ASCII names keep their length; lower-casing any other character
    /// at most triples its UTF-8 (U+0130 becomes "i" and a combining dot).
    private static func loweredNameByteCountBound(_ name: String) -> Int {
        3 * name.utf8.count
    }

    /// Writes `name` lower-cased at `count` in `names`, advancing `count`: ASCII bytes one by one, any other name
    /// the Unicode way, as Python's `str.lower`.
    private static func appendLowercasedName(_ name: String, to names: UnsafeMutableBufferPointer<UInt8>,
                                             at count: inout Int) {
        let start = count
        let ascii = name.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            precondition(utf8.count <= names.count - count, "SigV4 names buffer overrun")
            var position = count
            for byte in utf8 {
                if byte >= 0x80 { return false }
                names[position] = byte &+ (byte &- 0x41 < 26 ? 0x20 : 0)
                position &+= 1
            }
            count = position
            return true
        }
        guard ascii != true else { return }
        count = start
        // Header names are ASCII tokens; any other name (or one without contiguous UTF-8) is lower-cased as Python would.
        let lowered = name.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: name.utf8.map { $0 &+ ($0 &- 0x41 < 26 ? 0x20 : 0) }, as: UTF8.self)
            : name.lowercased()
        precondition(lowered.utf8.count <= names.count - count, "SigV4 names buffer overrun")
        for byte in lowered.utf8 {
            names[count] = byte
            count += 1
        }
    }

    /// ``AWSHTTPRequest/hostHeader`` (host, bracketed when it is an IPv6 address, and `:port` when not the default).
    private static func appendHostHeader(_ request: AWSHTTPRequest, to output: inout SigV4Buffer) {
        let bracketed = request.host.utf8.withContiguousStorageIfAvailable { $0.contains(.colon) }
            ?? request.host.utf8.contains(.colon)
        if bracketed { output.append(UInt8(ascii: "[")) }
        output.append(request.host)
        if bracketed { output.append(UInt8(ascii: "]")) }
        if let port = request.port {
            output.append(.colon)
            if port < 0 { output.append(.hyphen) }
            output.appendDecimal(port.magnitude)
        }
    }

    private static func hostHeaderByteCountBound(_ request: AWSHTTPRequest) -> Int {
        request.host.utf8.count + 2 + 22
    }

    /// True for a lower-cased name of a header botocore never signs (hop-by-hop headers, and ones that proxies and
    /// SDKs change): connection, expect, keep-alive, proxy-authenticate, proxy-authorization, te, trailer,
    /// transfer-encoding, upgrade, user-agent, x-amzn-trace-id. Compared as static text, by length first: no global
    /// array to reach and walk for every header of every request.
    static func isUnsigned(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 2: equals(name, "te")
        case 6: equals(name, "expect")
        case 7: equals(name, "trailer") || equals(name, "upgrade")
        case 10: equals(name, "connection") || equals(name, "keep-alive") || equals(name, "user-agent")
        case 15: equals(name, "x-amzn-trace-id")
        case 17: equals(name, "transfer-encoding")
        case 18: equals(name, "proxy-authenticate")
        case 19: equals(name, "proxy-authorization")
        default: false
        }
    }

    /// botocore `' '.join(value.split())`: whitespace (as Python's `str.split` sees it) trimmed from both ends and
    /// every inner run of it replaced by one space.
    static func appendTrimmed(_ value: String, to output: inout SigV4Buffer) {
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            // Most values are ASCII with no whitespace but single inner spaces: those are copied whole.
            var previous = UInt8.space
            for byte in utf8 {
                // Printable ASCII but the space (0x21...0x7e) is the common case.
                if byte &- 0x21 < 0x5e {
                    previous = byte
                    continue
                }
                if byte >= 0x80 || (isASCIIWhitespace(byte) && (byte != .space || previous == .space)) { return false }
                previous = byte
            }
            guard previous != .space else { return utf8.isEmpty }
            output.append(UnsafeRawBufferPointer(utf8))
            return true
        }
        if copied == true { return }
        var pendingSpace = false
        var wroteAny = false
        for scalar in value.unicodeScalars {
            if isPythonWhitespace(scalar) {
                pendingSpace = wroteAny
            } else {
                if pendingSpace { output.append(.space) }
                pendingSpace = false
                wroteAny = true
                UTF8.encode(scalar) { output.append($0) }
            }
        }
    }

    /// Tab, line feed, vertical tab, form feed, carriage return, the file/group/record/unit separators, space.
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == .space || (byte >= 0x09 && byte <= 0x0d) || (byte >= 0x1c && byte <= 0x1f)
    }

    /// What Python's `str.isspace` accepts.
    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0d, 0x1c...0x20, 0x85, 0xa0, 0x1680, 0x2000...0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
            return true
        default:
            return false
        }
    }

    // MARK: - Percent-encoding

    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends `bytes` with every byte but `A-Za-z0-9-_.~` written as `%XX` (upper-case hex).
    static func appendPercentEncoded<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
        let copied: Void? = bytes.withContiguousStorageIfAvailable { input in
            // At most three bytes out per byte in: written into spare capacity, then counted once.
            output.reserveCapacity(output.count + 3 * input.count)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: 3 * input.count))
            let written = output.withUnsafeMutableBufferPointer { buffer -> Int in
                var position = start
                for byte in input {
                    percentEncode(byte) { buffer[position] = $0; position &+= 1 }
                }
                return position
            }
            output.removeLast(output.count - written)
        }
        if copied == nil {
            for byte in bytes { percentEncode(byte) { output.append($0) } }
        }
    }

    /// Appends `bytes` with every byte but `A-Za-z0-9-_.~` written as `%XX` (upper-case hex).
    static func appendPercentEncoded(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout SigV4Buffer) {
        for byte in bytes { percentEncode(byte) { output.append($0) } }
    }

    @inline(__always)
    private static func percentEncode(_ byte: UInt8, _ emit: (UInt8) -> Void) {
        if isUnreserved(byte) {
            emit(byte)
        } else {
            emit(.percent)
            emit(upperHexDigits[Int(byte >> 4)])
            emit(upperHexDigits[Int(byte & 0x0f)])
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5a, 0x61...0x7a, 0x30...0x39, .hyphen, .underscore, .dot, .tilde: return true
        default: return false
        }
    }
}

extension UInt8 {
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let slash = UInt8(ascii: "/")
    fileprivate static let dot = UInt8(ascii: ".")
    fileprivate static let ampersand = UInt8(ascii: "&")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let percent = UInt8(ascii: "%")
    fileprivate static let plus = UInt8(ascii: "+")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let semicolon = UInt8(ascii: ";")
    fileprivate static let hyphen = UInt8(ascii: "-")
    fileprivate static let underscore = UInt8(ascii: "_")
    fileprivate static let tilde = UInt8(ascii: "~")
}
