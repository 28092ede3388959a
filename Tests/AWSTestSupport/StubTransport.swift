import MicrocosmAWS
import Synchronization

/// An ``HTTPTransport`` backed by a closure, recording every request: for unit tests with no network.
///
/// ```swift
/// let transport = StubTransport { request in AWSHTTPResponse(status: 200, body: Array("{}".utf8)) }
/// ... run the code under test ...
/// XCTAssertEqual(transport.requests.count, 1)
/// ```
public final class StubTransport: HTTPTransport {
    private let handler: @Sendable (AWSHTTPRequest, Int) async throws -> AWSHTTPResponse
    private let recorded = Mutex<[AWSHTTPRequest]>([])

    /// `handler` gets each request and its 0-based index, and returns a response or throws.
    public init(_ handler: @escaping @Sendable (AWSHTTPRequest, Int) async throws -> AWSHTTPResponse) {
        self.handler = handler
    }

    /// Answers every request from `responses` in turn (the last one repeats).
    public convenience init(responses: [Result<AWSHTTPResponse, any Error>]) {
        self.init { _, index in try responses[min(index, responses.count - 1)].get() }
    }

    public func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        let index = recorded.withLock { requests -> Int in
            requests.append(request)
            return requests.count - 1
        }
        return try await handler(request, index)
    }

    /// Every request so far.
    public var requests: [AWSHTTPRequest] { recorded.withLock { $0 } }
}
