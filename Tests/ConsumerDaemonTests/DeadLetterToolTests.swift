import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import SimpleDaemon
import Synchronization
import XCTest

/// `dlq inspect` and `dlq replay` on the in-memory broker, for `simple-daemon` (a real daemon with
/// a typed handler) and for a service described as `pubsub` describes one.
final class DeadLetterToolTests: XCTestCase {
    private var broker: InMemoryBroker!
    private var queueURL: String!
    private var deadLetterURL: String!
    /// The lines the daemon's handler printed: none, ever.
    private let handled = Lines()

    private final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    override func setUp() async throws {
        broker = InMemoryBroker()
        deadLetterURL = try await broker.sqs.createQueue(name: "simple-dlq", attributes: [:])
        let arn = try await broker.sqs.getQueueAttributes(queueURL: deadLetterURL, names: ["QueueArn"])["QueueArn"]!
        queueURL = try await broker.sqs.createQueue(name: "simple", attributes: [
            "RedrivePolicy": #"{"deadLetterTargetArn": "\#(arn)", "maxReceiveCount": 3}"#,
        ])
    }

    private struct Run {
        var status: Int32
        var output: [String]
        var errors: [String]
        var text: String { output.joined(separator: "\n") }
    }

    private func dlq(_ arguments: [String], daemon: (any ConsumerDaemon)? = nil) async -> Run {
        let output = Mutex<[String]>([])
        let errors = Mutex<[String]>([])
        let broker = broker!
        let handled = handled
        let daemon = daemon ?? SimpleDaemon(output: { line in handled.append(line) })
        let invocation = ServiceToolInvocation(
            command: "simple-daemon dlq",
            arguments: arguments + ["--endpoint-url", "memory://"] + (arguments.contains("--sqs-queue-url") ? [] : ["--sqs-queue-url", queueURL]),
            daemon: daemon, environment: [:],
            output: { text in output.withLock { $0 += text.components(separatedBy: "\n") } },
            errorOutput: { line in errors.withLock { $0.append(line) } },
            prepareGraph: { graph in graph.assign(.pubsubBroker, broker) })
        let status = await ServiceTool.deadLetter.main(invocation)
        return Run(status: status, output: output.withLock { $0 }, errors: errors.withLock { $0 })
    }

    private func send(_ body: String, to url: String? = nil, attributes: [String: MessageAttributeValue] = [:]) async throws {
        _ = try await broker.sqs.sendMessage(SendMessageRequest(queueURL: url ?? deadLetterURL, messageBody: body,
                                                                messageAttributes: attributes))
    }

