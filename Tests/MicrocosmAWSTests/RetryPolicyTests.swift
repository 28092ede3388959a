@testable import MicrocosmAWS
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testStandard_matchesTheSDKConstants() {
        let policy = RetryPolicy.standard
        XCTAssertEqual(policy.maxAttempts, 3)
        XCTAssertEqual(policy.baseDelay, .seconds(1))
        XCTAssertEqual(policy.maxBackoff, .seconds(20))
        XCTAssertEqual(policy.quotaCapacity, 500)
        XCTAssertEqual(policy.retryCost, 5)
        XCTAssertEqual(policy.timeoutRetryCost, 10)
        XCTAssertEqual(policy.noRetryIncrement, 1)
        XCTAssertEqual(RetryPolicy.noRetries.maxAttempts, 1)
    }

    func testMaxAttempts_isAtLeastOne() {
        XCTAssertEqual(RetryPolicy(maxAttempts: 0).maxAttempts, 1)
        var policy = RetryPolicy.standard
        policy.maxAttempts = -3
        XCTAssertEqual(policy.maxAttempts, 1)
        policy.maxAttempts = 7
        XCTAssertEqual(policy.maxAttempts, 7)
    }

    func testBackoff_isJitterTimesADoublingCeilingCappedAt20Seconds() {
        let policy = RetryPolicy.standard
        XCTAssertEqual(policy.backoff(beforeRetry: 1, jitter: 1), .seconds(1))
        XCTAssertEqual(policy.backoff(beforeRetry: 2, jitter: 1), .seconds(2))
        XCTAssertEqual(policy.backoff(beforeRetry: 3, jitter: 1), .seconds(4))
        XCTAssertEqual(policy.backoff(beforeRetry: 5, jitter: 1), .seconds(16))
        XCTAssertEqual(policy.backoff(beforeRetry: 6, jitter: 1), .seconds(20))
        XCTAssertEqual(policy.backoff(beforeRetry: 500, jitter: 1), .seconds(20))
        XCTAssertEqual(policy.backoff(beforeRetry: 1, jitter: 0.5), .milliseconds(500))
        XCTAssertEqual(policy.backoff(beforeRetry: 3, jitter: 0.25), .seconds(1))
        XCTAssertEqual(policy.backoff(beforeRetry: 2, jitter: 0.3), .milliseconds(600))
        XCTAssertEqual(policy.backoff(beforeRetry: 4, jitter: 0), .zero)
    }

    func testBackoff_followsAConfiguredBaseAndCap() {
        var policy = RetryPolicy.standard
        policy.baseDelay = .milliseconds(50)
        policy.maxBackoff = .milliseconds(300)
        XCTAssertEqual(policy.backoff(beforeRetry: 1, jitter: 1), .milliseconds(50))
        XCTAssertEqual(policy.backoff(beforeRetry: 3, jitter: 1), .milliseconds(200))
        XCTAssertEqual(policy.backoff(beforeRetry: 4, jitter: 1), .milliseconds(300))
    }

    func testDelay_usesRetryAfterClampedToBackoffPlusFiveSeconds() {
        let policy = RetryPolicy.standard
        // backoff before retry 2 with jitter 0.5 is 1 s
        XCTAssertEqual(policy.delay(beforeRetry: 2, jitter: 0.5, retryAfter: nil), .seconds(1))
        XCTAssertEqual(policy.delay(beforeRetry: 2, jitter: 0.5, retryAfter: .milliseconds(3500)), .milliseconds(3500))
        XCTAssertEqual(policy.delay(beforeRetry: 2, jitter: 0.5, retryAfter: .milliseconds(200)), .seconds(1))
        XCTAssertEqual(policy.delay(beforeRetry: 2, jitter: 0.5, retryAfter: .seconds(60)), .seconds(6))
    }

    func testIsRetryable_classifiesAWSAndTransportErrors() {
        let policy = RetryPolicy.standard
        for code: AWSError.Code in ["Throttling", "ThrottlingException", "RequestThrottled", "SlowDown", "RequestTimeout",
                                    "RequestTimeoutException", "PriorRequestNotComplete", "Throttled"] {
            XCTAssertTrue(policy.isRetryable(AWSError(code: code, message: "", statusCode: 400)), "\(code)")
        }
        for status in [429, 500, 502, 503, 504] {
            XCTAssertTrue(policy.isRetryable(AWSError(code: "Anything", message: "", statusCode: status)), "\(status)")
        }
        for code: AWSError.Code in [.accessDenied, .invalidParameterValue, .queueDoesNotExist, .notFound] {
            XCTAssertFalse(policy.isRetryable(AWSError(code: code, message: "", statusCode: 400)), "\(code)")
        }
        XCTAssertFalse(policy.isRetryable(AWSError(code: "NotImplemented", message: "", statusCode: 501)))
        for kind in [HTTPTransportError.Kind.connectFailed, .connectTimeout, .timedOut, .connectionClosed] {
            XCTAssertTrue(policy.isRetryable(HTTPTransportError(kind, url: "u", detail: "d")), kind.rawValue)
        }
        for kind in [HTTPTransportError.Kind.invalidURL, .tls, .cancelled, .other] {
            XCTAssertFalse(policy.isRetryable(HTTPTransportError(kind, url: "u", detail: "d")), kind.rawValue)
        }
        XCTAssertFalse(policy.isRetryable(CancellationError()))
    }

    func testRetryCost_chargesTimeoutsDouble() {
        let policy = RetryPolicy.standard
        XCTAssertEqual(policy.retryCost(after: HTTPTransportError(.timedOut, url: "u", detail: "d")), 10)
        XCTAssertEqual(policy.retryCost(after: HTTPTransportError(.connectTimeout, url: "u", detail: "d")), 10)
        XCTAssertEqual(policy.retryCost(after: HTTPTransportError(.connectFailed, url: "u", detail: "d")), 5)
        XCTAssertEqual(policy.retryCost(after: AWSError(code: "RequestTimeout", message: "", statusCode: 400)), 5)
    }
}
