import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import PubSubCLI
import SimpleDaemon
import XCTest

/// The built `sns-produce` and `sqs-consume` against a real emulator, moto or LocalStack (skipped,
/// saying why, when there is none): a topic and a subscribed queue made with the clients,
/// messages produced by one process and consumed by others, and AWS errors. The children get
/// obviously fake credentials; none of them may appear in any output.
final class CLIIntegrationTests: XCTestCase {
    private static let secretAccessKey = "cli-secret-\(UUID().uuidString)"
    private static let sessionToken = "cli-token-\(UUID().uuidString)"

    private var endpoint = ""
    private var sns: SNSClient!
    private var sqs: SQSClient!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        (sns, sqs) = try Emulator.clients(logLabel: "cli-it")
    }

    /// A topic and a queue subscribed to it (SNS's envelope), deleted when the test ends.
    private func subscribedQueue(_ prefix: String) async throws -> (topicArn: String, queueURL: String) {
        let subscribed = try await Emulator.subscribedQueue(prefix, sns: sns, sqs: sqs, in: self)
        return (subscribed.topicArn, subscribed.queueURL)
    }

    /// Runs `command` against the emulator with fake credentials from the environment (and `environment`);
    /// checks that no credential shows in its output.
    private func run(_ command: BuiltCommand, _ arguments: [String], environment: [String: String?] = [:],
                     file: StaticString = #filePath, line: UInt = #line) async throws -> CommandResult {
        var overrides: [String: String?] = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": CLIIntegrationTests.secretAccessKey,
                                            "AWS_SESSION_TOKEN": CLIIntegrationTests.sessionToken, "AWS_PROFILE": nil]
        overrides.merge(environment) { $1 }
        let result = try await command.run(arguments + ["--endpoint-url", endpoint, "--region", Emulator.region],
                                           environment: BuiltCommand.environment(overrides))
        for secret in [CLIIntegrationTests.secretAccessKey, CLIIntegrationTests.sessionToken] {
            XCTAssertFalse(result.standardOutput.contains(secret) || result.standardError.contains(secret),
                           "\(command.name) wrote a credential", file: file, line: line)
        }
        return result
    }

    /// Runs `sqs-consume` until lines for `count` distinct messages came (at most five runs).
    private func consume(_ queueURL: String, count: Int, _ arguments: [String]) async throws -> [[String]] {
        var lines: [[String]] = []
        for _ in 0..<5 where Set(lines.map { $0[0] }).count < count {
            let result = try await run(.sqsConsume, ["--queue-url", queueURL] + arguments)
            XCTAssertEqual(result.status, 0, "\(result)")
            XCTAssertEqual(result.standardError, "")
            lines += result.outputColumns
        }
        return lines
    }

    func testRoundTrip_threeProduced_consumedAndNackedWithReceiveCountOne_thenBackWithReceiveCountTwo() async throws {
        let (topicArn, queueURL) = try await subscribedQueue("cli-round-trip")
        // Trace logging shows every request on standard error: it must still show no credential.
        let produced = try await run(.snsProduce, ["--topic-arn", topicArn, "--count", "3", "--message", "ping"],
                                     environment: ["PUBSUB__LOGGING__LEVEL": "trace"])
        XCTAssertEqual(produced.status, 0, "\(produced)")
        let ids = produced.outputLines
        XCTAssertEqual(ids.count, 3, "\(produced)")
        XCTAssertEqual(Set(ids).count, 3)
        XCTAssertTrue(produced.standardError.contains("SNS Publish"), "trace logging shows the requests")

        let nacked = try await consume(queueURL, count: 3, ["--nack", "--nack-timeout", "2", "--wait-seconds", "1"])
        XCTAssertEqual(Set(nacked.map { $0[1] }), Set(ids), "the SNS message ids sns-produce printed")
        XCTAssertEqual(nacked.count, 3, "\(nacked)")
        for line in nacked {
            XCTAssertEqual(line.count, 5, "\(line)")
            XCTAssertEqual(Array(line[2...3]), [SimpleMessage.mediaType.rawValue, "1"])
            let content = try XCTUnwrap(JSONParser.parse(line[4]).objectValue)
            XCTAssertEqual(content["message"], "ping")
            XCTAssertNotNil(content["timestamp"]?.doubleValue)
        }

        let acked = try await consume(queueURL, count: 3, ["--wait-seconds", "5"])
        XCTAssertEqual(acked.count, 3, "\(acked)")
        XCTAssertEqual(Set(acked.map { $0[0] }), Set(nacked.map { $0[0] }), "the same SQS messages came back")
        XCTAssertEqual(Set(acked.map { $0[1] }), Set(ids))
        XCTAssertEqual(acked.map { $0[3] }, ["2", "2", "2"])

        let empty = try await run(.sqsConsume, ["--queue-url", queueURL, "--wait-seconds", "0"])
        XCTAssertEqual(empty.status, 0, "\(empty)")
        XCTAssertEqual(empty.standardOutput, "", "acked messages are gone")
    }

    func testMissingTopic_exits1_withTheAWSCodeAndTheTopic() async throws {
        let topicArn = "arn:aws:sns:\(Emulator.region):\(try await Emulator.account()):\(Emulator.uniqueName("cli-missing"))"
        let result = try await run(.snsProduce, ["--topic-arn", topicArn])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.errorLines.count, 1, "\(result)")
        XCTAssertTrue(result.standardError.hasPrefix("sns-produce: AWS error NotFound: "), result.standardError)
        XCTAssertTrue(result.standardError.hasSuffix(" (SNS Publish, topic '\(topicArn)')\n"), result.standardError)
    }

    func testMissingQueue_exits1_withTheAWSCodeAndTheQueue() async throws {
        let queueURL = "\(endpoint)/\(try await Emulator.account())/\(Emulator.uniqueName("cli-missing"))"
        let result = try await run(.sqsConsume, ["--queue-url", queueURL, "--wait-seconds", "0"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.errorLines.count, 1, "\(result)")
        XCTAssertTrue(result.standardError.hasPrefix("sqs-consume: AWS error "), result.standardError)
        XCTAssertTrue(result.standardError.hasPrefix("sqs-consume: AWS error AWS.SimpleQueueService.NonExistentQueue: "),
                      result.standardError)
        XCTAssertTrue(result.standardError.hasSuffix(" (SQS ReceiveMessage, queue '\(queueURL)')\n"), result.standardError)
    }
}
