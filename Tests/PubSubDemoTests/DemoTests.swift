import Foundation
import MicrocosmPubSub
import PubSubDemo
import XCTest

/// `pubsub demo` on the embedded in-memory broker, in process: every message accounted for, the
/// poison message in the dead-letter queue, failing messages succeeding on a later receive.
final class DemoTests: XCTestCase {
    func testDemo_onTheEmbeddedBroker_accountsForEveryMessage_andDeadLettersOnlyThePoisonMessage() async throws {
        let report = try await Demo(options: DemoOptions()).run()

        try DemoExpectations.check(report)
        XCTAssertEqual(report.deadLetters.first?.receiveCount, 3, "received maxReceiveCount times, then moved")
        XCTAssertEqual(report.deadLetterListing, .inspected)
        XCTAssertEqual(report.endpoint, "memory://")
        XCTAssertTrue(report.queueURL.hasSuffix("/demo-orders-worker"), report.queueURL)
    }

    func testDemoCommand_printsTheResultsTableAndTheDeadLetterQueue_andExits0() async throws {
        let result = await DemoCommandResult.run(["demo", "--concurrency", "4"])

        XCTAssertEqual(result.status, 0, "\(result.standardError)")
        XCTAssertEqual(result.standardError, [])
        XCTAssertTrue(result.standardOutput[0].hasPrefix("pubsub demo on the embedded in-memory broker (memory://)"), "\(result.standardOutput)")
        XCTAssertTrue(result.standardOutput.contains { $0.hasPrefix("running the daemon loop (concurrency 4;") }, "\(result.standardOutput)")
        let header = try XCTUnwrap(result.standardOutput.first { $0.hasPrefix("  media type ") })
        XCTAssertEqual(header.split(separator: " ").map(String.init),
                       ["media", "type", "messages", "received", "SUCCEEDED", "SKIPPED", "IGNORED", "EXPIRED", "RETRIED", "FAILED", "in", "DLQ"])
        for (mediaType, expected) in DemoExpectations.rows {
            let name = mediaType.map { String($0.rawValue.dropFirst("application/vnd.globality.pubsub._.".count)) } ?? "(not JSON)"
            XCTAssertEqual(try result.tableRow(name), expected, name)
        }
        XCTAssertEqual(try result.tableRow("total"), DemoExpectations.total)
        XCTAssertTrue(result.standardOutput.contains("dead-letter queue demo-orders-worker-dlq: 1 message"), "\(result.standardOutput)")
        XCTAssertTrue(result.standardOutput.contains { $0.hasSuffix("receive count 3  'this is not JSON {\"order\": 8'") },
                      "\(result.standardOutput)")
        XCTAssertTrue(result.standardOutput.contains {
            $0.hasPrefix("  created.order http://orders.example/orders/5  1: FAILED (payment service unavailable), 2: FAILED")
                && $0.hasSuffix("3: SUCCEEDED")
        }, "\(result.standardOutput)")
        XCTAssertEqual(result.standardOutput.last, "every message accounted for: 15 sent, 14 deleted once, 1 in the dead-letter queue")
    }
}

/// The `pubsub` command line: help, usage errors (64, one line on standard error).
final class PubSubCommandTests: XCTestCase {
    func testHelp_listsTheDemoCommand() async {
        let result = await DemoCommandResult.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardOutput.first, "usage: pubsub <command> [options]")
        XCTAssertTrue(result.standardOutput.contains { $0.hasPrefix("  demo ") && $0.hasSuffix(" Run a worker daemon on the embedded in-memory broker (no AWS, no credentials) and show where every message ended.") },
                      "\(result.standardOutput)")
    }

    func testDemoHelp_describesEveryOptionAndTheScenario() async {
        let result = await DemoCommandResult.run(["demo", "--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardOutput.first,
                       "usage: pubsub demo [--endpoint-url URL] [--region REGION] [--concurrency N] [--timeout S] [--verbose]")
        let help = result.standardOutput.joined(separator: "\n")
        for text in ["--endpoint-url", "--region", "--concurrency", "--timeout", "--verbose", "dead-letter", "Exit status"] {
            XCTAssertTrue(help.contains(text), text)
        }
    }

    func testUsageErrors_exit64_withOneLine() async {
        let cases: [([String], String)] = [
            ([], "pubsub: a command is required (see --help)"),
            (["dmeo"], "pubsub: unknown command 'dmeo'; the commands are produce, consume, demo, dlq (see --help)"),
            (["demo", "--concurrency", "0"], "pubsub demo: --concurrency needs a whole number from 1 to 100, got '0' (see --help)"),
            (["demo", "--endpoint-url", "localhost:4566"],
             "pubsub demo: --endpoint-url needs an http:// or https:// URL, or memory://, got 'localhost:4566' (see --help)"),
            (["demo", "--timeout", "soon"], "pubsub demo: --timeout needs a number from 1.0 to 3600.0, got 'soon' (see --help)"),
            (["demo", "--queue", "x"], "pubsub demo: unknown option '--queue' (see --help)"),
        ]
        for (arguments, line) in cases {
            let result = await DemoCommandResult.run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.standardError, [line], "\(arguments)")
            XCTAssertEqual(result.standardOutput, [], "\(arguments)")
        }
    }
}
