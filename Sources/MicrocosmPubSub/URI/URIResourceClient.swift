import Microcosm
import MicrocosmAWS

/// GETs the resources that URI messages point at, for ``URIHandler``s (what microcosm-pubsub's
/// `URIHandler` does with `requests.get`), bound as `uri_resource_client`.
///
/// Each request may take `timeout` (connecting included). Only what is safe to repeat is retried,
/// up to `maxAttempts` requests in all with a full-jitter exponential backoff between them: a GET
/// that got no reply (connection refused or closed, timeout) or HTTP 500, 502, 503 or 504. TLS
/// peers are verified (``CurlTransport``); redirects are followed as `requests` follows them (up
/// to 30; `Authorization` is dropped when the host changes). Any other status is returned for the
/// caller to judge.
///
/// ```swift
/// let client = URIResourceClient(transport: CurlTransport(connectTimeout: .seconds(5)), timeout: .seconds(30))
/// let response = try await client.get("https://orders.internal/api/v1/order/1", headers: ["x-request-id": "req-1"])
/// ```
public final class URIResourceClient: Sendable {
    /// How requests are sent.
    public let transport: any HTTPTransport
    /// How long one request may take, connecting included.
    public let timeout: Duration
    /// Requests per GET, the first included (at least 1).
    public let maxAttempts: Int
    /// The backoff ceiling before the first retry; it doubles for each further retry, up to ``maxDelay``.
    public let baseDelay: Duration
    /// The largest backoff ceiling.
    public let maxDelay: Duration
    /// Redirects followed per GET (as `requests`).
    public static let maxRedirects = 30

    private let logger: Logger?
    private let sleep: @Sendable (Duration) async throws -> Void

    /// A client sending through `transport`.
    ///
    /// - Parameters:
    ///   - timeout: how long one request may take (config `uri_resource_client.read_timeout`).
    ///   - maxAttempts: requests per GET, the first included (config `uri_resource_client.max_attempts`).
    ///   - baseDelay: the backoff ceiling before the first retry; each retry waits a random part of it,
    ///     and it doubles per retry up to `maxDelay`.
    ///   - logger: where retries are logged (warning), if anywhere.
    ///   - sleep: how the backoff waits (tests record it instead).
    public init(transport: any HTTPTransport, timeout: Duration = .seconds(30), maxAttempts: Int = 3,
                baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(5), logger: Logger? = nil,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.transport = transport
        self.timeout = timeout
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.logger = logger
        self.sleep = sleep
    }

    /// GETs `uri` with `headers` and returns the reply, whatever its status (after retries and redirects).
    ///
    /// Throws ``URIResourceError`` (``URIResourceError/Code/invalidURI``, ``URIResourceError/Code/transport``)
    /// naming the URI, or `CancellationError`.
    public func get(_ uri: String, headers: AWSHTTPHeaders = [:]) async throws -> AWSHTTPResponse {
        try await fetch(uri, headers: headers).response
    }

    /// As ``get(_:headers:)``, with how many requests the last URL took.
    func fetch(_ uri: String, headers: AWSHTTPHeaders) async throws -> (response: AWSHTTPResponse, attempts: Int) {
        var request: AWSHTTPRequest
        do {
            request = try AWSHTTPRequest(method: "GET", url: uri, headers: headers)
        } catch {
            throw URIResourceError.invalidURI(uri, reason: error.detail)
        }
        var redirects = 0
        while true {
            let (response, attempts) = try await send(request, uri: uri)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["Location"],
                  redirects < Self.maxRedirects else { return (response, attempts) }
            redirects += 1
            request = try Self.redirect(request, to: location, uri: uri)
        }
    }

    /// Sends `request`, retrying what is safe to retry.
    private func send(_ request: AWSHTTPRequest, uri: String) async throws -> (AWSHTTPResponse, Int) {
        var attempt = 1
        while true {
            let problem: String
            do {
                let response = try await transport.send(request, timeout: timeout)
                guard Self.retriedStatuses.contains(response.status), attempt < maxAttempts else { return (response, attempt) }
                problem = "HTTP \(response.status)"
            } catch let error as HTTPTransportError {
                guard error.isRetryable, attempt < maxAttempts else {
                    throw error.kind == .invalidURL ? URIResourceError.invalidURI(uri, reason: error.detail)
                                                    : URIResourceError.transport(error, uri: uri, attempts: attempt)
                }
                problem = error.kind.rawValue
            }
            logger?.warning("Retrying GET after \(problem)", metadata: [
                "pubsub.uri": URIResourceError.redacted(request.url), "pubsub.attempt": String(attempt + 1),
                "pubsub.max_attempts": String(maxAttempts),
            ])
            try await sleep(backoff(beforeRetry: attempt))
            attempt += 1
        }
    }

    /// HTTP statuses a GET is repeated after (as the AWS SDKs retry them).
    static let retriedStatuses: Set<Int> = [500, 502, 503, 504]

    /// A random wait up to `min(baseDelay * 2^(retry-1), maxDelay)`.
    func backoff(beforeRetry retry: Int) -> Duration {
        let ceiling = min(baseDelay * (1 << min(retry - 1, 30)), maxDelay)
        return ceiling * Double.random(in: 0..<1)
    }

    /// The GET `location` sends after `request` was redirected there.
    static func redirect(_ request: AWSHTTPRequest, to location: String, uri: String) throws -> AWSHTTPRequest {
        var target = location
        if location.hasPrefix("//") {
            target = request.scheme + ":" + location
        } else if !location.contains("://") {
            let base = "\(request.scheme)://\(request.hostHeader)"
            if location.hasPrefix("/") {
                target = base + location
            } else {
                let directory = request.path.prefix(through: request.path.lastIndex(of: "/") ?? request.path.startIndex)
                target = base + directory + location
            }
        }
        var headers = request.headers
        let next: AWSHTTPRequest
        do {
            next = try AWSHTTPRequest(method: "GET", url: target, headers: [:])
        } catch {
            throw URIResourceError.invalidURI(uri, reason: "redirected to \(URIResourceError.redacted(target)): \(error.detail)")
        }
        if next.host != request.host { headers["Authorization"] = nil }
        return AWSHTTPRequest(method: "GET", scheme: next.scheme, host: next.host, port: next.port, path: next.path,
                           query: next.query, headers: headers)
    }
}
