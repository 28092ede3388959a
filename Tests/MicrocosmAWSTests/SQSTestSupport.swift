import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization

/// The queue URL the SQS unit tests use.
let sqsTestQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/things"

/// An SQS client over `transport` with fixed credentials, a manual clock and no real sleeps.
func makeSQSClient(_ transport: any HTTPTransport, readTimeout: Duration = .seconds(60),
                   logs: InMemoryLogHandler = InMemoryLogHandler(), environment: ManualEnvironment = ManualEnvironment()) throws -> SQSClient {
    SQSClient(client: try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                    credentialProvider: FixedCredentialProvider(), transport: transport, readTimeout: readTimeout,
                                    logger: Logger(label: "sqs-test", level: .trace, handler: logs),
                                    environment: environment.environment))
}

/// A stub that answers every request with `status` and the JSON `body`.
func sqsReply(_ body: String, status: Int = 200, headers: AWSHTTPHeaders = [:]) -> StubTransport {
    var all = headers
    all["Content-Type"] = "application/x-amz-json-1.0"
    all["x-amzn-RequestId"] = all["x-amzn-RequestId"] ?? "req-1"
    let response = AWSHTTPResponse(status: status, headers: all, body: Array(body.utf8))
    return StubTransport { _, _ in response }
}

extension AWSHTTPRequest {
    /// The body as text.
    var sqsBodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A transport that records the timeout each request was given and answers `{}`.
final class SQSTimeoutRecordingTransport: HTTPTransport {
    private let recorded = Mutex<[(target: String, timeout: Duration)]>([])

    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        recorded.withLock { $0.append((request.headers["X-Amz-Target"] ?? "", timeout)) }
        return AWSHTTPResponse(status: 200, body: Array("{}".utf8))
    }

    var timeouts: [(target: String, timeout: Duration)] { recorded.withLock { $0 } }
}
