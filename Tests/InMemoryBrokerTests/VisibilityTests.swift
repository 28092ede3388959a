import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Visibility timeouts, receipt handles, receive counts, delays, deletes.
final class VisibilityTests: XCTestCase {
    func testReceive_hidesMessageForQueueVisibilityTimeout() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["VisibilityTimeout": "10"])
        try await harness.send(["a"], to: url)
        let first = try await harness.receive(url)
        XCTAssertEqual(first.map(\.body), ["a"])
        harness.clock.advance(by: .seconds(9))
        let during = try await harness.receive(url)
        XCTAssertEqual(during, [])
        harness.clock.advance(by: .seconds(1))
        let after = try await harness.receive(url)
        XCTAssertEqual(after.map(\.body), ["a"])
        XCTAssertEqual(after.first?.receiveCount, 2)
    }

    func testReceive_defaultVisibilityTimeoutIsThirtySeconds() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        _ = try await harness.receive(url)
        harness.clock.advance(by: .milliseconds(29_999))
        let during = try await harness.receive(url)
        XCTAssertEqual(during, [])
        harness.clock.advance(by: .milliseconds(1))
        let after = try await harness.receive(url)
        XCTAssertEqual(after.count, 1)
    }

    func testReceive_requestVisibilityTimeout_overridesQueue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["VisibilityTimeout": "100"])
        try await harness.send(["a"], to: url)
        _ = try await harness.receive(url, visibility: 2)
        harness.clock.advance(by: .seconds(2))
        let after = try await harness.receive(url, visibility: 0)
        XCTAssertEqual(after.count, 1)
        // Visibility 0 on receive: visible again at once.
        let again = try await harness.receive(url)
        XCTAssertEqual(again.first?.receiveCount, 3)
    }

    func testReceive_eachReceiveGivesFreshReceiptHandle() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let first = try await harness.receive(url, visibility: 1)[0]
        harness.clock.advance(by: .seconds(1))
        let second = try await harness.receive(url, visibility: 1)[0]
        XCTAssertEqual(first.messageId, second.messageId)
        XCTAssertNotEqual(first.receiptHandle, second.receiptHandle)
    }

    func testChangeMessageVisibility_extendsTheTimeout() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["VisibilityTimeout": "10"])
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url)[0]
        harness.clock.advance(by: .seconds(5))
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 60)
        harness.clock.advance(by: .seconds(59))
        let during = try await harness.receive(url)
        XCTAssertEqual(during, [])
        harness.clock.advance(by: .seconds(1))
        let after = try await harness.receive(url)
        XCTAssertEqual(after.count, 1)
    }

    func testChangeMessageVisibility_zero_releasesAtOnce() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url)[0]
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        let again = try await harness.receive(url)
        XCTAssertEqual(again.map(\.messageId), [message.messageId])
        XCTAssertEqual(again.first?.receiveCount, 2)
    }

    func testChangeMessageVisibility_withOldHandle_throwsAndChangesNothing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let first = try await harness.receive(url, visibility: 1)[0]
        harness.clock.advance(by: .seconds(1))
        let second = try await harness.receive(url, visibility: 100)[0]
        await assertAWSError("InvalidParameterValue", mentioning: first.receiptHandle) {
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: first.receiptHandle, visibilityTimeout: 0)
        }
        let stillHidden = try await harness.receive(url)
        XCTAssertEqual(stillHidden, [])
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: second.receiptHandle, visibilityTimeout: 0)
        let released = try await harness.receive(url)
        XCTAssertEqual(released.count, 1)
    }

    func testChangeMessageVisibility_afterTimeoutEnded_throwsMessageNotInflight() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url, visibility: 1)[0]
        harness.clock.advance(by: .seconds(1))
        await assertAWSError("AWS.SimpleQueueService.MessageNotInflight", mentioning: message.receiptHandle) {
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 30)
        }
    }

    func testChangeMessageVisibility_unknownOrDeletedHandle_throws() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url)[0]
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)
        await assertAWSError("InvalidParameterValue", mentioning: message.receiptHandle) {
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        }
        await assertAWSError("ReceiptHandleIsInvalid", mentioning: "made-up") {
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: "made-up", visibilityTimeout: 0)
        }
    }

    func testDeleteMessage_removesForGood() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a", "b"], to: url)
        let received = try await harness.receive(url, max: 1, visibility: 1)
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: received[0].receiptHandle)
        harness.clock.advance(by: .seconds(5))
        let rest = try await harness.receive(url)
        XCTAssertEqual(rest.map(\.body), ["b"])
        let attributes = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["ApproximateNumberOfMessages",
                                                                                         "ApproximateNumberOfMessagesNotVisible"])
        XCTAssertEqual(attributes, ["ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "1"])
    }

    func testDeleteMessage_twice_succeedsBothTimes() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let handle = try await harness.receive(url)[0].receiptHandle
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: handle)
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: handle)
    }

    func testDeleteMessage_withHandleOfEarlierReceive_stillDeletes() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let first = try await harness.receive(url, visibility: 1)[0]
        harness.clock.advance(by: .seconds(1))
        _ = try await harness.receive(url, visibility: 1)
        try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: first.receiptHandle)
        harness.clock.advance(by: .seconds(1))
        let remaining = try await harness.broker.messages(in: url)
        XCTAssertEqual(remaining, [])
    }

    func testDeleteMessage_handleNeverIssued_throwsReceiptHandleIsInvalid() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let other = try await harness.queue("other")
        try await harness.send(["a"], to: other)
        let otherHandle = try await harness.receive(other)[0].receiptHandle
        await assertAWSError("ReceiptHandleIsInvalid", mentioning: "nonsense") {
            try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: "nonsense")
        }
        await assertAWSError("ReceiptHandleIsInvalid", mentioning: url) {
            try await harness.sqs.deleteMessage(queueURL: url, receiptHandle: otherHandle)
        }
    }

    func testDeleteMessageBatch_reportsEachEntry() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a", "b"], to: url)
        let received = try await harness.receive(url)
        let result = try await harness.sqs.deleteMessageBatch(queueURL: url, entries: [
            DeleteMessageBatchEntry(id: "a", receiptHandle: received[0].receiptHandle),
            DeleteMessageBatchEntry(id: "bogus", receiptHandle: "bogus"),
            DeleteMessageBatchEntry(id: "b", receiptHandle: received[1].receiptHandle),
        ])
        XCTAssertEqual(result.successful, ["a", "b"])
        XCTAssertEqual(result.failed.map(\.id), ["bogus"])
        XCTAssertEqual(result.failed.first?.code, "ReceiptHandleIsInvalid")
        let remaining = try await harness.broker.messages(in: url)
        XCTAssertEqual(remaining, [])
    }

    func testChangeMessageVisibilityBatch_reportsEachEntry() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a", "b"], to: url)
        let received = try await harness.receive(url)
        let result = try await harness.sqs.changeMessageVisibilityBatch(queueURL: url, entries: [
            ChangeMessageVisibilityBatchEntry(id: "a", receiptHandle: received[0].receiptHandle, visibilityTimeout: 0),
            ChangeMessageVisibilityBatchEntry(id: "bogus", receiptHandle: "bogus", visibilityTimeout: 0),
        ])
        XCTAssertEqual(result.successful, ["a"])
        XCTAssertEqual(result.failed.map(\.code), ["ReceiptHandleIsInvalid"])
        let released = try await harness.receive(url)
        XCTAssertEqual(released.map(\.body), ["a"])
    }

    func testReceiveCount_countsEveryReceive() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        var counts: [Int] = []
        for _ in 0..<4 {
            let message = try await harness.receive(url)[0]
            counts.append(try XCTUnwrap(message.receiveCount))
            try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        }
        XCTAssertEqual(counts, [1, 2, 3, 4])
    }

    func testReceive_firstReceiveTimestamp_staysTheFirst() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let first = try await harness.receive(url, visibility: 1)[0]
        harness.clock.advance(by: .seconds(7))
        let second = try await harness.receive(url)[0]
        XCTAssertEqual(second.attributes["ApproximateFirstReceiveTimestamp"], first.attributes["ApproximateFirstReceiveTimestamp"])
        XCTAssertEqual(second.attributes["SentTimestamp"], first.attributes["SentTimestamp"])
    }

    func testSendMessage_delaySeconds_hidesUntilDue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "later", delaySeconds: 5))
        try await harness.send(["now"], to: url)
        let first = try await harness.receive(url)
        XCTAssertEqual(first.map(\.body), ["now"])
        harness.clock.advance(by: .seconds(5))
        let later = try await harness.receive(url)
        XCTAssertEqual(later.map(\.body), ["later"])
    }

    func testQueueDelaySeconds_appliesToSendsAndDeliveries() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue(queueAttributes: ["DelaySeconds": "3"])
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let delayed = try await harness.broker.delayedMessages(in: url)
        XCTAssertEqual(delayed.count, 1)
        let early = try await harness.receive(url)
        XCTAssertEqual(early, [])
        harness.clock.advance(by: .seconds(3))
        let due = try await harness.receive(url)
        XCTAssertEqual(due.count, 1)
    }

    func testSendMessage_overQueueMaximumSize_throwsInvalidParameterValue() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["MaximumMessageSize": "1024"])
        await assertAWSError("InvalidParameterValue", mentioning: "1024") {
            _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: String(repeating: "x", count: 1025)))
        }
    }

    func testReceive_messagePastRetentionPeriod_isGone() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["MessageRetentionPeriod": "60"])
        try await harness.send(["old"], to: url)
        harness.clock.advance(by: .seconds(60))
        try await harness.send(["new"], to: url)
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["new"])
    }

    func testSendMessageBatch_sendsEachAndReportsFailuresAlone() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["MaximumMessageSize": "1024"])
        let result = try await harness.sqs.sendMessageBatch(queueURL: url, entries: [
            SendMessageBatchEntry(id: "one", messageBody: "1"),
            SendMessageBatchEntry(id: "big", messageBody: String(repeating: "x", count: 2000)),
            SendMessageBatchEntry(id: "two", messageBody: "2", messageAttributes: ["k": .string("v")]),
        ])
        XCTAssertEqual(result.successful.map(\.id), ["one", "two"])
        XCTAssertEqual(result.successful.map(\.md5OfMessageBody), [SQSMessageDigest.md5OfBody("1"), SQSMessageDigest.md5OfBody("2")])
        XCTAssertEqual(result.failed.map(\.id), ["big"])
        XCTAssertEqual(result.failed.first?.code, "InvalidParameterValue")
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["1", "2"])
        XCTAssertNoThrow(try received[1].verifyChecksums())
    }

    func testSendMessage_returnsDigestsOfWhatWasStored() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let attributes: [String: MessageAttributeValue] = ["media_type": .string("t"), "n": .number("1")]
        let result = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "body", messageAttributes: attributes))
        XCTAssertEqual(result.md5OfMessageBody, SQSMessageDigest.md5OfBody("body"))
        XCTAssertEqual(result.md5OfMessageAttributes, SQSMessageDigest.md5OfMessageAttributes(attributes))
        XCTAssertNil(result.sequenceNumber)
        let message = try await harness.receive(url)[0]
        XCTAssertEqual(message.messageId, result.messageId)
        XCTAssertEqual(message.attributes["SenderId"], "123456789012")
        XCTAssertNoThrow(try message.verifyChecksums())
    }
}
