import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization

/// Fixed credentials for client tests.
struct FixedCredentialProvider: CredentialProvider {
    var credentials: AWSCredentials
    var name: String { "fixed" }

    init(_ credentials: AWSCredentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")) {
        self.credentials = credentials
    }

    func credentials() async throws -> AWSCredentials { credentials }
}

/// A clock that only moves when told, a fixed jitter, and a sleep that records instead of waiting.
final class ManualEnvironment: Sendable {
    private struct State {
        var now: Date
        var jitter: Double
        var sleeps: [Duration] = []
    }

    private let state: Mutex<State>

    /// Sun, 29 Nov 2026 14:00:00 GMT
    static let start = Date(timeIntervalSince1970: 1_795_960_800)

    init(now: Date = ManualEnvironment.start, jitter: Double = 0.5) {
        state = Mutex(State(now: now, jitter: jitter))
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func advance(by seconds: TimeInterval) { state.withLock { $0.now.addTimeInterval(seconds) } }

    var environment: AWSClientEnvironment {
        AWSClientEnvironment(now: { self.state.withLock { $0.now } }, jitter: { self.state.withLock { $0.jitter } },
                             sleep: { delay in self.state.withLock { $0.sleeps.append(delay) } })
    }
}

extension AWSHTTPResponse {
    static let ok = AWSHTTPResponse(status: 200, headers: ["x-amzn-RequestId": "ok-request"], body: Array("{}".utf8))

    /// An SQS JSON 1.0 error reply.
    static func sqsError(_ status: Int, _ code: String, queryError: String? = nil, message: String = "failed",
                         headers: AWSHTTPHeaders = [:]) -> AWSHTTPResponse {
        var all = headers
        all["x-amzn-RequestId"] = "req-\(code)"
        all["Content-Type"] = "application/x-amz-json-1.0"
        if let queryError { all["x-amzn-query-error"] = queryError }
        return AWSHTTPResponse(status: status, headers: all,
                            body: Array(#"{"__type":"com.amazonaws.sqs#\#(code)","message":"\#(message)"}"#.utf8))
    }
}

func makeClient(_ transport: StubTransport, environment: ManualEnvironment = ManualEnvironment(),
                policy: RetryPolicy = .standard, quota: RetryQuota? = nil,
                credentials: AWSCredentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"),
                logs: InMemoryLogHandler = InMemoryLogHandler(), level: LogLevel = .trace) throws -> AWSClient {
    try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                  credentialProvider: FixedCredentialProvider(credentials), transport: transport, retryPolicy: policy,
                  logger: Logger(label: "test", level: level, handler: logs), environment: environment.environment,
                  retryQuota: quota)
}
