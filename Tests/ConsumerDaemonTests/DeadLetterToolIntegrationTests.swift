import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import SimpleDaemon
import Synchronization
import XCTest

/// `simple-daemon dlq` against a real emulator, moto or LocalStack (skipped, saying why, when there
/// is none): the dead-letter queue found through the RedrivePolicy, inspected without being
/// consumed, and replayed (LocalStack by SQS's message move task, moto by receive, send, delete).
/// Asserts what AWS documents: where the messages are afterwards, never an emulator's wording.
final class DeadLetterToolIntegrationTests: XCTestCase {
    private var endpoint: String!
    private var sqs: SQSClient!
    private var queueURL: String!
    private var deadLetterURL: String!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                                         credentialProvider: StaticCredentialProvider(Emulator.credentials)),
                            transport: CurlTransport(), logger: Logger(label: "dlq-it", level: .warning))
        let sqs = sqs!
        deadLetterURL = try await sqs.createQueue(name: Emulator.uniqueName("dlq-it-dlq"), attributes: [:])
        let arn = try await sqs.getQueueAttributes(queueURL: deadLetterURL, names: ["QueueArn"])["QueueArn"]!
        queueURL = try await sqs.createQueue(name: Emulator.uniqueName("dlq-it"), attributes: [
            "RedrivePolicy": #"{"deadLetterTargetArn": "\#(arn)", "maxReceiveCount": "3"}"#,
        ])
        let (queue, dlq) = (queueURL!, deadLetterURL!)
        addTeardownBlock {
            try await sqs.deleteQueue(queueURL: queue)
            try await sqs.deleteQueue(queueURL: dlq)
        }
        let body = try PubSubMessageSchemaRegistry().encode(SimpleMessage(message: "hi", timestamp: 1.5))
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: deadLetterURL, messageBody: body,
                                                         messageAttributes: ["tenant": .string("acme")]))
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: deadLetterURL, messageBody: "hello, not JSON"))
    }

    private func dlq(_ arguments: [String]) async -> (status: Int32, output: [String], errors: [String]) {
        let output = Mutex<[String]>([])
        let errors = Mutex<[String]>([])
        let invocation = ServiceToolInvocation(
            command: "simple-daemon dlq",
            arguments: arguments + ["--endpoint-url", endpoint, "--region", Emulator.region, "--sqs-queue-url", queueURL],
            daemon: SimpleDaemon(output: { _ in }), environment: ProcessInfo.processInfo.environment,
            output: { text in output.withLock { $0 += text.components(separatedBy: "\n") } },
            errorOutput: { line in errors.withLock { $0.append(line) } })
        let status = await ServiceTool.deadLetter.main(invocation)
        return (status, output.withLock { $0 }, errors.withLock { $0 })
    }

    /// Receives until two receives in a row bring nothing; returns the messages.
    private func drain(_ url: String) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        var empty = 0
        while empty < 2 {
            let batch = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: 10, waitTimeSeconds: 1,
                                                                           visibilityTimeout: 60))
            empty = batch.isEmpty ? empty + 1 : 0
            messages += batch
        }
        return messages
    }

    func testInspect_readsEveryMessageOnceAndLeavesThemAllInTheQueue() async throws {
        let run = await dlq(["inspect"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.contains("2 messages read, each received once and handed back (SQS counted about 2 before)"),
                      run.output.joined(separator: "\n"))
        XCTAssertTrue(run.output.contains("    would be handled by SimpleHandler"), run.output.joined(separator: "\n"))
        XCTAssertTrue(run.output.contains { $0.hasPrefix("    not JSON: ") }, run.output.joined(separator: "\n"))
        let left = try await drain(deadLetterURL)
        XCTAssertEqual(left.count, 2, "handed back visible, nothing deleted")
        XCTAssertEqual(Set(left.compactMap(\.receiveCount)), [2], "received once by inspect, once here")
    }

    func testReplay_movesEveryMessageToTheServiceQueue_withItsAttributes() async throws {
        let run = await dlq(["replay"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertTrue(run.output.first?.hasPrefix("moved ") ?? false, "\(run.output)")
        let moved = try await drain(queueURL)
        XCTAssertEqual(Set(moved.map(\.body)).count, 2)
        XCTAssertTrue(moved.contains { $0.body == "hello, not JSON" })
        XCTAssertEqual(moved.first { $0.body != "hello, not JSON" }?.messageAttributes["tenant"], .string("acme"))
        let left = try await drain(deadLetterURL)
        XCTAssertEqual(left.count, 0)
    }

    func testReplayByReceiveSendDelete_withMax_movesThatMany() async throws {
        let run = await dlq(["replay", "--max", "1"])

        XCTAssertEqual(run.status, 0, "\(run.errors)")
        XCTAssertEqual(run.output, ["moved 1 message from \(deadLetterURL!) to \(queueURL!) (receive, send, delete)"])
        let moved = try await drain(queueURL)
        XCTAssertEqual(moved.count, 1)
        let left = try await drain(deadLetterURL)
        XCTAssertEqual(left.count, 1)
    }
}
