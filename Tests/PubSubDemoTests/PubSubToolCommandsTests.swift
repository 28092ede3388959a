import Foundation
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import PubSubCLI
import PubSubDemo
import Synchronization
import XCTest

/// `pubsub produce` and `pubsub consume` are `sns-produce` and `sqs-consume` under one tool: the same
/// options, output and exit statuses, with `pubsub <command>` in their help and error lines.
final class PubSubToolCommandsTests: XCTestCase {
    private let broker = InMemoryBroker(recordsPublications: true)

    func testHelp_listsEveryCommandWithItsSummary() async {
        let result = await run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardError, [])
        XCTAssertEqual(result.standardOutput.first, "usage: pubsub <command> [options]")
        for (name, summary) in [("produce", SNSProduceCommand.interface.summary), ("consume", SQSConsumeCommand.interface.summary),
                                ("demo", DemoCommand.interface.summary)] {
            XCTAssertTrue(result.standardOutput.contains { $0.hasPrefix("  \(name) ") && $0.hasSuffix(summary) },
                          "\(name): \(result.standardOutput)")
        }
    }

    func testCommandHelp_isTheStandaloneCommandsHelp_underThePubsubName() async {
        for (arguments, standalone, name) in [(["produce", "--help"], SNSProduceCommand.help, "sns-produce"),
                                              (["consume", "-h"], SQSConsumeCommand.help, "sqs-consume")] {
            let result = await run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments)")
            XCTAssertEqual(result.standardOutput.joined(separator: "\n"),
                           standalone.replacingOccurrences(of: "usage: \(name) ", with: "usage: pubsub \(arguments[0]) "))
        }
    }

    func testProduceThenConsume_onTheInMemoryBroker_printsTheIdsAndTheMessages() async throws {
        let topicArn = try await broker.sns.createTopic(name: "events", attributes: [:])
        let queueURL = try await broker.sqs.createQueue(name: "events", attributes: [:])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "events"), attributes: [:])

        let produced = await run(["produce", "--topic-arn", topicArn, "--endpoint-url", "memory://", "--media-type", "Order",
                                  "--uri", "http://orders/1", "--count", "2"])
        XCTAssertEqual(produced.status, 0, "\(produced.standardError)")
        let ids = produced.standardOutput.filter { !$0.isEmpty }
        XCTAssertEqual(ids.count, 2)

        let consumed = await run(["consume", "--queue-url", queueURL, "--endpoint-url", "memory://", "--wait-seconds", "0"])
        XCTAssertEqual(consumed.status, 0, "\(consumed.standardError)")
        let lines = consumed.standardOutput.filter { !$0.isEmpty }.map { $0.components(separatedBy: "\t") }
        XCTAssertEqual(Set(lines.map { $0[1] }), Set(ids), "the SNS message ids produce printed")
        XCTAssertEqual(lines.map { $0[2] }, ["application/vnd.globality.pubsub._.created.order", "application/vnd.globality.pubsub._.created.order"])
        XCTAssertTrue(lines.allSatisfy { $0[4].contains(#""uri":"http://orders/1""#) }, "\(lines)")
        let left = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 0))
        XCTAssertTrue(left.isEmpty, "consume acked what it printed: \(left)")
    }

    func testUsageErrors_exit64_withOneLineNamingThePubsubCommand() async {
        let cases: [([String], String)] = [
            (["produce"], "pubsub produce: --topic-arn is required (see --help)"),
            (["produce", "--topic-arn", "not-an-arn"],
             "pubsub produce: --topic-arn needs an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:events, got 'not-an-arn' (see --help)"),
            (["consume", "--queue-url", "http://q", "--nack-timeout", "5"], "pubsub consume: --nack-timeout needs --nack (see --help)"),
            (["consume", "--queue-url", "http://q", "--ack"], "pubsub consume: unknown option '--ack' (see --help)"),
            (["write"], "pubsub: unknown command 'write'; the commands are produce, consume, demo, dlq (see --help)"),
        ]
        for (arguments, line) in cases {
            let result = await run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertEqual(result.standardError, [line], "\(arguments)")
            XCTAssertEqual(result.standardOutput, [], "\(arguments)")
        }
    }

    func testAWSError_exits1_namingTheCommandTheCodeAndTheTopic() async {
        let missing = broker.topicArn(named: "missing")
        let result = await run(["produce", "--topic-arn", missing, "--endpoint-url", "memory://"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardOutput, [])
        XCTAssertEqual(result.standardError,
                       ["pubsub produce: AWS error NotFound: Topic does not exist: \(missing) (SNS Publish, topic '\(missing)')"])
    }

    func testConfigurationError_exits64_namingTheCommandTheKeyAndTheVariable() async {
        let result = await run(["consume", "--queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/events", "--region", "us-east-1"],
                               environment: ["PUBSUB__SQS_CONSUMER__READ_TIMEOUT": "nan"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.standardError, [#"pubsub consume: config 'sqs_consumer.read_timeout' (from PUBSUB__SQS_CONSUMER__READ_TIMEOUT): "#
                                              + #"expected seconds from 0.001 to 86400, got string "nan""#])
    }

    /// Runs `pubsub` in process with captured output; graphs made with `memory://` share `broker`.
    private func run(_ arguments: [String], environment: [String: String] = [:]) async -> DemoCommandResult {
        let captured = Mutex((standardOutput: [String](), standardError: [String]()))
        let output = CommandOutput(standardOutput: { text in captured.withLock { $0.standardOutput += text.components(separatedBy: "\n") } },
                                   standardError: { text in captured.withLock { $0.standardError += text.components(separatedBy: "\n") } })
        let broker = broker
        let context = CommandContext(output: output, environment: environment, now: { 1_700_000_000.25 }) { graph in
            graph.assign(.pubsubBroker, broker)
        }
        let status = await PubSubCommand.main(arguments, context: context)
        return captured.withLock { DemoCommandResult(status: status, standardOutput: $0.standardOutput, standardError: $0.standardError) }
    }
}
