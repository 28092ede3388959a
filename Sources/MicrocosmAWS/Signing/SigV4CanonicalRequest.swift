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
struct SigV4CanonicalRequest {
    /// Headers botocore never signs (hop-by-hop headers, and ones that proxies and SDKs change).
    static let unsignedHeaderNames: [[UInt8]] = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ].map { Array($0.utf8) }

    /// The canonical request, UTF-8.
    private(set) var bytes: [UInt8] = []
    /// `content-type;host;x-amz-date`: the names of the signed headers, sorted, joined with `;`.
    private(set) var signedHeaders: [UInt8] = []

    /// The canonical form of `request` exactly as it is (the caller has already set `X-Amz-Date` and the token).
    init(_ request: HTTPRequest) {
        var headerBytes = 0
        for field in request.headers { headerBytes += field.name.utf8.count + field.value.utf8.count + 2 }
        bytes.reserveCapacity(256 + request.path.utf8.count + 2 * (request.query?.utf8.count ?? 0) + headerBytes)
        appendUppercasedASCII(request.method)
        bytes.append(.newline)
        appendCanonicalPath(request.path)
        bytes.append(.newline)
        appendCanonicalQuery(request.query)
        bytes.append(.newline)
        appendCanonicalHeaders(request)
        bytes.append(.newline)
        bytes.append(contentsOf: signedHeaders)
        bytes.append(.newline)
        if let payloadHash = request.headers["X-Amz-Content-SHA256"] {
            bytes.append(contentsOf: payloadHash.utf8)
        } else {
            SHA256.hash(request.body).appendHex(to: &bytes)
        }
    }

    /// The canonical request as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: - Method

    private mutating func appendUppercasedASCII(_ text: String) {
        for byte in text.utf8 { bytes.append(byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte) }
    }

    // MARK: - Path

    /// botocore `quote(remove_dot_segments(path), safe='/~')`: "." and ".." segments resolved, empty segments
    /// dropped, then every byte but unreserved ones and "/" percent-encoded. The path is encoded as it will be
    /// sent, so an escape already in it is encoded again, as AWS expects for services other than S3.
    private mutating func appendCanonicalPath(_ path: String) {
        if path == "/" || path.isEmpty {
            bytes.append(.slash)
            return
        }
        let utf8 = Array(path.utf8)
        var segments: [Range<Int>] = []
        var start = 0
        for index in 0...utf8.count where index == utf8.count || utf8[index] == .slash {
            let segment = start..<index
            start = index + 1
            if segment.isEmpty || (segment.count == 1 && utf8[segment.lowerBound] == .dot) { continue }
            if segment.count == 2 && utf8[segment.lowerBound] == .dot && utf8[segment.lowerBound + 1] == .dot {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        if utf8.first == .slash { bytes.append(.slash) }
        for (position, segment) in segments.enumerated() {
            if position > 0 { bytes.append(.slash) }
            SigV4CanonicalRequest.appendPercentEncoded(utf8[segment], to: &bytes)
        }
        if utf8.last == .slash && !segments.isEmpty { bytes.append(.slash) }
    }

    // MARK: - Query

    /// Each `key=value` pair decoded (`%XX` and `+` as a space) and encoded again with only the unreserved
    /// characters `A-Za-z0-9-_.~` left as they are; pairs sorted by encoded key, then encoded value. A key
    /// without `=` becomes `key=`.
    private mutating func appendCanonicalQuery(_ query: String?) {
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
            if position > 0 { bytes.append(.ampersand) }
            bytes.append(contentsOf: pair.key)
            bytes.append(.equals)
            bytes.append(contentsOf: pair.value)
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

    private struct Header {
        /// The lower-cased name's place in the names buffer.
        let name: Range<Int>
        let value: String
        let position: Int
    }

    /// One `name:value` line per signed header name and the `signedHeaders` list. Names are lower-cased; values
    /// are trimmed and their inner whitespace runs collapsed to one space; repeated headers are joined with ","
    /// in request order. The host is the request's `Host` header when it has one, else ``HTTPRequest/hostHeader``.
    private mutating func appendCanonicalHeaders(_ request: HTTPRequest) {
        // Every lower-cased name goes into one buffer, so the headers can be filtered and sorted without a string each.
        var names: [UInt8] = []
        names.reserveCapacity(request.headers.fields.reduce(4) { $0 + $1.name.utf8.count })
        var headers: [Header] = []
        headers.reserveCapacity(request.headers.count + 1)
        var hasHost = false
        for (position, field) in request.headers.enumerated() {
            let start = names.count
            if field.name.utf8.allSatisfy({ $0 < 0x80 }) {
                for byte in field.name.utf8 { names.append(byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte) }
            } else {
                // Header names are ASCII tokens; any other name is lower-cased the Unicode way, as Python's str.lower.
                names.append(contentsOf: field.name.lowercased().utf8)
            }
            let name = names[start...]
            if SigV4CanonicalRequest.isUnsigned(name) {
                names.removeSubrange(start...)
                continue
            }
            if name.elementsEqual(SigV4CanonicalRequest.host) { hasHost = true }
            headers.append(Header(name: start..<names.count, value: field.value, position: position))
        }
        if !hasHost {
            let start = names.count
            names.append(contentsOf: SigV4CanonicalRequest.host)
            let host = Header(name: start..<names.count, value: request.hostHeader, position: request.headers.count)
            headers.append(host)
        }
        names.withUnsafeBufferPointer { names in
            headers.sort { lhs, rhs in
                let left = names[lhs.name], right = names[rhs.name]
                return left.elementsEqual(right) ? lhs.position < rhs.position : left.lexicographicallyPrecedes(right)
            }
        }
        var index = 0
        while index < headers.count {
            let name = names[headers[index].name]
            if !signedHeaders.isEmpty { signedHeaders.append(.semicolon) }
            signedHeaders.append(contentsOf: name)
            bytes.append(contentsOf: name)
            bytes.append(.colon)
            var first = true
            while index < headers.count && names[headers[index].name].elementsEqual(name) {
                if !first { bytes.append(.comma) }
                first = false
                SigV4CanonicalRequest.appendTrimmed(headers[index].value, to: &bytes)
                index += 1
            }
            bytes.append(.newline)
        }
    }

    private static let host: [UInt8] = Array("host".utf8)

    /// True for a lower-cased name in ``unsignedHeaderNames``.
    private static func isUnsigned(_ name: ArraySlice<UInt8>) -> Bool {
        unsignedHeaderNames.contains { $0.count == name.count && name.elementsEqual($0) }
    }

    /// botocore `' '.join(value.split())`: whitespace (as Python's `str.split` sees it) trimmed from both ends and
    /// every inner run of it replaced by one space.
    static func appendTrimmed(_ value: String, to output: inout [UInt8]) {
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            // Most values are ASCII with no whitespace but single inner spaces: those are copied whole.
            var previous = UInt8.space
            for byte in utf8 {
                if byte >= 0x80 || (isASCIIWhitespace(byte) && (byte != .space || previous == .space)) { return false }
                previous = byte
            }
            guard previous != .space else { return utf8.isEmpty }
            output.append(contentsOf: utf8)
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
        for byte in bytes {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(.percent)
                output.append(upperHexDigits[Int(byte >> 4)])
                output.append(upperHexDigits[Int(byte & 0x0f)])
            }
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
