import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// Long polls: woken the moment a message can be received, ended by the deadline on the
/// broker's clock, never by polling. The manual clock never moves in the wake-up tests, so a
/// poll that returns a message was woken by the event, not by a timeout.
final class LongPollTests: XCTestCase {
    func testLongPoll_returnsAsSoonAsAMessageIsPublished() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let start = harness.clock.now
        let poll = harness.longPoll(url, wait: 20)
        try await harness.waitUntilParked(url)
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "hello"))
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["hello"])
        XCTAssertEqual(harness.clock.now, start, "no time passed: the publish woke the poll")
        let waiting = try await harness.broker.waitingReceiveCount(on: url)
        XCTAssertEqual(waiting, 0)
    }

    func testLongPoll_returnsAsSoonAsAMessageIsSent() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        try await harness.send(["hi"], to: url)
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["hi"])
    }

    func testLongPoll_endsEmptyAtItsDeadline() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let poll = harness.longPoll(url, wait: 20)
        try await harness.waitUntilParked(url)
        harness.clock.advance(by: .seconds(19))
        let stillWaiting = try await harness.broker.waitingReceiveCount(on: url)
        XCTAssertEqual(stillWaiting, 1)
        harness.clock.advance(by: .seconds(1))
        let received = try await value(of: poll)
        XCTAssertEqual(received, [])
    }

    func testLongPoll_queueWaitTimeApplies_whenRequestSaysNothing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["ReceiveMessageWaitTimeSeconds": "5"])
        let sqs = harness.sqs
        let poll = Task { try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url)) }
        try await harness.waitUntilParked(url)
        harness.clock.advance(by: .seconds(5))
        let received = try await value(of: poll)
        XCTAssertEqual(received, [])
    }

    func testLongPoll_wokenByVisibilityTimeoutEnding() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["VisibilityTimeout": "10"])
        try await harness.send(["a"], to: url)
        _ = try await harness.receive(url)
        let poll = harness.longPoll(url, wait: 20)
        try await harness.waitUntilParked(url)
        harness.clock.advance(by: .seconds(10))
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["a"])
        XCTAssertEqual(received.first?.receiveCount, 2)
    }

    func testLongPoll_parkedBeforeAShortVisibility_stillWokenWhenItEnds() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let held = try await harness.receive(url, visibility: 600)[0]
        let poll = harness.longPoll(url, wait: 20)
        try await harness.waitUntilParked(url)
        // The poll planned to sleep until its deadline; the message now comes back sooner.
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: held.receiptHandle, visibilityTimeout: 3)
        try await harness.waitUntilParked(url)
        harness.clock.advance(by: .seconds(3))
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["a"])
    }

    func testLongPoll_wokenByRelease() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let held = try await harness.receive(url)[0]
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: held.receiptHandle, visibilityTimeout: 0)
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.messageId), [held.messageId])
    }

    func testLongPoll_wokenByDelayEnding() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "later", delaySeconds: 4))
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        harness.clock.advance(by: .seconds(4))
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["later"])
    }

    func testLongPoll_fifoWokenWhenGroupUnlocks() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders.fifo", attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        for body in ["a", "b"] {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: body, messageGroupId: "g"))
        }
        let first = try await harness.receive(url, max: 1)[0]
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: first.receiptHandle)
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["b"])
    }

    func testLongPoll_severalPolls_eachMessageGoesToOne() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let polls = (0..<3).map { _ in harness.longPoll(url, max: 1) }
        try await harness.waitUntilParked(url, count: 3)
        try await harness.send(["a", "b", "c"], to: url)
        var bodies: [String] = []
        for poll in polls { bodies += try await value(of: poll).map(\.body) }
        XCTAssertEqual(bodies.sorted(), ["a", "b", "c"])
    }

    func testLongPoll_cancelled_throwsCancellationAndTakesNothing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        poll.cancel()
        do {
            _ = try await value(of: poll)
            XCTFail("expected CancellationError")
        } catch is CancellationError {}
        try await harness.send(["a"], to: url)
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["a"])
        let waiting = try await harness.broker.waitingReceiveCount(on: url)
        XCTAssertEqual(waiting, 0)
    }

    func testLongPoll_queueDeleted_throwsNonExistentQueue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let poll = harness.longPoll(url)
        try await harness.waitUntilParked(url)
        try await harness.sqs.deleteQueue(queueURL: url)
        do {
            _ = try await value(of: poll)
            XCTFail("expected NonExistentQueue")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        }
    }

    func testLongPoll_onSystemClock_wokenByPublishWithoutWaiting() async throws {
        let broker = InMemoryBroker()
        let url = try await broker.sqs.createQueue(name: "q", attributes: [:])
        let sqs = broker.sqs
        let poll = Task { try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, waitTimeSeconds: 20)) }
        let guardDeadline = ContinuousClock.now + hangGuard
        while try await broker.waitingReceiveCount(on: url) == 0, ContinuousClock.now < guardDeadline { await Task.yield() }
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "now"))
        let received = try await value(of: poll)
        XCTAssertEqual(received.map(\.body), ["now"])
    }
}
