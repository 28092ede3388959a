import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// The daemon's entry point in process: a testing daemon on its own in-memory queue, stopped by a
/// graceful shutdown (what a signal does) or by cancelling its task (at once), and Lambda mode's
/// partial batch response.
final class ConsumerDaemonRunTests: XCTestCase {
    private let quiet = ["THINGS_DAEMON__LOGGING__LEVEL": "error"]

    func testRun_testing_consumesAQueueNamedAfterTheServiceInTheInMemoryBroker_untilStopped_thenExits0() async {
        var daemon = TestDaemon()
        daemon.seed = ["http://things/1", "http://things/2"]
        let shutdown = ConsumerDaemonShutdown()
        let run = Task { [daemon, quiet] in await daemon.run(arguments: ["--testing"], environment: quiet, shutdown: shutdown) }
        await eventually("both seeded messages handled") { daemon.handled.count == 2 }
        shutdown.trigger()
        let status = await run.value
        XCTAssertEqual(status, 0)
        XCTAssertEqual(Set(daemon.handled.all), ["http://things/1", "http://things/2"])
    }

    func testRun_readsTheQueuesVisibilityTimeoutAtStartUp_andItsHeartbeatKeepsASlowHandlersMessageInvisible() async throws {
        let clock = ManualBrokerClock()
        let broker = InMemoryBroker(clock: clock)
        let queueURL = try await broker.sqs.createQueue(name: "things-daemon", attributes: ["VisibilityTimeout": "40"])
        let body = try PubSubMessageSchemaRegistry().encode(.created("Slow"), fields: ["uri": "http://things/slow"])
        let id = try await broker.sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body)).messageId
        let start = clock.now
        let started = Recorder<String>()
        let release = Gate()
        var daemon = TestDaemon()
        daemon.broker = broker
        daemon.register = { handlers in
            handlers.register(.created("Slow")) { message in
                started.append(message.messageId)
                await release.wait()
                return true
            }
        }
        let shutdown = ConsumerDaemonShutdown()
        let run = Task { [daemon, quiet] in await daemon.run(arguments: ["--testing"], environment: quiet, shutdown: shutdown) }
        await eventually("the slow handler started") { started.count == 1 }

        // No visibility_timeout_seconds: the heartbeat comes from the queue's 40 s, every tenth of it.
        for step in 1...12 {
            clock.advance(by: .seconds(4))
            await eventually("extended at \(4 * step) s by the queue's 40 s") {
                let message = try? await broker.messages(in: queueURL).first { $0.messageId == id }
                return message?.visibleAt == start.addingTimeInterval(TimeInterval(4 * step + 40))
            }
        }
        release.open()
        await eventually("the message deleted") { (try? await broker.messages(in: queueURL).isEmpty) ?? false }
        shutdown.trigger()
        let status = await run.value
        XCTAssertEqual(status, 0)
        XCTAssertEqual(started.all, [id], "handled once")
    }

    func testRun_whenTheShutdownIsTriggeredBeforeItStarts_exits0_havingHandledNothing() async {
        var daemon = TestDaemon()
        daemon.seed = ["http://things/1"]
        let shutdown = ConsumerDaemonShutdown()
        shutdown.trigger()
        let status = await daemon.run(arguments: ["--testing"], environment: quiet, shutdown: shutdown)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(daemon.handled.all, [])
    }

    func testRun_whenItsTaskIsCancelled_stopsAtOnce_cancellingRunningHandlers_andExits0() async throws {
        let broker = InMemoryBroker(clock: ManualBrokerClock())
        let queueURL = try await broker.sqs.createQueue(name: "things-daemon", attributes: [:])
        let body = try PubSubMessageSchemaRegistry().encode(.created("Slow"), fields: ["uri": "http://things/slow"])
        let id = try await broker.sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body)).messageId
        let started = Recorder<String>()
        let sawCancellation = Recorder<Bool>()
        var daemon = TestDaemon()
        daemon.broker = broker
        daemon.register = { handlers in
            handlers.register(.created("Slow")) { message in
                started.append(message.messageId)
                await untilCancelled()
                sawCancellation.append(Task.isCancelled)
                return true
            }
        }
        let run = Task { [daemon, quiet] in await daemon.run(arguments: ["--testing"], environment: quiet) }
        await eventually("the slow handler started") { started.count == 1 }
        run.cancel()
        let status = await run.value

        XCTAssertEqual(status, 0)
        XCTAssertEqual(sawCancellation.all, [true], "stopped at once: the handler was cancelled, with no grace period")
        let left = try await broker.messages(in: queueURL)
        XCTAssertEqual(left.map(\.messageId), [id], "not deleted: SQS delivers it again")
    }

    func testRun_lambdaEvent_printsThePartialBatchResponse_namingTheRecordsNotHandledToADelete() async throws {
        let registry = PubSubMessageSchemaRegistry()
        func record(_ id: String, _ uri: String?) throws -> JSONValue {
            let body = try uri.map { try registry.encode(.created("Thing"), fields: ["uri": .string($0)]) } ?? "not JSON"
            return ["messageId": .string(id), "receiptHandle": .string("handle-\(id)"), "body": .string(body),
                    "md5OfBody": .string(SQSMessageDigest.md5OfBody(body)), "attributes": ["ApproximateReceiveCount": "1"],
                    "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:things"]
        }
        let event: JSONValue = ["Records": .array([try record("ok", "http://things/1"), try record("failed", "http://things/fail"),
                                                   try record("retried", "http://things/retry"), try record("poison", nil)])]
        let path = try temporaryFile(JSONSerializer.compact.string(event))
        let daemon = TestDaemon()
        let output = Recorder<String>()
        let status = await daemon.run(arguments: ["--lambda-event", path, "--region", "us-east-1"], environment: quiet,
                                      output: { output.append($0) })

        XCTAssertEqual(status, 0)
        XCTAssertEqual(output.count, 1)
        let response = try JSONParser.parse(try XCTUnwrap(output.all.first))
        let failures = response.objectValue?["batchItemFailures"]?.arrayValue?.compactMap { $0.objectValue?["itemIdentifier"]?.stringValue }
        XCTAssertEqual(Set(failures ?? []), ["failed", "retried", "poison"])
        XCTAssertEqual(Set(daemon.handled.all), ["http://things/1", "http://things/fail", "http://things/retry"])
    }

    func testRun_lambdaEvent_whenEveryRecordIsHandled_printsAnEmptyFailureList() async throws {
        let body = try PubSubMessageSchemaRegistry().encode(.created("Thing"), fields: ["uri": "http://things/1"])
        let event: JSONValue = ["Records": [["messageId": "a", "receiptHandle": "h", "body": .string(body), "eventSource": "aws:sqs"]]]
        let path = try temporaryFile(JSONSerializer.compact.string(event))
        let output = Recorder<String>()
        let status = await TestDaemon().run(arguments: ["--lambda-event", path, "--region", "us-east-1"], environment: quiet,
                                            output: { output.append($0) })
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output.all, [#"{"batchItemFailures":[]}"#])
    }

    func testLambdaBatchResponse_isTheJSONLambdaExpects() {
        XCTAssertEqual(LambdaBatchResponse(batchItemFailures: ["059f36b4", "2e1424d4"]).json,
                       #"{"batchItemFailures":[{"itemIdentifier":"059f36b4"},{"itemIdentifier":"2e1424d4"}]}"#)
    }

    private func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("event-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}