    /// One message of each kind: handled today, not JSON, unknown media type, schema error, no handler.
    private func sendOneOfEach() async throws {
        try await send(#"{"mediaType": "application/vnd.globality.pubsub._.created.simple_message", "message": "hi", "timestamp": 1.5}"#)
        try await send("hello, not JSON")
        try await send(#"{"mediaType": "application/vnd.acme.unknown", "id": 1}"#)
        try await send(#"{"mediaType": "application/vnd.globality.pubsub._.created.simple_message", "timestamp": 1.5}"#)
        try await send(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#)
    }

    func testInspect_findsTheDeadLetterQueueByTheRedrivePolicy_andSaysWhyEachMessageFailsToday() async throws {
        try await sendOneOfEach()

        let run = await dlq(["inspect"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertEqual(run.errors, [])
        XCTAssertEqual(run.output.first, "dead-letter queue \(deadLetterURL!) (RedrivePolicy of \(queueURL!), after 3 receives)")
        XCTAssertTrue(run.output.contains("5 messages read, each received once and handed back (SQS counted about 5 before)"), run.text)
        for expected in ["    would be handled by SimpleHandler",
                         "    unknown media type 'application/vnd.acme.unknown'",
                         "    schema error: field 'message' is missing (expected string)",
                         "    no handler for 'application/vnd.globality.pubsub._.created.thing'",
                         "  2  application/vnd.globality.pubsub._.created.simple_message",
                         "  1  (no media type)",
                         "receives (this read included): 5 messages 1x"] {
            XCTAssertTrue(run.output.contains(expected), "\(expected) in\n\(run.text)")
        }
        XCTAssertTrue(run.output.contains { $0.hasPrefix("    not JSON: ") }, run.text)
        XCTAssertTrue(run.output.contains { $0.hasPrefix("ages: oldest ") }, run.text)
        XCTAssertEqual(handled.all, [], "no handler runs")
    }

    func testInspect_handsEveryMessageBackVisibleAndDeletesNothing() async throws {
        try await sendOneOfEach()

        let run = await dlq(["inspect"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        let messages = try await broker.visibleMessages(in: deadLetterURL)
        XCTAssertEqual(messages.count, 5)
        XCTAssertEqual(Set(messages.map(\.receiveCount)), [1], "each received once")
    }

    func testInspect_withMax_readsNoMoreThanThat() async throws {
        try await sendOneOfEach()

        let run = await dlq(["inspect", "--max", "2"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.contains("2 messages read, each received once and handed back (SQS counted about 5 before)"), run.text)
        let counts = try await broker.visibleMessages(in: deadLetterURL).map(\.receiveCount).sorted()
        XCTAssertEqual(counts, [0, 0, 0, 1, 1])
    }

    func testInspect_whenTheDeadLetterQueueHasARedrivePolicyOfItsOwn_readsItOnlyWhenAllowed() async throws {
        let further = try await broker.sqs.createQueue(name: "simple-dlq-dlq", attributes: [:])
        let arn = try await broker.sqs.getQueueAttributes(queueURL: further, names: ["QueueArn"])["QueueArn"]!
        try await broker.sqs.setQueueAttributes(queueURL: deadLetterURL, attributes: [
            "RedrivePolicy": #"{"deadLetterTargetArn": "\#(arn)", "maxReceiveCount": 2}"#,
        ])
        try await send("hello")

        let refused = await dlq(["inspect"])
        XCTAssertEqual(refused.status, 64)
        XCTAssertEqual(refused.errors.count, 1)
        XCTAssertTrue(refused.errors[0].contains("--allow-further-redrive"), "\(refused.errors)")
        let untouched = try await broker.visibleMessages(in: deadLetterURL).map(\.receiveCount)
        XCTAssertEqual(untouched, [0])

        let allowed = await dlq(["inspect", "--allow-further-redrive"])
        XCTAssertEqual(allowed.status, 0, "\(allowed.errors)")
        XCTAssertTrue(allowed.output.contains { $0.hasPrefix("    not JSON: ") }, allowed.text)
    }

    func testReplay_movesEveryMessageBackWithItsAttributes_andEmptiesTheDeadLetterQueue() async throws {
        try await sendOneOfEach()
        try await send("with attributes", attributes: ["tenant": MessageAttributeValue(dataType: "String", stringValue: "acme")])

        let run = await dlq(["replay"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertEqual(run.output, ["moved 6 messages from \(deadLetterURL!) to \(queueURL!) (receive, send, delete)"])
        let remaining = try await broker.messages(in: deadLetterURL)
        XCTAssertEqual(remaining.count, 0)
        let moved = try await broker.visibleMessages(in: queueURL)
        XCTAssertEqual(moved.count, 6)
        XCTAssertTrue(moved.contains { $0.body == "hello, not JSON" })
        XCTAssertEqual(moved.first { $0.body == "with attributes" }?.messageAttributes["tenant"]?.stringValue, "acme")
        XCTAssertEqual(handled.all, [], "replay calls no handler")
    }

    func testReplay_whenTheSendFails_deletesNothingAndExits1() async throws {
        try await sendOneOfEach()
        let missing = queueURL.replacingOccurrences(of: "/simple", with: "/no-such-queue")

        let run = await dlq(["replay", "--to", missing])

        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.output.first, "moved 0 messages from \(deadLetterURL!) to \(missing) (receive, send, delete); 5 failed")
        XCTAssertEqual(run.errors.count, 5, "one line a message: \(run.errors)")
        let kept = try await broker.visibleMessages(in: deadLetterURL)
        XCTAssertEqual(kept.count, 5, "every message is still in the dead-letter queue, visible")
    }

    func testReplay_withAMediaTypeAndMax_movesOnlyThoseAndHandsTheOthersBack() async throws {
        try await sendOneOfEach()
        try await send(#"{"mediaType": "application/vnd.globality.pubsub._.created.simple_message", "message": "again", "timestamp": 2}"#)

        let run = await dlq(["replay", "--media-type", "application/vnd.globality.pubsub._.created.simple_message", "--max", "2"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.first?.hasPrefix("moved 2 messages from") ?? false, run.text)
        let moved = try await broker.visibleMessages(in: queueURL)
        XCTAssertEqual(moved.count, 2)
        let kept = try await broker.visibleMessages(in: deadLetterURL)
        XCTAssertEqual(kept.count, 4, "the others are visible again in the dead-letter queue")
    }

    func testReplayDryRun_fromTheQueue_saysWhatWouldHappenAndMovesNothing() async throws {
        try await sendOneOfEach()

        let run = await dlq(["replay", "--dry-run"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.contains("messages (each would move to \(queueURL!), then):"), run.text)
        XCTAssertTrue(run.output.contains("    would be handled by SimpleHandler"), run.text)
        let kept = try await broker.visibleMessages(in: deadLetterURL)
        XCTAssertEqual(kept.count, 5)
        let moved = try await broker.messages(in: queueURL)
        XCTAssertEqual(moved.count, 0)
    }

    func testReplayDryRun_fromAFileOfJSONLines_readsEachLineAsTheDaemonReplaysIt() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-\(UUID().uuidString).jsonl")
        let simple = #"{"mediaType": "application/vnd.globality.pubsub._.created.simple_message", "message": "hi", "timestamp": 1.5}"#
        let apiShaped = #"{"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": "{\"mediaType\": \"application/vnd.acme.unknown\"}"}"#
        try [simple, apiShaped, "not JSON"].joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }

        let run = await dlq(["replay", "--dry-run", "--from", file.path])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertEqual(run.output.first, "3 messages in \(file.path)")
        XCTAssertTrue(run.output.contains("    would be handled by SimpleHandler"), run.text)
        XCTAssertTrue(run.output.contains { $0.hasPrefix("  m-1  application/vnd.acme.unknown  received 1x") }, run.text)
        XCTAssertTrue(run.output.contains("    unknown media type 'application/vnd.acme.unknown'"), run.text)
        XCTAssertTrue(run.output.contains { $0.hasPrefix("    not JSON: ") }, run.text)
        XCTAssertEqual(handled.all, [], "no handler runs")
    }

    func testInspect_forADescribedService_usesItsMediaTypes() async throws {
        try await send(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#)

        let run = await dlq(["inspect"], daemon: DescribedService(name: "things", mediaTypes: [.created("Thing")]))

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.contains { $0.hasPrefix("    would be handled by closure at ") }, run.text)
    }

    func testInspect_withAnExplicitQueue_needsNoRedrivePolicy() async throws {
        let other = try await broker.sqs.createQueue(name: "other-dlq", attributes: [:])
        try await send("hello", to: other)

        let run = await dlq(["inspect", "--dlq-url", other])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertEqual(run.output.first, "dead-letter queue \(other)")
    }

    func testUsageErrors_exit64WithOneLine_andHelpExits0() async {
        for arguments in [[], ["peek"], ["replay", "--from", "/no/such/file.jsonl", "--dry-run"], ["replay", "--from", "/tmp"],
                          ["inspect", "--max", "0"], ["inspect", "--dry-run"], ["inspect", "--dlq-url", "not a url"]] {
            let run = await dlq(arguments)
            XCTAssertEqual(run.status, 64, "\(arguments)")
            XCTAssertEqual(run.errors.count, 1, "\(arguments): \(run.errors)")
            XCTAssertTrue(run.errors.first?.hasPrefix("simple-daemon dlq") ?? false, "\(run.errors)")
        }
        for arguments in [["--help"], ["inspect", "--help"], ["replay", "-h"]] {
            let run = await dlq(arguments)
            XCTAssertEqual(run.status, 0, "\(arguments)")
            XCTAssertTrue(run.output.first?.hasPrefix("usage: simple-daemon dlq") ?? false, run.text)
        }
    }

    func testInspect_whenTheServiceQueueHasNoRedrivePolicy_saysSoAndExits64() async throws {
        let plain = try await broker.sqs.createQueue(name: "plain", attributes: [:])

        let run = await dlq(["inspect", "--sqs-queue-url", plain])

        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.errors, ["simple-daemon dlq inspect: queue \(plain) has no RedrivePolicy, so no dead-letter queue; name one with --dlq-url"])
    }

    func testInspect_whenTheServiceReadsAFile_asksForTheQueue() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-\(UUID().uuidString).jsonl")
        try "{}".write(to: file, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }

        let run = await dlq(["inspect", "--sqs-queue-url", file.path])

        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.errors.count, 1)
        XCTAssertTrue(run.errors[0].hasSuffix("not an SQS queue; name the dead-letter queue with --dlq-url"), "\(run.errors)")
    }
}
