import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// consume, ack, nack and process against the testing graph's in-memory broker, with visibility
/// read through the broker's inspection helpers on a manual clock.
final class SQSConsumerTests: XCTestCase {
    private struct HandlerFailure: Error, Equatable {}

    // MARK: Consuming

    func testConsume_givesEachMessagesIdsCountOpaqueDataURITTLAndTopic() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1", opaqueData: ["X-Request-Id": "req-1", "x-request-ttl": "31"])
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 1)
        let message = try XCTUnwrap(messages.first)
        let stored = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(message.messageId, stored.first?.messageId)
        XCTAssertFalse(message.receiptHandle.isEmpty)
        XCTAssertEqual(message.receiveCount, 1)
        XCTAssertEqual(message.mediaType, .created("Thing"))
        XCTAssertEqual(message.uri, "http://things/1")
        XCTAssertEqual(message.ttl, 31)
        XCTAssertEqual(message.opaqueData, ["x-request-id": "req-1", "x-request-ttl": "31"])
        XCTAssertEqual(message.opaqueData["X-REQUEST-ID"], "req-1")
        XCTAssertEqual(message.topicArn, bed.topicArn)
        XCTAssertEqual(message.content?["uri"], "http://things/1")
        XCTAssertEqual(try message.decode(URIMessage.self).uri, "http://things/1")
        XCTAssertEqual(message.sqsMessage.body, stored.first?.body)
        XCTAssertNil(message.error)
    }

    func testConsume_withoutTTL_hasNone() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        XCTAssertNil(message.ttl)
        XCTAssertEqual(message.opaqueData, [:])
    }

    func testConsume_returnsAtMostTheLimit() async throws {
        let bed = try await ConsumerTestBed.make(consumer: ["limit": 3])
        for index in 1...5 { try await bed.publishCreated("http://things/\(index)") }
        let first = try await bed.consumer.consume()
        let second = try await bed.consumer.consume()
        XCTAssertEqual(first.count, 3)
        XCTAssertEqual(second.count, 2)
        XCTAssertEqual(Set((first + second).compactMap(\.uri)), Set((1...5).map { "http://things/\($0)" }))
    }

    func testConsume_emptyQueue_returnsNothingAndIsNeverExhausted() async throws {
        let bed = try await ConsumerTestBed.make()
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 0)
        XCTAssertFalse(try bed.consumer.isExhausted, "a queue never ends")
    }

    func testConsume_serviceError_isThrown() async throws {
        let bed = try await ConsumerTestBed.make()
        bed.broker.faults.fail(.receiveMessage, with: AWSError(code: "ServiceUnavailable", message: "try later", statusCode: 503), times: 1)
        do {
            _ = try await bed.consumer.consume()
            XCTFail("expected the service error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ServiceUnavailable")
        }
        try await bed.publishCreated("http://things/1")
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 1, "the next consume works")
    }

    func testConsume_missingQueue_throwsTheAWSErrorNamingIt() async throws {
        let bed = try await ConsumerTestBed.make(consumer: ["sqs_queue_url": "memory://sqs.us-east-1/123456789012/nowhere"])
        do {
            _ = try await bed.consumer.consume()
            XCTFail("expected the service error")
        } catch let error as AWSError {
            XCTAssertTrue(error.description.contains("nowhere"), error.description)
        }
    }

    func testConsume_visibilityTimeoutSeconds_isAskedForOnReceive() async throws {
        let bed = try await ConsumerTestBed.make(consumer: ["visibility_timeout_seconds": 42])
        try await bed.publishCreated("http://things/1")
        _ = try await bed.consumer.consume()
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.first?.visibleAt, bed.clock.now.addingTimeInterval(42))
    }

    // MARK: Ack and nack

    func testAck_deletesTheMessage() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        try await message.ack()
        let left = try await bed.broker.messages(in: bed.queueURL)
        XCTAssertEqual(left.count, 0)
    }

    func testNack_naivePolicy_hidesTheMessageForTheRetryTimeout_thenItReturnsWithReceiveCountTwo() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        try await message.nack()

        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(5)], "message_retry_visibility_timeout_seconds")
        let early = try await bed.consumer.consume()
        XCTAssertEqual(early.count, 0, "still invisible")

        bed.clock.advance(by: .seconds(5))
        let again = try await bed.consumer.consume()
        XCTAssertEqual(again.map(\.messageId), [message.messageId])
        XCTAssertEqual(again.first?.receiveCount, 2)
        XCTAssertNotEqual(again.first?.receiptHandle, message.receiptHandle)
    }

    func testNack_withATimeout_usesIt_andZeroHandsTheMessageBackAtOnce() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        try await message.nack(visibilityTimeout: 60)
        let hidden = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(hidden.map(\.visibleAt), [bed.clock.now.addingTimeInterval(60)])

        try await message.nack(visibilityTimeout: 0)
        let visible = try await bed.broker.visibleMessages(in: bed.queueURL)
        XCTAssertEqual(visible.map(\.messageId), [message.messageId])
    }

    func testNack_retryTimeoutFromConfig_isUsed() async throws {
        let bed = try await ConsumerTestBed.make(consumer: ["message_retry_visibility_timeout_seconds": 17])
        try await bed.publishCreated("http://things/1")
        try await bed.consumer.consume()[0].nack()
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(17)])
    }

    func testNack_exponentialPolicy_setsTheVisibilityItComputesFromTheReceiveCount() async throws {
        let bed = try await ConsumerTestBed.make()
        let consumer = SQSConsumer(source: .queue(bed.queueURL, client: bed.broker.sqs), envelope: try bed.graph.sqsEnvelope,
                                   backoffPolicy: .exponential(random: { $0.upperBound }), waitSeconds: 0)
        try await bed.publishCreated("http://things/1")
        for _ in 1...2 { try await consumer.consume()[0].nack(visibilityTimeout: 0) }
        let third = try await consumer.consume()[0]
        XCTAssertEqual(third.receiveCount, 3)
        try await third.nack()
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(7)], "2^3 - 1")
    }

    func testNack_policyThatLeavesVisibilityAlone_changesNothing() async throws {
        let bed = try await ConsumerTestBed.make(consumer: ["visibility_timeout_seconds": 30])
        let consumer = SQSConsumer(source: .queue(bed.queueURL, client: bed.broker.sqs), envelope: try bed.graph.sqsEnvelope,
                                   backoffPolicy: .naive(retryTimeout: nil), waitSeconds: 0, visibilityTimeout: 30)
        try await bed.publishCreated("http://things/1")
        try await consumer.consume()[0].nack()
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(30)], "the receive's visibility stands")
    }

    func testNack_serviceError_isThrown() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        try await message.ack()
        do {
            try await message.nack()
            XCTFail("a deleted message cannot be nacked")
        } catch let error as AWSError {
            XCTAssertEqual(error.action, "ChangeMessageVisibility")
        }
    }

    // MARK: Process

    func testProcess_handlerSucceeds_acksAndReturnsItsResult() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        let uri = try await message.process { content in try content.decode(URIMessage.self).uri }
        XCTAssertEqual(uri, "http://things/1")
        let left = try await bed.broker.messages(in: bed.queueURL)
        XCTAssertEqual(left.count, 0)
    }

    func testProcess_handlerThrows_nacksWithBackoffAndRethrows_thenTheMessageReturns() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        do {
            try await message.process { _ in throw HandlerFailure() }
            XCTFail("expected the handler's error")
        } catch let error as HandlerFailure {
            XCTAssertEqual(error, HandlerFailure())
        }
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(5)])

        bed.clock.advance(by: .seconds(5))
        let again = try await bed.consumer.consume()
        XCTAssertEqual(again.map(\.receiveCount), [2])
    }

    func testProcess_unreadableMessage_doesNotRunTheHandler_nacksAndThrowsTheMessagesError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send("not json")
        let message = try await bed.consumer.consume()[0]
        var ran = false
        do {
            try await message.process { _ in ran = true }
            XCTFail("expected the message's error")
        } catch let error as ConsumedMessageError {
            XCTAssertEqual(error.code, .notJSON)
        }
        XCTAssertFalse(ran)
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(5)], "left for SQS to redeliver, never deleted")
    }

    func testProcess_failingNackAfterAFailure_stillThrowsTheHandlersError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        bed.broker.faults.fail(.changeMessageVisibility, with: AWSError(code: "ServiceUnavailable", message: "", statusCode: 503))
        do {
            try await message.process { _ in throw HandlerFailure() }
            XCTFail("expected the handler's error")
        } catch {
            XCTAssertTrue(error is HandlerFailure, "\(error)")
        }
    }

    func testProcess_failingAck_throwsTheAckError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await bed.consumer.consume()[0]
        bed.broker.faults.fail(.deleteMessage, with: AWSError(code: "ServiceUnavailable", message: "", statusCode: 503))
        do {
            try await message.process { _ in 1 }
            XCTFail("expected the ack's error")
        } catch let error as AWSError {
            XCTAssertEqual(error.action, "DeleteMessage")
        }
    }

    // MARK: Batch acknowledgement

    func testBatchAck_deletesEveryMessageTenPerCall_andReportsEach() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...12 { try await bed.publishCreated("http://things/\(index)") }
        var messages: [ConsumedMessage] = []
        while messages.count < 12 { messages += try await bed.consumer.consume() }
        bed.broker.faults.fail(.deleteMessage, with: AWSError(code: "NotUsed", message: "single deletes are not used", statusCode: 400))
        let report = await (try bed.consumer).ack(messages)
        XCTAssertTrue(report.allSucceeded, "\(report.failed)")
        XCTAssertEqual(report.succeeded.map(\.messageId), messages.map(\.messageId))
        let left = try await bed.broker.messages(in: bed.queueURL)
        XCTAssertEqual(left.count, 0)
    }

    func testBatchAck_failedCall_reportsEveryMessageOfThatCall() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...12 { try await bed.publishCreated("http://things/\(index)") }
        var messages: [ConsumedMessage] = []
        while messages.count < 12 { messages += try await bed.consumer.consume() }
        bed.broker.faults.fail(.deleteMessageBatch, with: AWSError(code: "ServiceUnavailable", message: "down", statusCode: 503), times: 1)
        let report = await (try bed.consumer).ack(messages)
        XCTAssertEqual(report.failed.map(\.message.messageId), messages.prefix(10).map(\.messageId))
        XCTAssertEqual(report.succeeded.map(\.messageId), messages.suffix(2).map(\.messageId))
        let failure = try XCTUnwrap(report.failed.first)
        XCTAssertTrue(failure.isRetryable)
        XCTAssertEqual(failure.action, "DeleteMessageBatch")
        XCTAssertTrue(failure.description.hasPrefix("DeleteMessageBatch on queue '\(bed.queueURL)': message \(messages[0].messageId): "),
                      failure.description)
        XCTAssertTrue(failure.description.contains("ServiceUnavailable"), failure.description)
        let left = try await bed.broker.messages(in: bed.queueURL)
        XCTAssertEqual(left.count, 10, "nothing of the failed call was deleted")
    }

    func testBatchNack_perMessageTimeouts_andBackoffForTheRest() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...3 { try await bed.publishCreated("http://things/\(index)") }
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 3)
        bed.broker.faults.fail(.changeMessageVisibility, with: AWSError(code: "NotUsed", message: "", statusCode: 400))
        let report = await (try bed.consumer).nack([(messages[0], 0), (messages[1], 30), (messages[2], nil)])
        XCTAssertTrue(report.allSucceeded, "\(report.failed)")
        XCTAssertEqual(report.succeeded.count, 3)

        let visible = try await bed.broker.visibleMessages(in: bed.queueURL)
        XCTAssertEqual(visible.map(\.messageId), [messages[0].messageId])
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.messageId), [messages[2].messageId, messages[1].messageId])
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(5), bed.clock.now.addingTimeInterval(30)])
    }

    func testBatchNack_oneTimeoutForAll_handsMessagesBack() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...2 { try await bed.publishCreated("http://things/\(index)") }
        let messages = try await bed.consumer.consume()
        let report = await (try bed.consumer).nack(messages, visibilityTimeout: 0)
        XCTAssertEqual(report.succeeded.count, 2)
        let visible = try await bed.broker.visibleMessages(in: bed.queueURL)
        XCTAssertEqual(Set(visible.map(\.messageId)), Set(messages.map(\.messageId)))
    }

    func testBatchNack_refusedEntry_isReportedWithItsCode_othersSucceed() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...2 { try await bed.publishCreated("http://things/\(index)") }
        let messages = try await bed.consumer.consume()
        try await messages[0].ack()
        let report = await (try bed.consumer).nack(messages)
        XCTAssertEqual(report.succeeded.map(\.messageId), [messages[1].messageId])
        XCTAssertEqual(report.failed.map(\.message.messageId), [messages[0].messageId])
        let failure = try XCTUnwrap(report.failed.first)
        XCTAssertEqual(failure.action, "ChangeMessageVisibilityBatch")
        XCTAssertEqual(failure.entry?.senderFault, true)
        XCTAssertFalse(failure.isRetryable)
        XCTAssertNotNil(failure.entry?.code)
    }

    func testBatchAck_entryTheReplyDoesNotMention_isReportedFailed_notDropped() async throws {
        let bed = try await ConsumerTestBed.make()
        for index in 1...2 { try await bed.publishCreated("http://things/\(index)") }
        let forgetful = ConsumerTamperingSQS(inner: bed.broker.sqs, forgetsBatchEntries: true)
        let consumer = SQSConsumer(source: .queue(bed.queueURL, client: forgetful), envelope: try bed.graph.sqsEnvelope, waitSeconds: 0)
        let messages = try await consumer.consume()
        let report = await consumer.ack(messages)
        XCTAssertEqual(report.succeeded.map(\.messageId), [messages[1].messageId])
        XCTAssertEqual(report.failed.map(\.message.messageId), [messages[0].messageId])
        XCTAssertEqual(report.failed.first?.entry?.code, "MissingFromReply")
        XCTAssertEqual(report.failed.first?.isRetryable, true)
    }

    func testBatchAck_emptyList_makesNoCall() async throws {
        let bed = try await ConsumerTestBed.make()
        bed.broker.faults.fail(.deleteMessageBatch, with: AWSError(code: "NotUsed", message: "", statusCode: 400))
        let report = await (try bed.consumer).ack([ConsumedMessage]())
        XCTAssertTrue(report.allSucceeded)
        XCTAssertEqual(report.succeeded.count, 0)
    }

    func testBatch_unreadableMessages_canBeNackedLikeAnyOther() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send("not json")
        let messages = try await bed.consumer.consume()
        XCTAssertNotNil(messages.first?.error)
        let report = await (try bed.consumer).nack(messages)
        XCTAssertTrue(report.allSucceeded)
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.map(\.visibleAt), [bed.clock.now.addingTimeInterval(5)])
    }
}
