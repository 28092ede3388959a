import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// Graceful shutdown, triggered by hand (as a signal would): no more receives, unstarted
/// messages handed back at once, running handlers finished and acknowledged within the grace
/// period, then cancelled. Cancellation, kept apart from it: the run stops at once. And the end of
/// a finite source, which ends the run by itself.
final class ConsumerLoopShutdownTests: XCTestCase {
    func testTriggerGracefulShutdown_handsBackUnstartedMessagesAtOnce_andLetsRunningOnesFinishAndBeDeleted() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["concurrency": 2]])
        var ids: [String] = []
        for index in 0..<6 { ids.append(try await bed.sendThing("http://things/\(index)")) }
        let started = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(heldAt(release, recordingIn: started))
        let run = Task { await loop.run() }
        await eventually("two handlers running") { started.count == 2 }

        loop.triggerGracefulShutdown()
        let unstarted = Set(ids).subtracting(started.all)
        await eventually("the four unstarted visible again, at once, while two run") {
            let messages = (try? await bed.remaining()) ?? []
            return Set(messages.filter { $0.state == .visible }.map(\.messageId)) == unstarted
                && Set(messages.filter { $0.state == .inFlight }.map(\.messageId)) == Set(started.all)
        }
        release.open()
        let report = await run.value

        XCTAssertEqual(report.ending, .shutdown)
        XCTAssertEqual(started.count, 2, "nothing started after the shutdown began")
        XCTAssertEqual(Set(report.deletedIds), Set(started.all))
        XCTAssertEqual(Set(report.handedBackIds), unstarted)
        let remaining = try await bed.remaining()
        XCTAssertEqual(Set(remaining.map(\.messageId)), unstarted)
        XCTAssertTrue(remaining.allSatisfy { $0.state == .visible && $0.receiveCount == 1 })
        XCTAssertTrue(bed.logs.messages.contains("stopping: 2 message(s) in flight, 4 handed back unstarted"), "\(bed.logs.messages)")
    }

    func testTriggerGracefulShutdown_whenAHandlerOutlastsTheGracePeriod_cancelsIt_andReturnsWithoutAcknowledgingOrReleasingIt() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["grace_period_seconds": 5]])
        let id = try await bed.sendThing("http://things/stuck")
        let started = Recorder<String>()
        let sawCancellation = Recorder<Bool>()
        let loop = try bed.loop { message in
            started.append(message.messageId)
            await untilCancelled()
            sawCancellation.append(Task.isCancelled)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the handler running") { started.count == 1 }
        loop.triggerGracefulShutdown()
        await eventually("the shutdown begun (the grace period counts from before this line)") {
            bed.logs.messages.contains { $0.hasPrefix("stopping:") }
        }
        bed.manualClock.advance(by: .seconds(5))
        let report = await run.value

        XCTAssertEqual(sawCancellation.all, [true], "the handler was cancelled when the grace period ended, and returned")
        XCTAssertEqual(report.unfinishedIds, [id])
        XCTAssertTrue(report.deletedIds.isEmpty && report.handedBackIds.isEmpty)
        let remaining = try await bed.remaining()
        XCTAssertEqual(remaining.map(\.state), [.inFlight], "left to its visibility timeout")
        XCTAssertTrue(bed.logs.messages.contains { $0.contains("grace period over with 1 handler(s) still running") })
        XCTAssertTrue(bed.logs.messages.contains { $0.contains("after the grace period") }, "the late result logged")
    }

    func testTriggerGracefulShutdown_whenIdle_endsTheRunAtOnce_cancellingTheWaitingReceive() async throws {
        let bed = try await DaemonTestBed.make()
        let loop = try bed.loop { _ in result(.succeeded) }
        let run = Task { await loop.run() }
        await eventually("a receive waiting") { ((try? await bed.broker.waitingReceiveCount(on: bed.queueURL)) ?? 0) == 1 }
        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.ending, .shutdown)
        XCTAssertEqual(report.received, 0)
        await eventually("the receive cancelled") { ((try? await bed.broker.waitingReceiveCount(on: bed.queueURL)) ?? 1) == 0 }
    }

    func testRun_whenItsTaskIsCancelled_stopsAtOnce_cancellingTheHandler_andAcknowledgingNothing() async throws {
        let bed = try await DaemonTestBed.make()
        let id = try await bed.sendThing("http://things/1")
        let started = Recorder<String>()
        let sawCancellation = Recorder<Bool>()
        let loop = try bed.loop { message in
            started.append(message.messageId)
            await untilCancelled()
            sawCancellation.append(Task.isCancelled)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the handler running") { started.count == 1 }
        run.cancel()
        let report = await run.value

        XCTAssertEqual(report.ending, .cancelled)
        XCTAssertEqual(sawCancellation.all, [true])
        XCTAssertEqual(report.unfinishedIds, [id], "not a graceful shutdown: no grace period, no delete")
        XCTAssertTrue(report.deletedIds.isEmpty)
        let remaining = try await bed.remaining()
        XCTAssertEqual(remaining.map(\.state), [.inFlight], "left to its visibility timeout")
    }

    func testRun_calledAgain_returnsAtOnceWithNothingDone_insteadOfTrapping() async throws {
        let bed = try await DaemonTestBed.make()
        let loop = try bed.loop { _ in result(.succeeded) }
        let first = Task { await loop.run() }
        await eventually("a receive waiting") { ((try? await bed.broker.waitingReceiveCount(on: bed.queueURL)) ?? 0) == 1 }
        let second = await loop.run()
        XCTAssertEqual(second.ending, .alreadyRun)
        XCTAssertEqual(second.received, 0)
        loop.triggerGracefulShutdown()
        let report = await first.value
        XCTAssertEqual(report.ending, .shutdown)
        let third = await loop.run()
        XCTAssertEqual(third.ending, .alreadyRun)
        XCTAssertEqual(bed.logs.records.filter { $0.level == .error && $0.message.contains("runs once") }.count, 2)
    }

    func testRun_overAFileOfMessages_endsWhenTheFileIsExhausted_havingHandledEveryLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("replay.jsonl")
        let lines = (0..<25).map { #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/\#($0)"}"# }
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sqs_consumer": ["sqs_queue_url": .string(file.path)], "consumer_daemon": ["concurrency": 4]])
        let handled = Recorder<String>()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { message in
            handled.append(message.uri ?? "")
            return true
        }
        graph.assign(.sqsMessageHandlers, handlers)
        let report = await (try ConsumerLoop(graph: graph)).run()

        XCTAssertEqual(report.ending, .sourceExhausted)
        XCTAssertEqual(Set(handled.all), Set((0..<25).map { "http://things/\($0)" }))
        XCTAssertEqual(report.results, [.succeeded: 25])
    }
}
