import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Redrive to the dead-letter queue after `maxReceiveCount` receives.
final class DeadLetterQueueTests: XCTestCase {
    /// Receives and releases the message `times` times; returns the receive counts seen.
    private func receiveAndRelease(_ harness: BrokerHarness, _ url: String, times: Int) async throws -> [Int] {
        var counts: [Int] = []
        for _ in 0..<times {
            guard let message = try await harness.receive(url).first else { break }
            counts.append(message.receiveCount ?? -1)
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        }
        return counts
    }

    func testRedrive_onTheReceiveThatWouldExceedMaxReceiveCount() async throws {
        let harness = BrokerHarness()
        let (url, deadLetterURL) = try await harness.queueWithDeadLetterQueue(maxReceiveCount: 3)
        let ids = try await harness.send(["poison"], to: url)
        let counts = try await receiveAndRelease(harness, url, times: 3)
        XCTAssertEqual(counts, [1, 2, 3])
        let beforeFourth = try await harness.broker.deadLetterMessages(of: url)
        XCTAssertEqual(beforeFourth, [], "still in the source queue after 3 receives")

        let fourth = try await harness.receive(url)
        XCTAssertEqual(fourth, [], "the 4th receive moves it instead of delivering it")
        let dead = try await harness.broker.deadLetterMessages(of: url)
        XCTAssertEqual(dead.map(\.messageId), ids)
        XCTAssertEqual(dead.first?.receiveCount, 3)
        XCTAssertEqual(dead.first?.deadLetterQueueSourceArn, "arn:aws:sqs:us-east-1:123456789012:things-worker")

        let fromDeadLetterQueue = try await harness.receive(deadLetterURL)
        XCTAssertEqual(fromDeadLetterQueue.map(\.body), ["poison"])
        XCTAssertEqual(fromDeadLetterQueue.first?.messageId, ids.first)
        XCTAssertEqual(fromDeadLetterQueue.first?.attributes["DeadLetterQueueSourceArn"], "arn:aws:sqs:us-east-1:123456789012:things-worker")
        XCTAssertEqual(fromDeadLetterQueue.first?.receiveCount, 4)
        let source = try await harness.broker.messages(in: url)
        XCTAssertEqual(source, [])
    }

    func testRedrive_afterVisibilityTimeouts_tooNotOnlyReleases() async throws {
        let harness = BrokerHarness()
        let (url, _) = try await harness.queueWithDeadLetterQueue(maxReceiveCount: 2, attributes: ["VisibilityTimeout": "5"])
        try await harness.send(["slow"], to: url)
        _ = try await harness.receive(url)
        harness.clock.advance(by: .seconds(5))
        _ = try await harness.receive(url)
        harness.clock.advance(by: .seconds(5))
        let third = try await harness.receive(url)
        XCTAssertEqual(third, [])
        let dead = try await harness.broker.deadLetterMessages(of: url)
        XCTAssertEqual(dead.map(\.body), ["slow"])
    }

    func testRedrive_otherMessagesStillDeliveredInTheSameReceive() async throws {
        let harness = BrokerHarness()
        let (url, _) = try await harness.queueWithDeadLetterQueue(maxReceiveCount: 1)
        try await harness.send(["poison"], to: url)
        let first = try await harness.receive(url)[0]
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: first.receiptHandle, visibilityTimeout: 0)
        try await harness.send(["fine"], to: url)
        let next = try await harness.receive(url)
        XCTAssertEqual(next.map(\.body), ["fine"])
        let dead = try await harness.broker.deadLetterMessages(of: url)
        XCTAssertEqual(dead.map(\.body), ["poison"])
    }

    func testRedrive_deletedMessagesNeverReachTheDeadLetterQueue() async throws {
        let harness = BrokerHarness()
        let (url, deadLetterURL) = try await harness.queueWithDeadLetterQueue(maxReceiveCount: 1)
        try await harness.send(["ok"], to: url)
        let message = try await harness.receive(url)[0]
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)
        _ = try await harness.receive(url)
        let dead = try await harness.broker.messages(in: deadLetterURL)
        XCTAssertEqual(dead, [])
    }

    func testRedrive_wakesLongPollOnTheDeadLetterQueue() async throws {
        let harness = BrokerHarness()
        let (url, deadLetterURL) = try await harness.queueWithDeadLetterQueue(maxReceiveCount: 1)
        try await harness.send(["poison"], to: url)
        let message = try await harness.receive(url)[0]
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        let poll = harness.longPoll(deadLetterURL)
        try await harness.waitUntilParked(deadLetterURL)
        _ = try await harness.receive(url)
        let dead = try await value(of: poll)
        XCTAssertEqual(dead.map(\.body), ["poison"])
    }

    func testDeadLetterMessages_ofQueueWithoutRedrive_throwsNamingTheQueue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        do {
            _ = try await harness.broker.deadLetterMessages(of: url)
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertTrue(error.message.contains(url), error.message)
        }
    }
}
