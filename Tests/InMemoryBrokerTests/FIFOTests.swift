import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// FIFO queues and topics: order within a group, groups locked while in flight, deduplication.
final class FIFOTests: XCTestCase {
    private func fifoQueue(_ harness: BrokerHarness, contentBased: Bool = false, attributes: [String: String] = [:]) async throws -> String {
        var attributes = attributes
        attributes["FifoQueue"] = "true"
        if contentBased { attributes["ContentBasedDeduplication"] = "true" }
        return try await harness.queue("orders.fifo", attributes: attributes)
    }

    private func send(_ harness: BrokerHarness, _ url: String, _ body: String, group: String,
                      deduplicationId: String? = nil) async throws -> SendMessageResult {
        try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: body, messageGroupId: group,
                                                             messageDeduplicationId: deduplicationId ?? body))
    }

    func testFifo_deliversAGroupInOrder() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness)
        for index in 0..<5 { _ = try await send(harness, url, "m\(index)", group: "g") }
        let batch = try await harness.receive(url, max: 3)
        XCTAssertEqual(batch.map(\.body), ["m0", "m1", "m2"])
        XCTAssertEqual(batch.map(\.messageGroupId), ["g", "g", "g"])
        let sequenceNumbers = batch.compactMap { $0.attributes["SequenceNumber"] }
        XCTAssertEqual(sequenceNumbers.count, 3)
        XCTAssertEqual(sequenceNumbers, sequenceNumbers.sorted())
        XCTAssertEqual(batch.map { $0.attributes["MessageDeduplicationId"] }, ["m0", "m1", "m2"])
    }

    func testFifo_groupWithMessageInFlight_deliversNothingMoreUntilDeleted() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness)
        for index in 0..<3 { _ = try await send(harness, url, "a\(index)", group: "a") }
        _ = try await send(harness, url, "b0", group: "b")
        let first = try await harness.receive(url, max: 1)
        XCTAssertEqual(first.map(\.body), ["a0"])
        let second = try await harness.receive(url)
        XCTAssertEqual(second.map(\.body), ["b0"], "group a is locked while a0 is in flight")
        let third = try await harness.receive(url)
        XCTAssertEqual(third, [])
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: first[0].receiptHandle)
        let fourth = try await harness.receive(url)
        XCTAssertEqual(fourth.map(\.body), ["a1", "a2"])
    }

    func testFifo_releasedMessage_comesBackFirstInItsGroup() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness)
        for index in 0..<3 { _ = try await send(harness, url, "m\(index)", group: "g") }
        let batch = try await harness.receive(url, max: 2)
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: batch[1].receiptHandle, visibilityTimeout: 0)
        let whileLocked = try await harness.receive(url)
        XCTAssertEqual(whileLocked, [], "m0 is still in flight")
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: batch[0].receiptHandle, visibilityTimeout: 0)
        let again = try await harness.receive(url)
        XCTAssertEqual(again.map(\.body), ["m0", "m1", "m2"])
        XCTAssertEqual(again.map(\.receiveCount), [2, 2, 1])
    }

    func testFifo_visibilityExpiry_unlocksTheGroupInOrder() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness, attributes: ["VisibilityTimeout": "10"])
        for index in 0..<2 { _ = try await send(harness, url, "m\(index)", group: "g") }
        _ = try await harness.receive(url, max: 1)
        harness.clock.advance(by: .seconds(10))
        let again = try await harness.receive(url)
        XCTAssertEqual(again.map(\.body), ["m0", "m1"])
    }

    func testFifo_deduplicationId_withinFiveMinutes_isAcceptedButNotDelivered() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness)
        let first = try await send(harness, url, "one", group: "g", deduplicationId: "d")
        let duplicate = try await send(harness, url, "two", group: "g", deduplicationId: "d")
        XCTAssertEqual(duplicate.messageId, first.messageId)
        XCTAssertEqual(duplicate.sequenceNumber, first.sequenceNumber)
        harness.clock.advance(by: .seconds(299))
        _ = try await send(harness, url, "three", group: "g", deduplicationId: "d")
        harness.clock.advance(by: .seconds(1))
        let afterWindow = try await send(harness, url, "four", group: "g", deduplicationId: "d")
        XCTAssertNotEqual(afterWindow.messageId, first.messageId)
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["one", "four"])
    }

    func testFifo_contentBasedDeduplication_usesTheBody() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness, contentBased: true)
        for body in ["same", "same", "other"] {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: body, messageGroupId: "g"))
        }
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["same", "other"])
    }

    func testFifo_sendErrors_nameTheMissingOrWrongParameter() async throws {
        let harness = BrokerHarness()
        let url = try await fifoQueue(harness)
        await assertAWSError("MissingParameter", mentioning: "MessageGroupId") {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m", messageDeduplicationId: "d"))
        }
        await assertAWSError("InvalidParameterValue", mentioning: "ContentBasedDeduplication") {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m", messageGroupId: "g"))
        }
        await assertAWSError("InvalidParameterValue", mentioning: "DelaySeconds") {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m", delaySeconds: 5, messageGroupId: "g",
                                                                 messageDeduplicationId: "d"))
        }
        let standard = try await harness.queue("standard")
        await assertAWSError("InvalidParameterValue", mentioning: "MessageDeduplicationId") {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: standard, messageBody: "m", messageDeduplicationId: "d"))
        }
    }

    func testFifoTopic_deliversInOrderToFifoQueueWithGroupAndDeduplicates() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue(topic: "things.fifo", queue: "things.fifo",
                                                              queueAttributes: ["FifoQueue": "true"],
                                                              subscriptionAttributes: ["RawMessageDelivery": "true"])
        var sequenceNumbers: [String] = []
        for index in 0..<3 {
            let result = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m\(index)", messageGroupId: "g",
                                                                      messageDeduplicationId: "d\(index)"))
            sequenceNumbers.append(try XCTUnwrap(result.sequenceNumber))
        }
        XCTAssertEqual(sequenceNumbers, sequenceNumbers.sorted())
        let duplicate = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "again", messageGroupId: "g",
                                                                     messageDeduplicationId: "d0"))
        XCTAssertEqual(duplicate.sequenceNumber, sequenceNumbers[0])
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["m0", "m1", "m2"])
        XCTAssertEqual(received.map(\.messageGroupId), ["g", "g", "g"])
        XCTAssertEqual(received.map { $0.attributes["MessageDeduplicationId"] }, ["d0", "d1", "d2"])
        let published = await harness.broker.publications(to: topicArn)
        XCTAssertEqual(published.map(\.message), ["m0", "m1", "m2"], "the duplicate was not accepted again")
    }

    func testFifoTopic_publishErrors() async throws {
        let harness = BrokerHarness()
        let fifo = try await harness.sns.createTopic(name: "things.fifo", attributes: [:])
        await assertAWSError("InvalidParameter", mentioning: "MessageGroupId") {
            try await harness.sns.publish(PublishRequest(topicArn: fifo, message: "m", messageDeduplicationId: "d"))
        }
        await assertAWSError("InvalidParameter", mentioning: "ContentBasedDeduplication") {
            try await harness.sns.publish(PublishRequest(topicArn: fifo, message: "m", messageGroupId: "g"))
        }
        let standard = try await harness.sns.createTopic(name: "things", attributes: [:])
        await assertAWSError("InvalidParameter", mentioning: "MessageGroupId") {
            try await harness.sns.publish(PublishRequest(topicArn: standard, message: "m", messageGroupId: "g"))
        }
    }

    func testFifoTopic_contentBasedDeduplication_andStandardQueueSubscriber() async throws {
        let harness = BrokerHarness()
        let (topicArn, standardURL) = try await harness.topicAndQueue(topic: "things.fifo", queue: "plain",
                                                                      topicAttributes: ["ContentBasedDeduplication": "true"],
                                                                      subscriptionAttributes: ["RawMessageDelivery": "true"])
        for message in ["a", "a", "b"] {
            _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: message, messageGroupId: "g"))
        }
        let received = try await harness.receive(standardURL)
        XCTAssertEqual(received.map(\.body), ["a", "b"])
        XCTAssertNil(received.first?.attributes["MessageDeduplicationId"])
    }

    func testFifo_redriveKeepsGroupAndMovesToFifoDeadLetterQueue() async throws {
        let harness = BrokerHarness()
        let (url, deadLetterURL) = try await harness.queueWithDeadLetterQueue("orders.fifo", maxReceiveCount: 1,
                                                                              attributes: ["FifoQueue": "true"])
        _ = try await send(harness, url, "poison", group: "g")
        _ = try await send(harness, url, "next", group: "g")
        let first = try await harness.receive(url, max: 1)
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: first[0].receiptHandle, visibilityTimeout: 0)
        let second = try await harness.receive(url)
        XCTAssertEqual(second.map(\.body), ["next"], "the poison message went to the dead-letter queue, the group goes on")
        let dead = try await harness.receive(deadLetterURL)
        XCTAssertEqual(dead.map(\.body), ["poison"])
        XCTAssertEqual(dead.first?.messageGroupId, "g")
    }
}
