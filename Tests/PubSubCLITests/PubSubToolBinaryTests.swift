import XCTest

/// The built `pubsub` run as a child process: `pubsub produce` and `pubsub consume` exit as
/// `sns-produce` and `sqs-consume` do (64 usage, 1 runtime), naming themselves in their one line.
final class PubSubToolBinaryTests: XCTestCase {
    func testHelp_listsProduceConsumeAndDemo() async throws {
        let result = try await BuiltCommand.pubsub.run(["--help"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardError, "")
        for name in ["produce", "consume", "demo"] {
            XCTAssertTrue(result.standardOutput.contains("\n  \(name) "), "help lacks \(name): \(result.standardOutput)")
        }
    }

    func testProduceHelp_isSnsProducesHelp_underItsName() async throws {
        let pubsub = try await BuiltCommand.pubsub.run(["produce", "--help"])
        let standalone = try await BuiltCommand.snsProduce.run(["--help"])
        XCTAssertEqual(pubsub.status, 0, "\(pubsub)")
        XCTAssertEqual(pubsub.standardOutput, standalone.standardOutput.replacingOccurrences(of: "usage: sns-produce ", with: "usage: pubsub produce "))
    }

    func testStatuses_areSnsProducesAndSqsConsumes() async throws {
        let topicArn = "arn:aws:sns:us-east-1:123456789012:missing"
        let cases: [([String], Int32, String)] = [
            (["produce"], 64, "pubsub produce: --topic-arn is required (see --help)"),
            (["consume", "--queue-url", "http://q", "--limit", "11"], 64,
             "pubsub consume: --limit needs a whole number from 1 to 10, got '11' (see --help)"),
            (["produce", "--topic-arn", topicArn, "--endpoint-url", "memory://"], 1,
             "pubsub produce: AWS error NotFound: Topic does not exist: \(topicArn) (SNS Publish, topic '\(topicArn)')"),
            (["consume", "--queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/missing", "--endpoint-url", "memory://"], 1,
             "pubsub consume: AWS error "),
        ]
        for (arguments, status, line) in cases {
            let result = try await BuiltCommand.pubsub.run(arguments)
            XCTAssertEqual(result.status, status, "\(arguments): \(result)")
            XCTAssertEqual(result.errorLines.count, 1, "\(arguments): \(result)")
            XCTAssertTrue(result.standardError.hasPrefix(line), "\(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardOutput, "", "\(arguments)")
        }
    }
}
