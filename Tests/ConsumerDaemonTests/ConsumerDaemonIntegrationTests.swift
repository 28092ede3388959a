import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import SimpleDaemon
import XCTest

/// Daemons against a real emulator, moto or LocalStack (skipped, saying why, when there is
/// none): the built `simple-daemon` stopped by SIGTERM in the middle of a batch, redrive to a
/// dead-letter queue, and a queue that does not exist. Each test makes its own queues and
/// deletes them; the daemons find the fake credentials in the environment `scripts/test` sets.
final class ConsumerDaemonIntegrationTests: XCTestCase {
    private var endpoint: String!
    private var sqs: SQSClient!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                                         credentialProvider: StaticCredentialProvider(Emulator.credentials)),
                            transport: CurlTransport(), logger: Logger(label: "daemon-it", level: .warning))
    }

    private func queue(_ prefix: String, attributes: [String: String] = [:]) async throws -> String {
        let sqs = sqs!
        let url = try await sqs.createQueue(name: Emulator.uniqueName(prefix), attributes: attributes)
        addTeardownBlock { try await sqs.deleteQueue(queueURL: url) }
        return url
    }

    /// Receives until two receives in a row bring nothing; returns the bodies.
    private func drain(_ queueURL: String) async throws -> [String] {
        var bodies: [String] = []
        var empty = 0
        while empty < 2 {
            let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10,
                                                                              waitTimeSeconds: 0, visibilityTimeout: 60))
            empty = messages.isEmpty ? empty + 1 : 0
            bodies += messages.map(\.body)
        }
        return bodies
    }

    func testSimpleDaemon_SIGTERMDuringABatch_leavesEachMessageHandledAndDeleted_orVisibleAgainAtOnce() async throws {
        let queueURL = try await queue("daemon-sigterm", attributes: ["VisibilityTimeout": "60"])
        let registry = PubSubMessageSchemaRegistry()
        let texts = (1...20).map { "message \($0)" }
        var bodyOfText: [String: String] = [:]
        for text in texts {
            let body = try registry.encode(SimpleMessage(message: text, timestamp: Date().timeIntervalSince1970))
            bodyOfText[text] = body
            _ = try await sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))
        }
        let daemon = try DaemonProcess(["--sqs-queue-url", queueURL, "--endpoint-url", endpoint, "--region", Emulator.region,
                                        "--concurrency", "4"],
                                       environment: ["SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS": "0.3"])
        addTeardownBlock { daemon.killIfRunning() }
        await daemon.waitForLine("a first message handled") { $0.hasPrefix("Processed message") }
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit()

        XCTAssertEqual(status, 0, "\(daemon.stderr)")
        let handled = daemon.stdout.compactMap { line -> String? in
            guard let start = line.range(of: "'"), let end = line.range(of: "'", options: .backwards), start.upperBound < end.lowerBound else {
                return nil
            }
            return String(line[start.upperBound..<end.lowerBound])
        }
        XCTAssertEqual(handled.count, Set(handled).count, "none handled twice")
        XCTAssertFalse(handled.isEmpty)
        let attributes = try await sqs.getQueueAttributes(queueURL: queueURL,
                                                           names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        XCTAssertEqual(attributes["ApproximateNumberOfMessagesNotVisible"], "0", "nothing left invisible: deleted or handed back")
        XCTAssertEqual(attributes["ApproximateNumberOfMessages"], String(texts.count - handled.count))

        let visible = Set(try await drain(queueURL))
        let unhandled = texts.filter { !handled.contains($0) }
        XCTAssertEqual(visible, Set(unhandled.map { bodyOfText[$0]! }), "every message handled and deleted, or visible again")
        XCTAssertTrue(daemon.stderr.contains { $0.contains("SIGTERM: stopping gracefully") }, "\(daemon.stderr)")
    }

    func testDaemon_whoseHandlerAlwaysFails_seesTheMessageRedrivenToTheDeadLetterQueueAfterMaxReceives() async throws {
        let deadLetterURL = try await queue("daemon-dlq")
        let deadLetterArn = try await sqs.getQueueAttributes(queueURL: deadLetterURL, names: ["QueueArn"])["QueueArn"]
        let redrive = #"{"deadLetterTargetArn": "\#(try XCTUnwrap(deadLetterArn))", "maxReceiveCount": "2"}"#
        let queueURL = try await queue("daemon-redrive", attributes: ["RedrivePolicy": redrive])
        let body = try PubSubMessageSchemaRegistry().encode(.created("Thing"), fields: ["uri": "http://things/doomed"])
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))

        let daemon = FailingDaemon()
        let arguments = ["--sqs-queue-url", queueURL, "--endpoint-url", endpoint!, "--region", Emulator.region]
        let environment = ["FAILING_DAEMON__SQS_CONSUMER__MESSAGE_RETRY_VISIBILITY_TIMEOUT_SECONDS": "0",
                           "FAILING_DAEMON__SQS_CONSUMER__WAIT_SECONDS": "0", "FAILING_DAEMON__SLEEP_POLICY__DEFAULT_SLEEP_TIMEOUT": "0.05",
                           "FAILING_DAEMON__LOGGING__LEVEL": "critical"]
        let shutdown = ConsumerDaemonShutdown()
        let run = Task { await daemon.run(arguments: arguments, environment: environment, shutdown: shutdown) }
        var deadLettered: [SQSMessage] = []
        await eventually("the message in the dead-letter queue", timeout: 30) {
            deadLettered = (try? await sqs.receiveMessage(ReceiveMessageRequest(queueURL: deadLetterURL))) ?? []
            return !deadLettered.isEmpty
        }
        shutdown.trigger()
        let status = await run.value

        XCTAssertEqual(status, 0)
        XCTAssertEqual(deadLettered.map(\.body), [body])
        XCTAssertEqual(daemon.attempts.count, 2, "handled (and failed) maxReceiveCount times, then moved")
        let left = try await drain(queueURL)
        XCTAssertEqual(left, [])
    }

    func testDaemon_whenTheQueueDoesNotExist_exits64_namingIt() async throws {
        let missing = "\(endpoint!)/\(try await Emulator.account())/\(Emulator.uniqueName("missing"))"
        let errors = Recorder<String>()
        let status = await FailingDaemon().run(arguments: ["--sqs-queue-url", missing, "--endpoint-url", endpoint!, "--region", Emulator.region],
                                               environment: ["FAILING_DAEMON__LOGGING__LEVEL": "critical"], errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.all[0].hasPrefix("failing-daemon: config 'sqs_consumer.sqs_queue_url': queue '\(missing)' does not exist"),
                      errors.all[0])
    }
}

/// A daemon whose only handler (created.thing) always fails.
struct FailingDaemon: ConsumerDaemon {
    struct Failure: Error {}

    let attempts = Recorder<String>()
    var name: String { "failing-daemon" }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        let attempts = self.attempts
        handlers.register(.created("Thing")) { message in
            attempts.append(message.messageId)
            throw Failure()
        }
        return handlers
    }
}
