import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Messages are handled up to `concurrency` at once, and the messages of one FIFO message group
/// strictly one after another, in order.
final class ConsumerLoopConcurrencyTests: XCTestCase {
    func testRun_handlesUpToConcurrencyMessagesAtOnce_andNoMore() async throws {
        let bed = try await DaemonTestBed.make(config: ["consumer_daemon": ["concurrency": 4]])
        for index in 0..<12 { try await bed.sendThing("http://things/\(index)") }
        let running = Gauge()
        let fourAtOnce = Gate()
        let handled = Recorder<String>()
        let loop = try bed.loop { message in
            if running.increment() == 4 { fourAtOnce.open() }
            await fourAtOnce.wait()
            running.decrement()
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("twelve handled (the first four only once four ran at once)") { handled.count == 12 }
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(running.peak, 4)
        XCTAssertEqual(report.deletedIds.count, 12)
        let remaining = try await bed.remaining()
        XCTAssertTrue(remaining.isEmpty)
    }

    func testRun_onAFIFOQueueWithConcurrency8_handlesEachGroupInOrder_oneAtATime_whileGroupsOverlap() async throws {
        let bed = try await DaemonTestBed.make(fifo: true, config: ["consumer_daemon": ["concurrency": 8]])
        let groups = ["a", "b", "c", "d"]
        for index in 0..<6 {
            for group in groups { try await bed.sendThing("http://things/\(group)/\(index)", group: group) }
        }
        let started = Recorder<String>()
        let runningPerGroup = groups.reduce(into: [String: Gauge]()) { $0[$1] = Gauge() }
        let groupsRunning = Gauge()
        let twoGroupsAtOnce = Gate()
        let loop = try bed.loop { message in
            let parts = message.uri!.split(separator: "/").suffix(2).map(String.init)
            let gauge = runningPerGroup[parts[0]]!
            gauge.increment()
            if groupsRunning.increment() == 2 { twoGroupsAtOnce.open() }
            started.append(parts.joined(separator: "/"))
            if parts[1] == "0" { await twoGroupsAtOnce.wait() }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 0...2)))
            groupsRunning.decrement()
            gauge.decrement()
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("24 messages handled") { started.count == 24 }
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value

        for group in groups {
            XCTAssertEqual(started.all.filter { $0.hasPrefix(group + "/") }, (0..<6).map { "\(group)/\($0)" }, "group \(group) in order")
            XCTAssertEqual(runningPerGroup[group]!.peak, 1, "group \(group) one at a time")
        }
        XCTAssertGreaterThanOrEqual(groupsRunning.peak, 2, "groups overlap")
        XCTAssertEqual(report.deletedIds.count, 24)
    }

    func testRun_whenAFIFOMessageIsNotDeleted_handsBackItsGroupsLaterMessagesUnstarted_andHandlesThemInOrderLater() async throws {
        let bed = try await DaemonTestBed.make(fifo: true)
        var ids: [String] = []
        for index in 1...3 { ids.append(try await bed.sendThing("http://things/a/\(index)", group: "a")) }
        let calls = Recorder<String>()
        let failFirst = Gauge()
        let loop = try bed.loop { message in
            calls.append(message.uri!)
            if message.uri!.hasSuffix("/1"), failFirst.increment() == 1 { return result(.failed) }
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the later two handed back, visible again but behind the failed one") {
            let messages = (try? await bed.remaining()) ?? []
            return messages.filter { $0.state == .visible }.map(\.messageId) == [ids[1], ids[2]]
                && messages.first { $0.messageId == ids[0] }?.visibleAt == bed.now.addingTimeInterval(5)
        }
        XCTAssertEqual(calls.all, ["http://things/a/1"])

        bed.manualClock.advance(by: .seconds(5))
        await eventually("the group handled, in order") { calls.count == 4 }
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(calls.all, ["http://things/a/1", "http://things/a/1", "http://things/a/2", "http://things/a/3"])
        XCTAssertEqual(report.handedBackIds.sorted(), [ids[0], ids[1], ids[2]].sorted())
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted())
    }
}
