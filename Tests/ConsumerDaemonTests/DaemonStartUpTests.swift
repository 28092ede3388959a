import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `simple-daemon` binary's start-up line: its source, concurrency, lease and retry plan,
/// read from the queue at start-up.
final class DaemonStartUpTests: XCTestCase {
    func testStartUpLine_saysTheLeaseAndTheRetryPlan() async throws {
        let daemon = try DaemonProcess(["--testing"], environment: [
            "SIMPLE_DAEMON__LOGGING__LEVEL": "info",
            "SIMPLE_DAEMON__SQS_MESSAGE_DISPATCHER__MESSAGE_MAX_PROCESSING_ATTEMPTS": "3",
        ])
        addTeardownBlock { daemon.killIfRunning() }
        await daemon.waitForLine("the start-up line") { $0.contains("Starting daemon simple-daemon:") }
        let line = try XCTUnwrap(daemon.stderr.first { $0.contains("Starting daemon simple-daemon:") })
        XCTAssertTrue(line.contains("concurrency 10, messages leased for 30 s (the queue's VisibilityTimeout), renewed every 3 s; "
                                        + "retries: up to 3 receives, then SKIPPED and deleted "
                                        + "(sqs_message_dispatcher.message_max_processing_attempts); backoff NaiveBackoffPolicy(5 s)"), line)
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
    }

    func testStartUpLine_onTheInMemoryBroker_namesTheQueueURLItReallyReads() async throws {
        let daemon = try DaemonProcess(["--endpoint-url", "memory://", "--log-level", "info",
                                        "--sqs-queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/simple"], environment: [:])
        addTeardownBlock { daemon.killIfRunning() }
        await daemon.waitForLine("the start-up line") { $0.contains("Starting daemon simple-daemon:") }
        let line = try XCTUnwrap(daemon.stderr.first { $0.contains("Starting daemon simple-daemon:") })
        XCTAssertTrue(line.contains("Starting daemon simple-daemon: queue 'memory://sqs.us-east-1/123456789012/simple' (in-memory broker), "), line)
        XCTAssertFalse(line.contains("amazonaws.com"), line)
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
    }
}
