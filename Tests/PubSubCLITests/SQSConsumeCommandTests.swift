import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import PubSubCLI
import XCTest

/// `sqs-consume` run in process against the in-memory broker: options, the lines printed, what
/// happens to the messages, and the exit status.
final class SQSConsumeCommandTests: XCTestCase {
    private var harness = CommandHarness()
    private var topicArn = ""
    private var queueURL = ""

    override func setUp() async throws {
        harness = CommandHarness()
        (topicArn, queueURL) = try await harness.subscribedQueue("events")
    }

    private func consume(_ arguments: [String] = []) async -> CommandResult {
        await harness.consume(["--queue-url", queueURL, "--endpoint-url", "memory://", "--wait-seconds", "0"] + arguments)
    }

    /// Publishes a message of `mediaType` as microcosm-pubsub would, to `topic` (the test's topic);
    /// returns SNS's message id and the message text.
    @discardableResult
    private func publish(_ mediaType: MediaType, _ fields: JSONObject, to topic: String? = nil) async throws -> (id: String, text: String) {
        let registry = PubSubMessageSchemaRegistry()
        if (try? registry.schema(for: mediaType)) == nil { try registry.register(.dynamic, for: mediaType) }
        let text = try registry.encode(mediaType, fields: fields, opaqueData: ["x-request-id": "req-1"])
        let result = try await harness.broker.sns.publish(PublishRequest(
            topicArn: topic ?? topicArn, message: text,
            messageAttributes: [PubSubWire.mediaTypeAttribute: .string(mediaType.rawValue)]))
        return (result.messageId, text)
    }

    // MARK: Help and usage errors

    func testHelp_listsEveryOptionAndTheOutputColumns_andExitsZero() async {
        let result = await harness.consume(["--help"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardError, "")
        for option in ["--queue-url URL", "--nack", "--nack-timeout S", "--limit N", "--wait-seconds S", "--envelope NAME",
                       "--endpoint-url URL", "--region REGION", "--profile PROFILE", "--help", "CodecSQSEnvelope", "RawSQSEnvelope",
                       "SQS_MESSAGE_ID SNS_MESSAGE_ID MEDIA_TYPE RECEIVE_COUNT CONTENT", "PUBSUB__SETTINGS"] {
            XCTAssertTrue(result.standardOutput.contains(option), "help lacks \(option):\n\(result.standardOutput)")
        }
        XCTAssertTrue(result.outputLines.first?.hasPrefix("usage: sqs-consume --queue-url URL") ?? false)
    }

    func testUsageErrors_exit64_withOneLineNamingTheOption() async {
        let queue = ["--queue-url", queueURL]
        let cases: [([String], String)] = [
            ([], "sqs-consume: --queue-url is required (see --help)"),
            (["--nack"], "sqs-consume: --queue-url is required (see --help)"),
            (["--queue-url", ""], "sqs-consume: --queue-url needs a queue URL, got '' (see --help)"),
            (queue + ["--limit", "0"], "sqs-consume: --limit needs a whole number from 1 to 10, got '0' (see --help)"),
            (queue + ["--limit", "11"], "sqs-consume: --limit needs a whole number from 1 to 10, got '11' (see --help)"),
            (queue + ["--wait-seconds", "21"], "sqs-consume: --wait-seconds needs a whole number from 0 to 20, got '21' (see --help)"),
            (queue + ["--nack", "--nack-timeout", "-1"],
             "sqs-consume: --nack-timeout needs a whole number from 0 to 43200, got '-1' (see --help)"),
            (queue + ["--nack-timeout", "5"], "sqs-consume: --nack-timeout needs --nack (see --help)"),
            (queue + ["--nack=yes"], "sqs-consume: --nack takes no value (see --help)"),
            (queue + ["--envelope", "Snappy"],
             "sqs-consume: --envelope needs one of CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope, "
                + "got 'Snappy' (see --help)"),
            (queue + ["--bogus"], "sqs-consume: unknown option '--bogus' (see --help)"),
        ]
        for (arguments, line) in cases {
            let result = await harness.consume(arguments + ["--endpoint-url", "memory://"])
            XCTAssertEqual(result.status, 64, "\(arguments): \(result)")
            XCTAssertEqual(result.errorLines, [line], "\(arguments)")
            XCTAssertEqual(result.standardOutput, "", "\(arguments)")
        }
    }

    // MARK: Consuming

    func testConsume_printsEachMessage_andAcksIt() async throws {
        let first = try await publish(.created("Thing"), ["uri": "http://things/1"])
        let second = try await publish(.created("Thing"), ["uri": "http://things/2"])
        let result = await consume()
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardError, "")
        let columns = result.outputColumns
        XCTAssertEqual(columns.map(\.count), [5, 5])
        XCTAssertEqual(columns.map { $0[1] }, [first.id, second.id])
        XCTAssertEqual(columns.map { $0[2] }, [MediaType.created("Thing").rawValue, MediaType.created("Thing").rawValue])
        XCTAssertEqual(columns.map { $0[3] }, ["1", "1"])
        XCTAssertEqual(columns.map { $0[4] }, [first.text, second.text].map { text in
            JSONSerializer.compact.string(try! JSONParser.parse(text))
        })
        XCTAssertEqual(Set(columns.map { $0[0] }).count, 2)
        XCTAssertFalse(columns.map { $0[0] }.contains(first.id))
        let left = try await harness.broker.messages(in: queueURL)
        XCTAssertTrue(left.isEmpty, "acked messages are deleted: \(left)")
    }

