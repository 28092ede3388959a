/// An HTTP response.
public struct AWSHTTPResponse: Sendable, CustomStringConvertible {
    public var status: Int
    public var headers: AWSHTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: AWSHTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var description: String { "HTTP \(status) \(headers) (\(body.count) bytes)" }
}
