import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `simple-daemon` binary's stop summary: after the "Stopped daemon" line, one line with
/// the requests it made of SQS and SNS, per message, and their estimated cost.
final class DaemonCostLineTests: XCTestCase {
    func testStopSummary_namesTheRequestsMadeOfSQS_perMessage_andTheirCost() async throws {
        // On --testing, simple-daemon sends itself three messages (SendMessage) and handles them.
        let daemon = try DaemonProcess(["--testing", "--log-level", "info"], environment: ["SIMPLE_DAEMON__SQS_CONSUMER__WAIT_SECONDS": "0"])
        addTeardownBlock { daemon.killIfRunning() }
        await daemon.waitForLine("the third message handled") { $0.contains("Processed message 'in-memory broker'") }
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
        let stopped = try XCTUnwrap(daemon.stderr.firstIndex { $0.contains("Stopped daemon simple-daemon") }, "\(daemon.stderr)")
        let line = try XCTUnwrap(daemon.stderr.dropFirst(stopped + 1).first, "\(daemon.stderr)")
        XCTAssertTrue(line.contains("AWS requests of daemon simple-daemon: 3 messages received, 3 sent; "), line)
        XCTAssertTrue(line.contains("SQS ReceiveMessage "), line)
        XCTAssertTrue(line.contains("SQS SendMessage 3"), line)
        XCTAssertTrue(line.contains(" calls per message; empty receives "), line)
        XCTAssertTrue(line.contains(" per million messages (us-east-1 list prices of 2026-06, free tier ignored)"), line)
    }
}
