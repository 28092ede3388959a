import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// Each result ends in the right place: deleted, or visible again after the handler's `Nack`
/// delay or the backoff policy's; unreadable messages never stop the loop.
final class ConsumerLoopResultTests: XCTestCase {
    private struct HandlerFailure: Error {}

    /// A handler for created.thing whose URI's last segment says how it ends.
    private func thingHandlers(calls: Recorder<String>) -> MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { message in
            let outcome = message.uri?.split(separator: "/").last.map(String.init) ?? ""
            calls.append(outcome)
            switch outcome {
            case "skipped": return false
            case "ignored": throw IgnoreMessage("not ours")
            case "retried": throw Nack(visibilityTimeout: 30, reason: "not ready")
            case "failed": throw HandlerFailure()
            default: return true
            }
        }
        return handlers
    }

    func testRun_deletesWhatItsResultDeletes_andHandsBackRetriedAfterTheNackDelayAndFailedAfterTheBackoff() async throws {
        let bed = try await DaemonTestBed.make()
        var ids: [String: String] = [:]
        for outcome in ["succeeded", "skipped", "ignored", "retried", "failed"] {
            ids[outcome] = try await bed.sendThing("http://things/\(outcome)")
        }
        ids["expired"] = try await bed.sendThing("http://things/expired", opaqueData: [PubSubWire.ttlKey: "0"])
        ids["unregistered"] = try await bed.send(try bed.graph.pubsubMessageSchemaRegistry.encode(.created("Other"),
                                                                                                 fields: ["uri": "http://others/1"]))
        let start = bed.now
        let calls = Recorder<String>()
        let loop = try bed.loop(handlers: thingHandlers(calls: calls))
        let run = Task { await loop.run() }
        await eventually("five handler calls") { calls.count == 5 }
        await bed.waitUntilOnlyLeft([ids["retried"]!, ids["failed"]!])

        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(Set(calls.all), ["succeeded", "skipped", "ignored", "retried", "failed"], "the expired message reaches no handler")
        let remaining = try await bed.remaining()
        XCTAssertEqual(remaining.count, 2)
        let retried = try XCTUnwrap(remaining.first { $0.messageId == ids["retried"] })
        let failed = try XCTUnwrap(remaining.first { $0.messageId == ids["failed"] })
        XCTAssertEqual(retried.state, .inFlight)
        XCTAssertEqual(retried.visibleAt, start.addingTimeInterval(30), "the Nack's delay")
        XCTAssertEqual(failed.state, .inFlight)
        XCTAssertEqual(failed.visibleAt, start.addingTimeInterval(5), "message_retry_visibility_timeout_seconds")
        XCTAssertEqual(Set(report.deletedIds), Set(["succeeded", "skipped", "ignored", "expired", "unregistered"].map { ids[$0]! }))
        XCTAssertEqual(Set(report.handedBackIds), [ids["retried"]!, ids["failed"]!])
        XCTAssertEqual(report.results, [.succeeded: 1, .skipped: 1, .ignored: 2, .expired: 1, .retried: 1, .failed: 1])
        XCTAssertEqual(report.received, 7)
        XCTAssertEqual([report.deleted, report.handedBack, report.unacknowledged, report.unfinished], [5, 2, 0, 0])
        XCTAssertEqual(report.ending, .shutdown)
        XCTAssertTrue(report.unacknowledgedIds.isEmpty && report.unfinishedIds.isEmpty)
    }

    func testRun_whenABodyIsNotJSON_failsItEachTimeItComesBack_andKeepsHandlingTheOthers() async throws {
        let bed = try await DaemonTestBed.make()
        let poison = try await bed.send("this is not JSON {")
        let calls = Recorder<String>()
        let loop = try bed.loop(handlers: thingHandlers(calls: calls))
        let run = Task { await loop.run() }
        let start = bed.now
        try await bed.sendThing("http://things/first")
        await eventually("the first good message handled") { calls.count == 1 }
        await eventually("the poison message failed, back in 5 s") { await bed.visibleAt(poison) == start.addingTimeInterval(5) }

        bed.manualClock.advance(by: .seconds(5))
        try await bed.sendThing("http://things/second")
        await eventually("the second good message handled") { calls.count == 2 }
        await eventually("the poison message failed a second time") {
            let messages = (try? await bed.remaining()) ?? []
            return messages.map(\.messageId) == [poison] && messages[0].receiveCount == 2 && messages[0].state == .inFlight
                && messages[0].visibleAt == bed.now.addingTimeInterval(5)
        }

        loop.triggerGracefulShutdown()
        let report = await run.value
        XCTAssertEqual(report.results[.failed], 2)
        XCTAssertEqual(report.results[.succeeded], 2)
        XCTAssertEqual(report.handedBackIds, [poison, poison])
    }

    func testRun_reportsEachReceivedBatchOnceAllItsMessagesAreDone_countingAllButIgnored() async throws {
        let bed = try await DaemonTestBed.make()
        for index in 0..<3 { try await bed.sendThing("http://things/\(index)") }
        try await bed.send(try bed.graph.pubsubMessageSchemaRegistry.encode(.created("Other"), fields: ["uri": "http://others/1"]))
        let batches = Recorder<ConsumerLoopBatch>()
        let calls = Recorder<String>()
        bed.graph.assign(.sqsMessageHandlers, thingHandlers(calls: calls))
        let dispatcher = try bed.graph.sqsMessageDispatcher
        let loop = try bed.loop(onBatch: { batches.append($0) }) { await dispatcher.dispatch($0) }
        let run = Task { await loop.run() }
        await eventually("one batch reported") { batches.count == 1 }
        loop.triggerGracefulShutdown()
        _ = await run.value

        XCTAssertEqual(batches.all.map(\.received), [4])
        XCTAssertEqual(batches.all.map(\.size), [3], "IGNORED is not counted, as in microcosm-pubsub")
    }
}

extension DaemonTestBed {
    /// Waits until only `ids` are left in the queue.
    func waitUntilOnlyLeft(_ ids: [String], file: StaticString = #filePath, line: UInt = #line) async {
        await eventually("only \(ids) left", file: file, line: line) {
            let left = (try? await remaining().map(\.messageId)) ?? []
            return Set(left) == Set(ids)
        }
    }
}