    func testEmptyQueue_printsNothing_andExitsZero() async {
        let result = await consume()
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError, "")
    }

    func testNack_leavesTheMessageForLater_andItComesBackWithReceiveCountTwo() async throws {
        try await publish(.created("Thing"), ["uri": "http://things/1"])
        let nacked = await consume(["--nack", "--nack-timeout", "0"])
        XCTAssertEqual(nacked.status, 0, "\(nacked)")
        XCTAssertEqual(nacked.outputColumns.map { $0[3] }, ["1"])
        let visible = try await harness.broker.visibleMessages(in: queueURL)
        XCTAssertEqual(visible.map(\.messageId), nacked.outputColumns.map { $0[0] })

        let acked = await consume()
        XCTAssertEqual(acked.status, 0, "\(acked)")
        XCTAssertEqual(acked.outputColumns.map { $0[0] }, nacked.outputColumns.map { $0[0] })
        XCTAssertEqual(acked.outputColumns.map { $0[3] }, ["2"])
        let left = try await harness.broker.messages(in: queueURL)
        XCTAssertTrue(left.isEmpty)
        let empty = await consume()
        XCTAssertEqual(empty.standardOutput, "")
    }

    func testNack_withoutTimeout_hidesTheMessageForOneSecond() async throws {
        try await publish(.created("Thing"), ["uri": "http://things/1"])
        let before = Date()
        let result = await consume(["--nack"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let inFlight = try await harness.broker.inFlightMessages(in: queueURL)
        XCTAssertEqual(inFlight.count, 1)
        let hiddenFor = try XCTUnwrap(inFlight.first?.visibleAt).timeIntervalSince(before)
        XCTAssertTrue((0.5...1.5).contains(hiddenFor), "visible again after \(hiddenFor) s")
    }

    func testLimit_receivesAtMostThatMany() async throws {
        for index in 1...3 { try await publish(.created("Thing"), ["uri": .string("http://things/\(index)")]) }
        let result = await consume(["--limit", "2"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.outputLines.count, 2)
        let visible = try await harness.broker.visibleMessages(in: queueURL)
        XCTAssertEqual(visible.count, 1)
    }

    func testUnreadableBodies_printTheErrorInsteadOfContent_andAreAcked() async throws {
        let notJSON = try await harness.broker.sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: "not json"))
        let noURI = try await harness.broker.sqs.sendMessage(SendMessageRequest(
            queueURL: queueURL, messageBody: #"{"mediaType": "application/vnd.globality.pubsub._.created.thing"}"#))
        let result = await consume()
        XCTAssertEqual(result.status, 0, "\(result)")
        let lines = Dictionary(uniqueKeysWithValues: result.outputColumns.map { ($0[0], $0) })
        XCTAssertEqual(lines.count, 2)
        let notJSONLine = try XCTUnwrap(lines[notJSON.messageId])
        XCTAssertEqual(Array(notJSONLine[1...3]), ["-", "-", "1"])
        XCTAssertTrue(notJSONLine[4].hasPrefix("error: message is not JSON: invalid JSON at line 1, column 1"), notJSONLine[4])
        XCTAssertEqual(lines[noURI.messageId], [
            noURI.messageId, "-", "application/vnd.globality.pubsub._.created.thing", "1",
            "error: invalid message of media type 'application/vnd.globality.pubsub._.created.thing': field 'uri' is missing (expected string)",
        ])
        let left = try await harness.broker.messages(in: queueURL)
        XCTAssertTrue(left.isEmpty)
    }

    func testMediaTypeWithoutSchema_isPrintedAsItCame() async throws {
        let published = try await publish("application/vnd.acme.thing", ["size": 3, "tags": ["a"]])
        let result = await consume()
        XCTAssertEqual(result.status, 0, "\(result)")
        let line = try XCTUnwrap(result.outputColumns.first)
        XCTAssertEqual(Array(line[1...]), [published.id, "application/vnd.acme.thing", "1",
                                           JSONSerializer.compact.string(try JSONParser.parse(published.text))])
    }

    func testRawDelivery_hasNoSNSMessageId_andRawEnvelopeReadsPlainJSON() async throws {
        let raw = try await harness.subscribedQueue("raw", raw: true)
        try await publish(.created("Thing"), ["uri": "http://things/1"], to: raw.topicArn)
        try await publish(.created("Thing"), ["uri": "http://things/2"], to: raw.topicArn)
        let codec = await harness.consume(["--queue-url", raw.queueURL, "--endpoint-url", "memory://", "--wait-seconds", "0",
                                           "--limit", "1"])
        XCTAssertEqual(codec.status, 0, "\(codec)")
        XCTAssertEqual(codec.outputColumns.map { Array($0[1...3]) }, [["-", MediaType.created("Thing").rawValue, "1"]])
        let plain = await harness.consume(["--queue-url", raw.queueURL, "--endpoint-url", "memory://", "--wait-seconds", "0",
                                           "--envelope", "RawSQSEnvelope"])
        XCTAssertEqual(plain.status, 0, "\(plain)")
        XCTAssertEqual(plain.outputColumns.map { Array($0[1...3]) }, [["-", "application/json", "1"]])
    }

    func testQueueURL_mayNameAFileOfJSONLines_readLikeMicrocosmReplays() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sqs-consume-\(UUID().uuidString).jsonl")
        try Data(#"""
        {"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}
        oops

        """#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = await harness.consume(["--queue-url", file.path])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.outputColumns.map { Array($0[1...]) }, [
            ["-", MediaType.created("Thing").rawValue, "1",
             #"{"mediaType":"application/vnd.globality.pubsub._.created.thing","uri":"http://things/1"}"#],
            ["-", "-", "1", "error: message is not JSON: invalid JSON at line 1, column 1: expected a value, found 'o'"],
        ])
    }

    // MARK: Configuration and failures

    func testEnvironmentVariables_configureTheGraph_underTheFlags() async throws {
        for index in 1...3 { try await publish(.created("Thing"), ["uri": .string("http://things/\(index)")]) }
        harness.environment = ["PUBSUB__SQS_CONSUMER__ENDPOINT_URL": "memory://", "PUBSUB__SQS_CONSUMER__LIMIT": "1",
                               "PUBSUB__SQS_CONSUMER__WAIT_SECONDS": "0"]
        let fromEnvironment = await harness.consume(["--queue-url", queueURL])
        XCTAssertEqual(fromEnvironment.status, 0, "\(fromEnvironment)")
        XCTAssertEqual(fromEnvironment.outputLines.count, 1)
        let fromFlag = await harness.consume(["--queue-url", queueURL, "--limit", "2"])
        XCTAssertEqual(fromFlag.status, 0, "\(fromFlag)")
        XCTAssertEqual(fromFlag.outputLines.count, 2)
    }

    func testMissingQueue_exits1_withTheAWSCodeAndTheQueue() async {
        let missing = harness.broker.queueURL(named: "missing")
        let result = await harness.consume(["--queue-url", missing, "--endpoint-url", "memory://", "--wait-seconds", "0"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.errorLines, [
            "sqs-consume: AWS error AWS.SimpleQueueService.NonExistentQueue: The specified queue does not exist: \(missing) "
                + "(SQS ReceiveMessage, queue '\(missing)')",
        ])
    }

    /// Configuration errors are found before any request: exit 64 (was 1, like AWS errors).
    func testConfigurationErrors_exit64_namingTheKeyOrTheVariable() async {
        let cases: [([String: String], String)] = [
            (["PUBSUB__SETTINGS": "/nonexistent/pubsub.json"], "sqs-consume: PUBSUB__SETTINGS names '/nonexistent/pubsub.json', which does not exist"),
            (["PUBSUB__SQS_CONSUMER__LIMIT": "ten"],
             #"sqs-consume: config 'sqs_consumer.limit' (from PUBSUB__SQS_CONSUMER__LIMIT): expected int, got string "ten""#),
            (["PUBSUB__SQS_ENVELOPE__STRATEGY_NAME": "Snappy"],
             "sqs-consume: config 'sqs_envelope.strategy_name': unknown SQS envelope strategy 'Snappy'; "
                + "accepted: CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope"),
            (["PUBSUB__SQS_CONSUMER__BACKOFF_POLICY": "Linear"],
             "sqs-consume: config 'sqs_consumer.backoff_policy': unknown backoff policy 'Linear'; "
                + "accepted: NaiveBackoffPolicy, ExponentialBackoffPolicy, ExponentialBackoffBaseJitterPolicy"),
        ]
        for (environment, line) in cases {
            harness.environment = environment
            let result = await consume()
            XCTAssertEqual(result.status, 64, "\(environment): \(result)")
            XCTAssertEqual(result.errorLines, [line], "\(environment)")
            XCTAssertEqual(result.standardOutput, "")
        }
    }
}
