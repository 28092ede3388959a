/// Sends HTTP requests. Production: ``CurlTransport``; tests: a stub that records requests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Throws ``HTTPTransportError`` when no response arrives (connection, TLS, timeout).
    /// `timeout` bounds the whole exchange, connecting included (a long poll must allow for its wait).
    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse

    /// The executor the transport does its I/O on, so that callers whose work is mostly its
    /// requests can run there and save a thread switch per request; nil: none in particular.
    var ioExecutor: (any TaskExecutor)? { get }
}

extension HTTPTransport {
    /// No executor in particular.
    public var ioExecutor: (any TaskExecutor)? { nil }
}

/// A request that got no HTTP response.
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable, Hashable {
        case invalidURL = "invalid URL"
        case connectFailed = "connection failed"
        case connectTimeout = "connect timed out"
        case timedOut = "timed out"
        case tls = "TLS failure"
        case connectionClosed = "connection closed"
        case cancelled = "cancelled"
        case other = "transport failure"
    }

    public let kind: Kind
    /// The URL concerned.
    public let url: String
    /// Detail from the transport (curl's message, the parse problem).
    public let detail: String

    public init(_ kind: Kind, url: String, detail: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    /// `url` could not be parsed.
    public static func invalidURL(_ url: String, reason: String) -> Self {
        Self(.invalidURL, url: url, detail: reason)
    }

    /// True for failures that another attempt may not see (connection problems, timeouts).
    public var isRetryable: Bool {
        switch kind {
        case .connectFailed, .connectTimeout, .timedOut, .connectionClosed: return true
        case .invalidURL, .tls, .cancelled, .other: return false
        }
    }

    /// True for timeouts (the retry quota charges these more).
    public var isTimeout: Bool { kind == .timedOut || kind == .connectTimeout }

    public var description: String { "\(kind.rawValue) for \(url): \(detail)" }
}
