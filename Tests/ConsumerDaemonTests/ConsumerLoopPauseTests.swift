import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// When the loop pauses: after a receive that found nothing (the idle sleep), after a failed
/// receive and before retrying a failed acknowledgement (the error backoff). Time is the broker's
/// manual clock; the loop sleeps on a ``RecordingClock`` around it, so each pause is seen with its
/// length, and the next call can only come once the test moves the clock. The heartbeat is off
/// (`heartbeat_seconds` 0), so that the lease manager's sleeps until the next extension are not
/// among the ones recorded.
final class ConsumerLoopPauseTests: XCTestCase {
    private let unavailable = AWSError(code: "ServiceUnavailable", message: "try later", statusCode: 503)

    func testRun_afterAReceiveThatFoundNothing_sleepsTheIdleSleepBeforeTheNext_butNotAfterOneThatFoundMessages() async throws {
        let bed = try await DaemonTestBed.make(config: ["sqs_consumer": ["wait_seconds": 0], "consumer_daemon": ["heartbeat_seconds": 0],
                                                        "sleep_policy": ["default_sleep_timeout": 5]])
        let id = try await bed.sendThing("http://things/1")
        let start = bed.now
        let clock = RecordingClock(bed.clock)
        let loop = try bed.loop(clock: clock) { _ in result(.succeeded) }
        let run = Task { await loop.run() }

        await eventually("the loop sleeps") { !clock.sleeps.isEmpty }
        let first = try XCTUnwrap(clock.sleeps.first)
        XCTAssertEqual(first.from, start)
        XCTAssertEqual(first.seconds, 5, "sleep_policy.default_sleep_timeout")
        XCTAssertEqual(bed.sqs.receives.count, 2, "no receive during the sleep")
        XCTAssertEqual(bed.sqs.receives.prefix(2).map(\.at), [start, start], "the receive after the message came at once")
        XCTAssertEqual(bed.sqs.receives.prefix(2).map(\.count), [1, 0])

        bed.manualClock.advance(by: .seconds(5))
        await eventually("the loop sleeps again") { clock.sleeps.count >= 2 }
        let second = try XCTUnwrap(clock.sleeps.dropFirst().first)
        XCTAssertEqual(second.from, start.addingTimeInterval(5))
        XCTAssertEqual(second.seconds, 5)
        XCTAssertEqual(bed.sqs.receives.count, 3, "one receive per idle sleep")
        XCTAssertEqual(bed.sqs.receives.last?.at, start.addingTimeInterval(5))

        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.deletedIds, [id])
    }

    func testRun_afterEachFailedReceiveInARow_waitsTheDoublingCappedBackoffBeforeTheNext() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["error_backoff_seconds": 2, "max_error_backoff_seconds": 5,
                                                                            "heartbeat_seconds": 0]])
        bed.broker.faults.fail(.receiveMessage, with: unavailable, times: 3)
        let id = try await bed.sendThing("http://things/1")
        let start = bed.now
        let clock = RecordingClock(bed.clock)
        let loop = try bed.loop(clock: clock) { _ in result(.succeeded) }
        let run = Task { await loop.run() }

        // The backoff after failure n is at random in the upper half of min(2 * 2^(n-1), 5) seconds.
        var failedAt: [Date] = []
        for (failure, cap) in [2.0, 4, 5].enumerated() {
            await eventually("the pause after failure \(failure + 1)") { clock.sleeps.count > failure }
            let pause = try XCTUnwrap(clock.sleeps.dropFirst(failure).first)
            failedAt.append(pause.from)
            XCTAssertEqual(bed.sqs.failedReceives, failedAt, "no receive during a pause")
            XCTAssertTrue((cap / 2...cap).contains(pause.seconds), "pause \(failure + 1): \(pause.seconds) s, expected \(cap / 2)...\(cap)")
            bed.manualClock.advance(by: .seconds(cap))
        }
        XCTAssertEqual(failedAt, [start, start.addingTimeInterval(2), start.addingTimeInterval(6)])
        await bed.waitUntilEmpty()
        XCTAssertEqual(bed.sqs.receives.first?.at, start.addingTimeInterval(11), "received once the third pause was over")
        XCTAssertEqual(bed.sqs.receives.first?.count, 1)

        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.deletedIds, [id])
    }

    func testRun_whenAnAcknowledgementFailsRetryably_waitsTheBackoffBeforeTryingItAgain() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["error_backoff_seconds": 2, "max_error_backoff_seconds": 5,
                                                                            "heartbeat_seconds": 0]])
        bed.sqs.failEntries("DeleteMessageBatch", call: 0, positions: [0],
                            with: BatchResultError(id: "", code: "InternalError", message: "oops", senderFault: false))
        let id = try await bed.sendThing("http://things/1")
        let start = bed.now
        let clock = RecordingClock(bed.clock)
        let loop = try bed.loop(clock: clock) { _ in result(.succeeded) }
        let run = Task { await loop.run() }

        await eventually("the pause after the failed delete") { clock.sleeps.contains { $0.seconds > 0 } }
        let pause = try XCTUnwrap(clock.sleeps.first { $0.seconds > 0 })
        XCTAssertEqual(pause.from, start)
        XCTAssertTrue((1...2).contains(pause.seconds), "\(pause.seconds) s, expected 1...2")
        XCTAssertEqual(bed.sqs.batchCalls.filter { $0.action == "DeleteMessageBatch" }.count, 1, "not tried again during the pause")

        bed.manualClock.advance(by: .seconds(2))
        await bed.waitUntilEmpty()
        XCTAssertEqual(bed.sqs.batchCalls.filter { $0.action == "DeleteMessageBatch" }.count, 2)
        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.deletedIds, [id])
    }
}
