/// An HTTP request as the signer and the transports see it.
///
/// The path and query are kept raw (as they will be sent), so the signer can canonicalize them
/// exactly as AWS does.
public struct AWSHTTPRequest: Sendable, CustomStringConvertible {
    public var method: String
    /// `http` or `https`.
    public var scheme: String
    /// Host name or address (IPv6 without brackets).
    public var host: String
    /// The port, when not the scheme's default.
    public var port: Int?
    /// The raw path, starting with `/`.
    public var path: String
    /// The raw query string without `?`, or nil.
    public var query: String?
    public var headers: AWSHTTPHeaders
    public var body: [UInt8]

    public init(method: String, scheme: String, host: String, port: Int? = nil, path: String = "/", query: String? = nil,
                headers: AWSHTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Parses `url` (`scheme://host[:port][/path][?query]`); the error names the URL.
    public init(method: String, url: String, headers: AWSHTTPHeaders = [:], body: [UInt8] = []) throws(HTTPTransportError) {
        guard let schemeEnd = url.firstRange(of: "://") else { throw .invalidURL(url, reason: "no scheme") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .invalidURL(url, reason: "scheme must be http or https") }
        var rest = url[schemeEnd.upperBound...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let remainder = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidURL(url, reason: "unclosed IPv6 address") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { throw .invalidURL(url, reason: "bad port") }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]) else { throw .invalidURL(url, reason: "bad port") }
            port = number
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .invalidURL(url, reason: "no host") }
        if let given = port, !(1...65535).contains(given) { throw .invalidURL(url, reason: "port out of range") }
        if port == (scheme == "https" ? 443 : 80) { port = nil }
        var path = Substring("/")
        var query: String?
        if let questionMark = remainder.firstIndex(of: "?") {
            path = remainder[..<questionMark]
            query = String(remainder[remainder.index(after: questionMark)...])
        } else if !remainder.isEmpty {
            path = remainder
        }
        self.init(method: method, scheme: scheme, host: String(host), port: port, path: path.isEmpty ? "/" : String(path),
                  query: query, headers: headers, body: body)
    }

    /// The `Host` header value: host, plus `:port` when not the default.
    public var hostHeader: String {
        let name = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        return port.map { "\(name):\($0)" } ?? name
    }

    /// The full URL.
    public var url: String {
        "\(scheme)://\(hostHeader)\(path)" + (query.map { "?\($0)" } ?? "")
    }

    /// Calls `body` with ``url`` as a NUL-terminated C string, built on the stack.
    package func withURLCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        let bracketed = host.utf8.contains(UInt8(ascii: ":"))
        let capacity = scheme.utf8.count + host.utf8.count + path.utf8.count + (query?.utf8.count ?? 0) + 32
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var count = 0
            func append(_ byte: UInt8) {
                buffer[count] = byte
                count += 1
            }
            func append(_ text: String) {
                for byte in text.utf8 { append(byte) }
            }
            append(scheme)
            append(UInt8(ascii: ":"))
            append(UInt8(ascii: "/"))
            append(UInt8(ascii: "/"))
            if bracketed { append(UInt8(ascii: "[")) }
            append(host)
            if bracketed { append(UInt8(ascii: "]")) }
            if let port {
                append(UInt8(ascii: ":"))
                if port < 0 { append(UInt8(ascii: "-")) }
                var divisor = 1
                while port.magnitude / UInt(divisor) >= 10 { divisor *= 10 }
                while divisor > 0 {
                    append(UInt8(ascii: "0") + UInt8(port.magnitude / UInt(divisor) % 10))
                    divisor /= 10
                }
            }
            append(path)
            if let query {
                append(UInt8(ascii: "?"))
                append(query)
            }
            append(0)
            return buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// Method and URL; headers with secrets redacted; no body.
    public var description: String { "\(method) \(url) \(headers)" }
}
