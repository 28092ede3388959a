import AWSTestSupport
import Microcosm
import MicrocosmAWS
import Synchronization
import XCTest

final class AWSClientTests: XCTestCase {
    private func sqsRequest(_ client: AWSClient) -> AWSHTTPRequest {
        client.request(headers: ["X-Amz-Target": "AmazonSQS.SendMessage", "Content-Type": "application/x-amz-json-1.0"],
                       body: Array(#"{"QueueUrl":"q","MessageBody":"hi"}"#.utf8))
    }

    // MARK: success

    func testSend_success_returnsTheResponseSignedAtTheCurrentTime() async throws {
        let transport = StubTransport(responses: [.success(.ok)])
        let environment = ManualEnvironment()
        let quota = RetryQuota(capacity: 500, available: 490)
        let client = try makeClient(transport, environment: environment, quota: quota)
        let response = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(transport.requests.count, 1)
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(sent.url, "https://sqs.us-east-1.amazonaws.com/")
        XCTAssertEqual(sent.headers["X-Amz-Date"], "20261129T140000Z")
        XCTAssertEqual(sent.headers["Authorization"], SigV4Signer(service: "sqs", region: "us-east-1")
            .sign(sqsRequest(client), credentials: FixedCredentialProvider().credentials, date: ManualEnvironment.start)
            .headers["Authorization"])
        XCTAssertTrue(sent.headers["Authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/sqs/aws4_request, ") == true)
        XCTAssertEqual(sent.headers["X-Amz-Target"], "AmazonSQS.SendMessage")
        XCTAssertEqual(environment.sleeps, [])
        XCTAssertEqual(quota.available, 491, "a success without retries pays 1 into the quota")
    }

    func testSend_whenTheCredentialsHaveExpired_refusesThemAndSendsNothing() async throws {
        let transport = StubTransport(responses: [.success(.ok)])
        let expired = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret",
                                     expiration: ManualEnvironment.start.addingTimeInterval(-1), source: "environment")
        let client = try makeClient(transport, credentials: expired)
        do {
            _ = try await client.send(sqsRequest(client), action: "SendMessage")
            XCTFail("expected a CredentialError")
        } catch let error as CredentialError {
            XCTAssertEqual(error.provider, "environment")
            XCTAssertTrue(error.reason.hasPrefix("the credentials expired at 2026-11-29T13:59:59Z (now 2026-11-29T14:00:00Z)"), error.reason)
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    // MARK: retryable errors

    func testSend_throttledThenSuccess_retriesAfterJitteredBackoffAndRefundsTheRetryCost() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(400, "RequestThrottled", queryError: "RequestThrottled;Sender")),
                                                  .success(.ok)])
        let environment = ManualEnvironment(jitter: 0.5)
        let quota = RetryQuota(capacity: 500, available: 400)
        let client = try makeClient(transport, environment: environment, quota: quota)
        let response = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(environment.sleeps, [.milliseconds(500)])
        XCTAssertEqual(quota.available, 400, "the retry took 5 and the success gave the 5 back")
    }

    func testSend_serverErrorsTwiceThenSuccess_backsOffExponentially() async throws {
        let transport = StubTransport(responses: [.success(AWSHTTPResponse(status: 503, body: Array("Service Unavailable".utf8))),
                                                  .success(.sqsError(500, "InternalError")), .success(.ok)])
        let environment = ManualEnvironment(jitter: 0.75)
        let quota = RetryQuota(capacity: 500, available: 400)
        let client = try makeClient(transport, environment: environment, quota: quota)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(transport.requests.count, 3)
        XCTAssertEqual(environment.sleeps, [.milliseconds(750), .milliseconds(1500)])
        XCTAssertEqual(quota.available, 395, "two retries took 10; the success gives back what its last retry took (5), as the SDKs do")
    }

    func testSend_transientCodeOnA400_isRetried() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(400, "RequestTimeout")), .success(.ok)])
        let client = try makeClient(transport)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testSend_attemptsExhausted_throwsTheLastErrorNamingServiceAndAction() async throws {
        let transport = StubTransport { _, index in .sqsError(503, "ServiceUnavailable", message: "attempt \(index + 1)") }
        let environment = ManualEnvironment(jitter: 1)
        let quota = RetryQuota()
        let client = try makeClient(transport, environment: environment, quota: quota)
        do {
            _ = try await client.send(sqsRequest(client), action: "SendMessage")
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ServiceUnavailable")
            XCTAssertEqual(error.message, "attempt 3")
            XCTAssertEqual(error.statusCode, 503)
            XCTAssertEqual(error.service, "SQS")
            XCTAssertEqual(error.action, "SendMessage")
            XCTAssertEqual(error.requestId, "req-ServiceUnavailable")
        }
        XCTAssertEqual(transport.requests.count, 3)
        XCTAssertEqual(environment.sleeps, [.seconds(1), .seconds(2)])
        XCTAssertEqual(quota.available, 490, "nothing is paid back after a failure")
    }

    func testSend_maxAttemptsIsConfigurable() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(500, "InternalError"))])
        let environment = ManualEnvironment(jitter: 1)
        let client = try makeClient(transport, environment: environment, policy: RetryPolicy(maxAttempts: 5))
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(transport.requests.count, 5)
        XCTAssertEqual(environment.sleeps, [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
    }

    func testSend_noRetriesPolicy_triesOnce() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(500, "InternalError"))])
        let client = try makeClient(transport, policy: .noRetries)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(transport.requests.count, 1)
    }

    // MARK: non-retryable errors

    func testSend_nonRetryableError_throwsAtOnceWithoutTouchingTheQuota() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(400, "QueueDoesNotExist",
                                                                     queryError: "AWS.SimpleQueueService.NonExistentQueue;Sender",
                                                                     message: "The specified queue does not exist."))])
        let environment = ManualEnvironment()
        let quota = RetryQuota(capacity: 500, available: 300)
        let client = try makeClient(transport, environment: environment, quota: quota)
        do {
            _ = try await client.send(sqsRequest(client), action: "ReceiveMessage")
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertEqual("\(error)", "SQS ReceiveMessage: AWS.SimpleQueueService.NonExistentQueue (HTTP 400, "
                + "request req-QueueDoesNotExist): The specified queue does not exist.")
            XCTAssertEqual(error.senderFault, true)
        }
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(environment.sleeps, [])
        XCTAssertEqual(quota.available, 300)
    }

    func testSend_clockSkewCodeWithoutDateHeader_isNotRetried() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(403, "SignatureDoesNotMatch")), .success(.ok)])
        let client = try makeClient(transport)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(client.clockOffset, 0)
    }

    // MARK: retry quota

    func testSend_quotaCannotPay_throwsWithoutRetrying() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(503, "ServiceUnavailable")), .success(.ok)])
        let environment = ManualEnvironment()
        let logs = InMemoryLogHandler()
        let quota = RetryQuota(capacity: 500, available: 4)
        let client = try makeClient(transport, environment: environment, quota: quota, logs: logs)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "ServiceUnavailable")
        }
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(environment.sleeps, [])
        XCTAssertEqual(quota.available, 4)
        XCTAssertTrue(logs.records.contains { $0.level == .warning && $0.message.contains("retry quota is exhausted") },
                      "\(logs.messages)")
    }

    func testSend_quotaDrainsAcrossCallsAndSuccessesRefillIt() async throws {
        let script = ScriptedResponses([
            // call 1: three failures; two retries cost 5 each: 12 -> 2
            .sqsError(503, "ServiceUnavailable"), .sqsError(503, "ServiceUnavailable"), .sqsError(503, "ServiceUnavailable"),
            // call 2: 2 left cannot pay for a retry
            .sqsError(503, "ServiceUnavailable"),
            // calls 3-5: first-try successes pay 1 each: 2 -> 5
            .ok, .ok, .ok,
            // call 6: one retry (5 -> 0), then success gives the 5 back
            .sqsError(503, "ServiceUnavailable"), .ok,
        ])
        let transport = StubTransport { _, index in script.response(index) }
        let quota = RetryQuota(capacity: 500, available: 12)
        let client = try makeClient(transport, quota: quota)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(quota.available, 2)
        XCTAssertEqual(transport.requests.count, 3)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(quota.available, 2)
        XCTAssertEqual(transport.requests.count, 4)
        for _ in 0..<3 { _ = try await client.send(sqsRequest(client), action: "SendMessage") }
        XCTAssertEqual(quota.available, 5)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(quota.available, 5)
        XCTAssertEqual(transport.requests.count, 9)
    }

    func testSend_quotaIsSharedByConcurrentCalls() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(503, "ServiceUnavailable"))])
        let quota = RetryQuota(capacity: 500, available: 50)
        let client = try makeClient(transport, quota: quota)
        let request = sqsRequest(client)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { _ = try? await client.send(request, action: "SendMessage") }
            }
        }
        XCTAssertEqual(quota.available, 0)
        XCTAssertEqual(transport.requests.count, 20 + 10, "50 units pay for exactly ten retries across all calls")
    }

    // MARK: x-amz-retry-after

    func testSend_retryAfterHeader_setsTheDelayWithinBackoffAndBackoffPlusFiveSeconds() async throws {
        let transport = StubTransport(responses: [
            .success(.sqsError(503, "ServiceUnavailable", headers: ["x-amz-retry-after": "3500"])),  // backoff 0.5 s: 3.5 s kept
            .success(.sqsError(503, "ServiceUnavailable", headers: ["x-amz-retry-after": "100"])),   // backoff 1 s: raised to 1 s
            .success(.sqsError(503, "ServiceUnavailable", headers: ["x-amz-retry-after": "60000"])), // backoff 2 s: cut to 7 s
            .success(.sqsError(503, "ServiceUnavailable", headers: ["x-amz-retry-after": "soon"])),  // unreadable: backoff 4 s
            .success(.ok),
        ])
        let environment = ManualEnvironment(jitter: 0.5)
        let client = try makeClient(transport, environment: environment, policy: RetryPolicy(maxAttempts: 5))
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(environment.sleeps, [.milliseconds(3500), .seconds(1), .seconds(7), .seconds(4)])
    }

    // MARK: transport errors

    func testSend_connectionFailureThenSuccess_isRetried() async throws {
        let transport = StubTransport(responses: [.failure(HTTPTransportError(.connectFailed, url: "https://sqs", detail: "refused")),
                                                  .success(.ok)])
        let environment = ManualEnvironment(jitter: 0.5)
        let quota = RetryQuota(capacity: 500, available: 100)
        let client = try makeClient(transport, environment: environment, quota: quota)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(environment.sleeps, [.milliseconds(500)])
        XCTAssertEqual(quota.available, 100)
    }

    func testSend_timeoutRetry_costsTenFromTheQuota() async throws {
        let transport = StubTransport(responses: [.failure(HTTPTransportError(.timedOut, url: "https://sqs", detail: "read timeout")),
                                                  .failure(HTTPTransportError(.timedOut, url: "https://sqs", detail: "read timeout")),
                                                  .failure(HTTPTransportError(.timedOut, url: "https://sqs", detail: "read timeout"))])
        let quota = RetryQuota(capacity: 500, available: 100)
        let client = try makeClient(transport, quota: quota)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertEqual(error as? HTTPTransportError, HTTPTransportError(.timedOut, url: "https://sqs", detail: "read timeout"))
        }
        XCTAssertEqual(quota.available, 80)
    }

    func testSend_passesTheReadTimeoutToTheTransport() async throws {
        let seen = ScriptedResponses([.ok])
        let transport = StubTransport { _, index in seen.response(index) }
        let client = try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                   credentialProvider: FixedCredentialProvider(), transport: TimeoutRecorder(transport),
                                   readTimeout: .seconds(7), logger: Logger(label: "t", handler: InMemoryLogHandler()),
                                   environment: ManualEnvironment().environment)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual((client.transport as? TimeoutRecorder)?.timeouts, [.seconds(7)])
    }

    func testSend_nonRetryableTransportError_throwsAtOnce() async throws {
        let tls = HTTPTransportError(.tls, url: "https://sqs", detail: "certificate verify failed")
        let transport = StubTransport(responses: [.failure(tls), .success(.ok)])
        let client = try makeClient(transport)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertEqual(error as? HTTPTransportError, tls)
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testSend_otherErrorsFromTheTransport_propagateUnretried() async throws {
        let transport = StubTransport(responses: [.failure(CancellationError()), .success(.ok)])
        let client = try makeClient(transport)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testSend_cancelledWhileWaitingToRetry_stops() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(503, "ServiceUnavailable")), .success(.ok)])
        let client = try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                   credentialProvider: FixedCredentialProvider(), transport: transport,
                                   logger: Logger(label: "t", handler: InMemoryLogHandler()),
                                   environment: AWSClientEnvironment(now: { ManualEnvironment.start }, jitter: { 0.5 },
                                                                     sleep: { _ in throw CancellationError() }))
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testSend_credentialError_propagatesBeforeAnyRequest() async throws {
        struct NoCredentials: CredentialProvider {
            var name: String { "none" }
            func credentials() async throws -> AWSCredentials { throw CredentialError(provider: "credential chain", reason: "nothing found") }
        }
        let transport = StubTransport(responses: [.success(.ok)])
        let client = try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                   credentialProvider: NoCredentials(), transport: transport,
                                   logger: Logger(label: "t", handler: InMemoryLogHandler()))
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertEqual(error as? CredentialError, CredentialError(provider: "credential chain", reason: "nothing found"))
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    // MARK: clock skew

    func testSend_clockSkew_reSignsWithTheServerTimeAndRetriesWithoutDelay() async throws {
        let skewed = AWSHTTPResponse.sqsError(403, "SignatureDoesNotMatch", message: "Signature expired",
                                           headers: ["Date": "Sun, 29 Nov 2026 14:10:00 GMT"])
        let transport = StubTransport(responses: [.success(skewed), .success(.ok)])
        let environment = ManualEnvironment()
        let logs = InMemoryLogHandler()
        let quota = RetryQuota(capacity: 500, available: 100)
        let client = try makeClient(transport, environment: environment, quota: quota, logs: logs)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(transport.requests.map { $0.headers["X-Amz-Date"] }, ["20261129T140000Z", "20261129T141000Z"])
        let expected = SigV4Signer(service: "sqs", region: "us-east-1")
            .sign(sqsRequest(client), credentials: FixedCredentialProvider().credentials, date: ManualEnvironment.start + 600)
        XCTAssertEqual(transport.requests.last?.headers["Authorization"], expected.headers["Authorization"],
                       "the retry is signed afresh with the corrected time")
        XCTAssertNotEqual(transport.requests.first?.headers["Authorization"], expected.headers["Authorization"])
        XCTAssertEqual(environment.sleeps, [])
        XCTAssertEqual(client.clockOffset, 600)
        XCTAssertEqual(quota.available, 101, "a clock-skew retry spends no quota")
        XCTAssertTrue(logs.records.contains { $0.level == .warning && $0.metadata["aws.clock_offset"] == "600" }, "\(logs.messages)")

        environment.advance(by: 30)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(transport.requests.last?.headers["X-Amz-Date"], "20261129T141030Z", "later calls keep the correction")
    }

    func testSend_clockSkewWithinFiveMinutes_isNotCorrected() async throws {
        let skewed = AWSHTTPResponse.sqsError(403, "RequestTimeTooSkewed", headers: ["Date": "Sun, 29 Nov 2026 14:04:59 GMT"])
        let transport = StubTransport(responses: [.success(skewed), .success(.ok)])
        let client = try makeClient(transport)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "RequestTimeTooSkewed")
        }
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(client.clockOffset, 0)
    }

    func testSend_clockSkewPersisting_correctsAgainUntilTheAttemptsRunOut() async throws {
        // A server whose clock keeps running away: each skew error is measured against the already
        // corrected clock and corrected again, without delay, until the attempts run out.
        let transport = StubTransport { _, index in
            .sqsError(403, "RequestExpired", headers: ["Date": index == 0 ? "Sun, 29 Nov 2026 14:10:00 GMT" : "Sun, 29 Nov 2026 14:20:00 GMT"])
        }
        let environment = ManualEnvironment()
        let client = try makeClient(transport, environment: environment)
        await XCTAssertThrowsAsync(try await client.send(sqsRequest(client), action: "SendMessage"))
        XCTAssertEqual(transport.requests.map { $0.headers["X-Amz-Date"] },
                       ["20261129T140000Z", "20261129T141000Z", "20261129T142000Z"])
        XCTAssertEqual(environment.sleeps, [])
        XCTAssertEqual(client.clockOffset, 1200, "the last response still teaches the offset for later calls")
    }

    // MARK: logging

    func testSend_logsOneDebugLinePerAttemptAndAWarningPerRetry() async throws {
        let transport = StubTransport(responses: [.success(.sqsError(400, "Throttling")), .success(.ok)])
        let logs = InMemoryLogHandler()
        let client = try makeClient(transport, logs: logs, level: .debug)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        let records = logs.records
        XCTAssertEqual(records.map(\.level), [.debug, .warning, .debug], "\(logs.messages)")
        XCTAssertEqual(records[0].metadata, ["aws.service": "SQS", "aws.action": "SendMessage", "aws.attempt": "1",
                                             "aws.status": "400", "aws.request_id": "req-Throttling", "aws.error_code": "Throttling"])
        XCTAssertEqual(records[1].metadata["aws.retry_delay"], "0.5")
        XCTAssertEqual(records[1].metadata["aws.error_code"], "Throttling")
        XCTAssertTrue(records[1].message.contains("retrying in 0.5 s after attempt 1/3"), records[1].message)
        XCTAssertEqual(records[2].metadata, ["aws.service": "SQS", "aws.action": "SendMessage", "aws.attempt": "2",
                                             "aws.status": "200", "aws.request_id": "ok-request"])
    }

    func testSend_logsTransportErrorsWithTheirKind() async throws {
        let transport = StubTransport(responses: [.failure(HTTPTransportError(.connectFailed, url: "https://sqs", detail: "refused")),
                                                  .success(.ok)])
        let logs = InMemoryLogHandler()
        let client = try makeClient(transport, logs: logs, level: .debug)
        _ = try await client.send(sqsRequest(client), action: "SendMessage")
        XCTAssertEqual(logs.records.first?.metadata["aws.transport_error"], "connection failed")
        XCTAssertNil(logs.records.first?.metadata["aws.status"])
    }

    // MARK: requests and setup

    func testRequest_buildsOnTheEndpoint() throws {
        let transport = StubTransport(responses: [.success(.ok)])
        let logger = Logger(label: "t", handler: InMemoryLogHandler())
        let local = try AWSClient(service: "sns", region: "eu-west-1", endpoint: "http://127.0.0.1:4566/prefix/",
                                  credentialProvider: FixedCredentialProvider(), transport: transport, logger: logger)
        XCTAssertEqual(local.request(path: "/topic", query: "a=1").url, "http://127.0.0.1:4566/prefix/topic?a=1")
        XCTAssertEqual(local.request().url, "http://127.0.0.1:4566/prefix/")
        XCTAssertEqual(local.signingName, "sns")
        XCTAssertEqual(local.serviceName, "SNS")
        let aws = try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                credentialProvider: FixedCredentialProvider(), transport: transport, logger: logger)
        XCTAssertEqual(aws.request(method: "GET", path: "123/q").url, "https://sqs.us-east-1.amazonaws.com/123/q")
        XCTAssertEqual(aws.request().method, "POST")
    }

    func testInit_rejectsAnEndpointThatIsNotAURLNamingIt() {
        XCTAssertThrowsError(try AWSClient(service: "sqs", region: "us-east-1", endpoint: "sqs.us-east-1.amazonaws.com",
                                           credentialProvider: FixedCredentialProvider(), transport: StubTransport(responses: [.success(.ok)]),
                                           logger: Logger(label: "t", handler: InMemoryLogHandler()))) { error in
            XCTAssertTrue("\(error)".contains("sqs.us-east-1.amazonaws.com"), "\(error)")
        }
    }
}

/// Responses by request index (the last one repeats).
final class ScriptedResponses: Sendable {
    private let responses: [AWSHTTPResponse]
    init(_ responses: [AWSHTTPResponse]) { self.responses = responses }
    func response(_ index: Int) -> AWSHTTPResponse { responses[min(index, responses.count - 1)] }
}

/// Records the timeout of each request it passes on.
final class TimeoutRecorder: HTTPTransport {
    private let inner: StubTransport
    private let recorded = Mutex<[Duration]>([])
    init(_ inner: StubTransport) { self.inner = inner }
    var timeouts: [Duration] { recorded.withLock { $0 } }
    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        recorded.withLock { $0.append(timeout) }
        return try await inner.send(request, timeout: timeout)
    }
}

func XCTAssertThrowsAsync<T>(_ expression: @autoclosure () async throws -> T, _ message: String = "",
                             file: StaticString = #filePath, line: UInt = #line, _ check: (any Error) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error" + (message.isEmpty ? "" : ": \(message)"), file: file, line: line)
    } catch {
        check(error)
    }
}
