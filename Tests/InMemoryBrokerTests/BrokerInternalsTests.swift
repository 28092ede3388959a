import Foundation
@testable import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// The broker's building blocks: ring buffer, visibility heap, timestamps, identifiers, manual clock.
final class BrokerInternalsTests: XCTestCase {
    func testRing_keepsOrderAcrossGrowthAndWraparound() {
        var ring = BrokerRing<Int>()
        var expected: [Int] = []
        for round in 0..<100 {
            for value in 0..<(round % 7 + 1) {
                ring.append(round * 10 + value)
                expected.append(round * 10 + value)
            }
            for _ in 0..<(round % 5) where !expected.isEmpty {
                XCTAssertEqual(ring.popFirst(), expected.removeFirst())
            }
        }
        XCTAssertEqual(ring.elements, expected)
        XCTAssertEqual(ring.count, expected.count)
    }

    func testRing_insertBefore_placesInOrder() {
        var ring = BrokerRing<Int>()
        for _ in 0..<14 { ring.append(0) }
        for _ in 0..<14 { _ = ring.popFirst() }          // wrap the head around
        for value in [3, 5, 9] { ring.append(value) }
        ring.insert(1) { $0 < $1 }
        ring.insert(4) { $0 < $1 }
        ring.insert(10) { $0 < $1 }
        XCTAssertEqual(ring.elements, [1, 3, 4, 5, 9, 10])
    }

    func testVisibilityHeap_popsInTimeOrderAndSupportsRemoveAndUpdate() {
        var heap = BrokerVisibilityHeap()
        let base = Date(timeIntervalSince1970: 0)
        let messages = (0..<50).map { index -> BrokerStoredMessage in
            let message = BrokerStoredMessage(messageId: "\(index)", body: "", md5OfBody: "", messageAttributes: [:],
                                              md5OfMessageAttributes: nil, sentAt: base, senderId: "", messageGroupId: nil,
                                              messageDeduplicationId: nil, sequenceNumber: nil, sequence: UInt64(index),
                                              deadLetterQueueSourceArn: nil)
            message.visibleAt = base.addingTimeInterval(TimeInterval((index * 37) % 50))
            return message
        }
        for message in messages { heap.insert(message) }
        heap.remove(messages[10])
        messages[20].visibleAt = base.addingTimeInterval(-1)
        heap.update(messages[20])
        var order: [String] = []
        while let first = heap.first {
            heap.remove(first)
            order.append(first.messageId)
        }
        XCTAssertEqual(order.first, "20")
        XCTAssertFalse(order.contains("10"))
        XCTAssertEqual(order.count, 49)
        let times = order.compactMap { id in messages.first { $0.messageId == id }?.visibleAt }
        XCTAssertEqual(times, times.sorted())
        XCTAssertTrue(messages.allSatisfy { $0.heapIndex == -1 })
    }

    func testTimestamp_iso8601WithMillisecondsInUTC() {
        XCTAssertEqual(BrokerTimestamp.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(BrokerTimestamp.iso8601(Date(timeIntervalSince1970: 1_795_960_765.420)), "2026-11-29T13:59:25.420Z")
        XCTAssertEqual(BrokerTimestamp.iso8601(Date(timeIntervalSince1970: 951_782_400.999)), "2000-02-29T00:00:00.999Z")
        XCTAssertEqual(BrokerTimestamp.iso8601(Date(timeIntervalSince1970: 1_767_225_600)), "2026-01-01T00:00:00.000Z")
        XCTAssertEqual(BrokerTimestamp.milliseconds(Date(timeIntervalSince1970: 1_795_960_765.4209)), 1_795_960_765_420)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for seconds in stride(from: -86_400.0 * 365 * 3, to: 86_400.0 * 365 * 80, by: 86_400 * 97.3 + 0.125) {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(BrokerTimestamp.iso8601(date), formatter.string(from: date))
        }
    }

    func testIdentifiers_uuidsAreVersion4AndDistinct() {
        var identifiers = BrokerIdentifiers()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let uuid = identifiers.uuid()
            XCTAssertNotNil(UUID(uuidString: uuid), uuid)
            XCTAssertEqual(uuid, uuid.lowercased())
            XCTAssertEqual(Array(uuid)[14], "4")
            XCTAssertTrue("89ab".contains(Array(uuid)[19]))
            seen.insert(uuid)
        }
        XCTAssertEqual(seen.count, 10_000)
        XCTAssertEqual(BrokerIdentifiers.parseHex(Array(BrokerIdentifiers.hex(0xdead_beef_0123_4567, 42).utf8)[0..<16]), 0xdead_beef_0123_4567)
        XCTAssertEqual(BrokerIdentifiers.parseHex(Array(BrokerIdentifiers.hex(0xdead_beef_0123_4567, 42).utf8)[16..<32]), 42)
        XCTAssertNil(BrokerIdentifiers.parseHex(Array("zz".utf8)[...]))
    }

    func testManualClock_advanceWakesDueSleepersOnly() async throws {
        let clock = ManualBrokerClock()
        let start = clock.now
        let early = Task { try await clock.sleep(until: start.addingTimeInterval(5)) }
        let late = Task { try await clock.sleep(until: start.addingTimeInterval(10)) }
        let guardDeadline = ContinuousClock.now + hangGuard
        while clock.sleeperCount < 2, ContinuousClock.now < guardDeadline { await Task.yield() }
        clock.advance(by: .seconds(5))
        try await value(of: early)
        XCTAssertEqual(clock.sleeperCount, 1)
        late.cancel()
        do {
            try await value(of: late)
            XCTFail("expected CancellationError")
        } catch is CancellationError {}
        XCTAssertEqual(clock.sleeperCount, 0)
        try await clock.sleep(until: start)           // already past: returns at once
        XCTAssertEqual(clock.now, start.addingTimeInterval(5))
    }
}
