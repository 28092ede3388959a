import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// The visibility heartbeat keeps a message invisible while its handler runs, so a handler slower
/// than the visibility timeout does not see its message delivered twice. The test moves the clock
/// a heartbeat at a time, as time passes for a running loop, and waits for each extension. Time is the broker's
/// manual clock: it moves only when the test says.
final class ConsumerLoopHeartbeatTests: XCTestCase {
    func testRun_whenAHandlerOutlastsTheVisibilityTimeout_extendsItsMessageBeforeItRunsOut_soItIsNotDeliveredTwice() async throws {
        let bed = try await DaemonTestBed.make(queueAttributes: ["VisibilityTimeout": "30"])
        let id = try await bed.sendThing("http://things/slow")
        let start = bed.now
        let calls = Recorder<String>()
        let release = Gate()
        let timeout = try await ConsumerLoop.queueVisibilityTimeout(of: try bed.graph.sqsConsumer)
        XCTAssertEqual(timeout, 30)
        let loop = try bed.loop(visibilityTimeout: timeout, heldAt(release, recordingIn: calls))
        XCTAssertEqual(loop.heartbeatInterval, .seconds(3), "a tenth of the visibility timeout")
        let run = Task { await loop.run() }
        await eventually("the handler started") { calls.count == 1 }

        for step in 1...15 {
            bed.manualClock.advance(by: .seconds(3))
            await eventually("extended at \(3 * step) s to \(3 * step) + 30 s") {
                await bed.visibleAt(id) == start.addingTimeInterval(TimeInterval(3 * step + 30))
            }
        }
        XCTAssertEqual(bed.sqs.receives.map(\.count).reduce(0, +), 1, "received once, 45 s after a receive with 30 s of visibility")
        let stillOnce = try await bed.remaining()
        XCTAssertEqual(stillOnce.map(\.receiveCount), [1])

        release.open()
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(calls.all, [id])
        XCTAssertEqual(report.received, 1)
        XCTAssertEqual(report.deletedIds, [id])
        let extensions = bed.sqs.batchCalls.filter { $0.action == "ChangeMessageVisibilityBatch" }
        XCTAssertEqual(extensions.count, 15)
    }

    func testRun_extendsMessagesWaitingToStartToo_byTheConfiguredTimeout_atTheConfiguredInterval() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["concurrency": 1, "heartbeat_seconds": 10],
                                                        "sqs_consumer": ["visibility_timeout_seconds": 25]])
        let first = try await bed.sendThing("http://things/1")
        let second = try await bed.sendThing("http://things/2")
        let start = bed.now
        let calls = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop { message in
            calls.append(message.messageId)
            if message.messageId == first { await release.wait() }
            return result(.succeeded)
        }
        XCTAssertEqual(loop.visibilityTimeout, 25)
        XCTAssertEqual(loop.heartbeatInterval, .seconds(10))
        let run = Task { await loop.run() }
        await eventually("the first started") { calls.count == 1 }

        bed.manualClock.advance(by: .seconds(10))
        await eventually("both extended to 10 + 25 s") {
            let first = await bed.visibleAt(first), second = await bed.visibleAt(second)
            return first == start.addingTimeInterval(35) && second == start.addingTimeInterval(35)
        }
        release.open()
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.deletedIds.sorted(), [first, second].sorted(), "both deleted (their deletes may go out in parallel calls)")
        let extensions = bed.sqs.batchCalls.filter { $0.action == "ChangeMessageVisibilityBatch" }
        XCTAssertEqual(extensions.map(\.receiptHandles.count), [2], "one call for both")
    }

    func testLoop_withoutAVisibilityTimeout_leasesForSQSsDefault30s_andHeartbeatZeroTurnsTheHeartbeatOff() async throws {
        let bed = try await DaemonTestBed.make()
        let assumed = try bed.loop { _ in result(.succeeded) }
        XCTAssertEqual(assumed.visibilityTimeout, 30, "until the queue's is read, SQS's default, which receives ask for")
        XCTAssertEqual(assumed.heartbeatInterval, .seconds(3), "a tenth")
        XCTAssertEqual(try bed.loop(visibilityTimeout: 60) { _ in result(.succeeded) }.heartbeatInterval, .seconds(6))
        XCTAssertEqual(try bed.loop(visibilityTimeout: 5) { _ in result(.succeeded) }.heartbeatInterval, .seconds(1), "at least 1 s")
        XCTAssertEqual(try bed.loop(visibilityTimeout: 1) { _ in result(.succeeded) }.heartbeatInterval, .milliseconds(500),
                       "at most half")
        var settings = try bed.graph.consumerDaemonSettings
        settings.heartbeatInterval = .zero
        XCTAssertNil(try bed.loop(visibilityTimeout: 60, settings: settings) { _ in result(.succeeded) }.heartbeatInterval)
    }
}

extension DaemonTestBed {
    /// When the message `id` becomes visible, if it is in flight or delayed.
    func visibleAt(_ id: String) async -> Date? {
        (try? await remaining())?.first { $0.messageId == id }?.visibleAt
    }
}
