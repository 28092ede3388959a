import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// CreateQueue, GetQueueUrl, Get/SetQueueAttributes, PurgeQueue, DeleteQueue.
final class QueueManagementTests: XCTestCase {
    func testCreateQueue_returnsMemoryURLWithRegionAccountAndName() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        XCTAssertEqual(url, "memory://sqs.us-east-1/123456789012/orders")
        let url2 = try await harness.sqs.getQueueURL(queueName: "orders")
        XCTAssertEqual(url2, url)
    }

    func testCreateQueue_usesConfiguredRegionAndAccount() async throws {
        let broker = InMemoryBroker(region: "eu-west-1", accountId: "000000000000", clock: ManualBrokerClock())
        let url = try await broker.sqs.createQueue(name: "orders", attributes: [:])
        XCTAssertEqual(url, "memory://sqs.eu-west-1/000000000000/orders")
        let attributes = try await broker.sqs.getQueueAttributes(queueURL: url, names: ["QueueArn"])
        XCTAssertEqual(attributes, ["QueueArn": "arn:aws:sqs:eu-west-1:000000000000:orders"])
    }

    func testCreateQueue_twiceWithSameAttributes_returnsSameURL() async throws {
        let harness = BrokerHarness()
        let first = try await harness.queue("orders", attributes: ["VisibilityTimeout": "10"])
        let second = try await harness.queue("orders", attributes: ["VisibilityTimeout": "10"])
        let third = try await harness.queue("orders")
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, third)
    }

    func testCreateQueue_withDifferentAttribute_throwsQueueAlreadyExists() async throws {
        let harness = BrokerHarness()
        _ = try await harness.queue("orders", attributes: ["VisibilityTimeout": "10"])
        await assertAWSError("QueueAlreadyExists", mentioning: "VisibilityTimeout") {
            try await harness.queue("orders", attributes: ["VisibilityTimeout": "20"])
        }
    }

    func testGetQueueAttributes_all_reportsDefaultsAndCounts() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        try await harness.send(["a", "b", "c"], to: url)
        _ = try await harness.receive(url, max: 1)
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "later", delaySeconds: 60))
        let attributes = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["All"])
        XCTAssertEqual(attributes["QueueArn"], "arn:aws:sqs:us-east-1:123456789012:orders")
        XCTAssertEqual(attributes["VisibilityTimeout"], "30")
        XCTAssertEqual(attributes["DelaySeconds"], "0")
        XCTAssertEqual(attributes["ReceiveMessageWaitTimeSeconds"], "0")
        XCTAssertEqual(attributes["MessageRetentionPeriod"], "345600")
        XCTAssertEqual(attributes["MaximumMessageSize"], "1048576")
        XCTAssertEqual(attributes["ApproximateNumberOfMessages"], "2")
        XCTAssertEqual(attributes["ApproximateNumberOfMessagesNotVisible"], "1")
        XCTAssertEqual(attributes["ApproximateNumberOfMessagesDelayed"], "1")
        XCTAssertEqual(attributes["CreatedTimestamp"], String(Int(harness.clock.now.timeIntervalSince1970)))
        XCTAssertNil(attributes["FifoQueue"])
        XCTAssertNil(attributes["RedrivePolicy"])
    }

    func testGetQueueAttributes_named_returnsOnlyThose() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        let attributes = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["VisibilityTimeout", "ApproximateNumberOfMessages"])
        XCTAssertEqual(attributes, ["VisibilityTimeout": "30", "ApproximateNumberOfMessages": "0"])
    }

    func testGetQueueAttributes_unknownName_throwsInvalidAttributeName() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        await assertAWSError("InvalidAttributeName", mentioning: "Colour") {
            try await harness.sqs.getQueueAttributes(queueURL: url, names: ["Colour"])
        }
    }

    func testCreateQueue_fifo_reportsFifoAttributes() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders.fifo", attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        let attributes = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["All"])
        XCTAssertEqual(attributes["FifoQueue"], "true")
        XCTAssertEqual(attributes["ContentBasedDeduplication"], "true")
    }

    func testCreateQueue_fifoNameWithoutFifoAttribute_throwsInvalidParameterValue() async throws {
        let harness = BrokerHarness()
        await assertAWSError("InvalidParameterValue", mentioning: "orders.fifo") { try await harness.queue("orders.fifo") }
        await assertAWSError("InvalidParameterValue", mentioning: "orders") {
            try await harness.queue("orders", attributes: ["FifoQueue": "true"])
        }
    }

    func testCreateQueue_outOfRangeAttribute_throwsInvalidAttributeValue() async throws {
        let harness = BrokerHarness()
        await assertAWSError("InvalidAttributeValue", mentioning: "VisibilityTimeout") {
            try await harness.queue("orders", attributes: ["VisibilityTimeout": "43201"])
        }
        await assertAWSError("InvalidAttributeValue", mentioning: "DelaySeconds") {
            try await harness.queue("orders", attributes: ["DelaySeconds": "soon"])
        }
        await assertAWSError("InvalidAttributeName", mentioning: "Colour") {
            try await harness.queue("orders", attributes: ["Colour": "blue"])
        }
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue") { try await harness.sqs.getQueueURL(queueName: "orders") }
    }

    func testCreateQueue_redriveToMissingQueue_throwsInvalidParameterValue() async throws {
        let harness = BrokerHarness()
        let policy = #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:nowhere", "maxReceiveCount": 3}"#
        await assertAWSError("InvalidParameterValue", mentioning: "Dead letter target does not exist") {
            try await harness.queue("orders", attributes: ["RedrivePolicy": policy])
        }
    }

    func testCreateQueue_redriveToFifoFromStandard_throwsInvalidParameterValue() async throws {
        let harness = BrokerHarness()
        _ = try await harness.queue("dead.fifo", attributes: ["FifoQueue": "true"])
        let policy = #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dead.fifo", "maxReceiveCount": 3}"#
        await assertAWSError("InvalidParameterValue", mentioning: "same type") {
            try await harness.queue("orders", attributes: ["RedrivePolicy": policy])
        }
    }

    func testSetQueueAttributes_changesSettingsAndRedrivePolicy() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        _ = try await harness.queue("orders-dlq")
        let policy = #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq", "maxReceiveCount": "5"}"#
        try await harness.sqs.setQueueAttributes(queueURL: url, attributes: ["VisibilityTimeout": "5", "RedrivePolicy": policy])
        let attributes = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["VisibilityTimeout", "RedrivePolicy"])
        XCTAssertEqual(attributes["VisibilityTimeout"], "5")
        XCTAssertEqual(try attributes["RedrivePolicy"]?.json,
                       ["deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq", "maxReceiveCount": 5])
    }

    func testSetQueueAttributes_fifoQueue_cannotChangeType() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        await assertAWSError("InvalidAttributeValue", mentioning: "FifoQueue") {
            try await harness.sqs.setQueueAttributes(queueURL: url, attributes: ["FifoQueue": "true"])
        }
    }

    func testPurgeQueue_removesVisibleInFlightAndDelayedMessages() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        try await harness.send(["a", "b"], to: url)
        let received = try await harness.receive(url, max: 1)
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "later", delaySeconds: 5))
        try await harness.sqs.purgeQueue(queueURL: url)
        let remaining = try await harness.broker.messages(in: url)
        XCTAssertEqual(remaining, [])
        harness.clock.advance(by: .seconds(60))
        let afterwards = try await harness.receive(url)
        XCTAssertEqual(afterwards, [])
        // A handle issued before the purge still deletes without error (its message is gone).
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: received[0].receiptHandle)
    }

    func testDeleteQueue_thenEveryCallThrowsNonExistentQueue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        try await harness.send(["a"], to: url)
        try await harness.sqs.deleteQueue(queueURL: url)
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue", mentioning: url) { try await harness.receive(url) }
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue", mentioning: url) { try await harness.send(["b"], to: url) }
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue") { try await harness.sqs.getQueueURL(queueName: "orders") }
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue") { try await harness.sqs.deleteQueue(queueURL: url) }
    }

    func testDeleteQueue_recreated_isEmptyAndRejectsOldHandles() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue("orders")
        try await harness.send(["a"], to: url)
        let handle = try await harness.receive(url)[0].receiptHandle
        try await harness.sqs.deleteQueue(queueURL: url)
        let again = try await harness.queue("orders")
        XCTAssertEqual(again, url)
        let messages = try await harness.receive(url)
        XCTAssertEqual(messages, [])
        await assertAWSError("ReceiptHandleIsInvalid") { try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: handle) }
    }

    func testQueueURL_awsStyleURLForSameAccount_findsTheQueue() async throws {
        let harness = BrokerHarness()
        _ = try await harness.queue("orders")
        let awsURL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
        try await harness.send(["a"], to: awsURL)
        let received = try await harness.receive("memory://sqs.us-east-1/123456789012/orders")
        XCTAssertEqual(received.map(\.body), ["a"])
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue") {
            try await harness.send(["b"], to: "https://sqs.us-east-1.amazonaws.com/999999999999/orders")
        }
    }
}
