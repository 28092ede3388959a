import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Graceful shutdown, triggered by hand (as a signal would): no more receives, unstarted
/// messages handed back at once, running handlers finished and acknowledged within the grace
/// period. And the end of a finite source, which ends the run by itself.
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

    func testTriggerGracefulShutdown_whenAHandlerOutlastsTheGracePeriod_returnsWithoutAcknowledgingOrReleasingIt() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false, config: ["consumer_daemon": ["grace_period_seconds": 0.05]])
        let id = try await bed.sendThing("http://things/stuck")
        let started = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(heldAt(release, recordingIn: started))
        let run = Task { await loop.run() }
        await eventually("the handler running") { started.count == 1 }
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(report.unfinishedIds, [id])
        XCTAssertTrue(report.deletedIds.isEmpty && report.handedBackIds.isEmpty)
        let remaining = try await bed.remaining()
        XCTAssertEqual(remaining.map(\.state), [.inFlight], "left to its visibility timeout")
        XCTAssertTrue(bed.logs.messages.contains { $0.contains("grace period over with 1 handler(s) still running") })

        release.open()
        await eventually("the late result logged") { bed.logs.messages.contains { $0.contains("after the grace period") } }
        let stillThere = try await bed.remaining()
        XCTAssertEqual(stillThere.map(\.messageId), [id], "a result after the run is not acknowledged")
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

    func testRun_whenItsTaskIsCancelled_shutsDownGracefully() async throws {
        let bed = try await DaemonTestBed.make()
        let id = try await bed.sendThing("http://things/1")
        let started = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(heldAt(release, recordingIn: started))
        let run = Task { await loop.run() }
        await eventually("the handler running") { started.count == 1 }
        run.cancel()
        release.open()
        let report = await run.value
        XCTAssertEqual(report.ending, .shutdown)
        XCTAssertEqual(report.deletedIds, [id])
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
