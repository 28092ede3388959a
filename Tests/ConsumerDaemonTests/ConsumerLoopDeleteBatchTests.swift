import Microcosm
import MicrocosmPubSub
@testable import MicrocosmPubSubDaemon
import XCTest

/// Deletes go out in full batches while a partial one is in flight (Nagle's algorithm for
/// DeleteMessageBatch): a busy daemon makes few calls, an idle one deletes each message at once.
final class ConsumerLoopDeleteBatchTests: XCTestCase {
    private let delete = "DeleteMessageBatch"

    func testWhileAPartialDeleteIsInFlight_onlyFullBatchesGo_andTheRestFollowsInOneCallWhenItReturns() async throws {
        let bed = try await DaemonTestBed.make(queueAttributes: ["VisibilityTimeout": "30"])
        let held = Gate()
        bed.sqs.hold(delete, call: 0, until: held)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 30) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        var ids = [try await bed.sendThing("http://things/first")]
        await eventually("the first message handled, its delete in flight (held)") { handled.count == 1 && bed.calls(delete) == 1 }
        ids += try await (0..<24).asyncMap { try await bed.sendThing("http://things/\($0)") }
        await eventually("all handled") { handled.count == 25 }
        // The results that came while the first call was held: full batches only, the rest waiting.
        await eventually("the full batches sent") { bed.calls(delete) == 3 }
        let whileHeld = bed.sqs.batchCalls.filter { $0.action == delete }.map(\.receiptHandles.count)
        XCTAssertEqual(whileHeld, [1, 10, 10], "while a partial delete is in flight only full batches go")

        held.open()
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value

        let sizes = bed.sqs.batchCalls.filter { $0.action == delete }.map(\.receiptHandles.count)
        XCTAssertEqual(sizes, [1, 10, 10, 4], "the rest went in one call once the first came back")
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted(), "every message deleted once")
        XCTAssertEqual(handled.all.sorted(), ids.sorted())
    }

    func testAnIdleDaemon_deletesEachMessageAtOnce() async throws {
        let bed = try await DaemonTestBed.make(queueAttributes: ["VisibilityTimeout": "30"])
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 30) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        for index in 0..<3 {
            try await bed.sendThing("http://things/\(index)")
            await eventually("message \(index) deleted") { bed.calls(delete) == index + 1 }
            await bed.waitUntilEmpty()
        }
        loop.triggerGracefulShutdown()
        _ = await run.value
        XCTAssertEqual(bed.sqs.batchCalls.filter { $0.action == delete }.map(\.receiptHandles.count), [1, 1, 1],
                       "no partial batch in flight: each delete goes at once")
    }
}

private extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
