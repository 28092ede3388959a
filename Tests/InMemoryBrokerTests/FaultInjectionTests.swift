import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Injected errors, latency and outages, applied in the adapters like a slow, failing or
/// unreachable AWS: before the broker acts (nothing changes) or after it (the call took effect,
/// the caller sees an error).
final class FaultInjectionTests: XCTestCase {
    private let throttled = AWSError(code: "ThrottlingException", message: "Rate exceeded", statusCode: 400)

    func testFail_times_throwsThatManyTimesThenWorks() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        harness.broker.faults.fail(.receiveMessage, with: throttled, times: 2)
        for _ in 0..<2 {
            do {
                _ = try await harness.receive(url)
                XCTFail("expected the injected error")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "ThrottlingException")
                XCTAssertEqual(error.service, "SQS")
                XCTAssertEqual(error.action, "ReceiveMessage")
                XCTAssertTrue(error.isThrottling)
            }
        }
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["a"])
        XCTAssertEqual(received.first?.receiveCount, 1, "the failed receives took nothing")
    }

    func testFail_untilCleared_andOnlyThatAction() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue()
        harness.broker.faults.fail(.publish, with: AWSError(code: "InternalError", message: "boom", statusCode: 500))
        for _ in 0..<3 {
            await assertAWSError("InternalError") { try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m")) }
        }
        let published = await harness.broker.publications
        XCTAssertEqual(published, [], "a failed publish changes nothing")
        try await harness.send(["direct"], to: url)
        harness.broker.faults.clearFailure(.publish)
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let received = try await harness.receive(url)
        XCTAssertEqual(received.count, 2)
    }

    func testFail_deleteMessageBatch_failsWholeCallAndDeletesNothing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url)[0]
        harness.broker.faults.fail(.deleteMessageBatch, with: throttled, times: 1)
        await assertAWSError("ThrottlingException") {
            try await harness.sqs.deleteMessageBatch(queueURL: url, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: message.receiptHandle)])
        }
        let inFlight = try await harness.broker.inFlightMessages(in: url)
        XCTAssertEqual(inFlight.map(\.messageId), [message.messageId])
    }

    func testLatency_sleepsOnTheBrokerClockBeforeActing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        harness.broker.faults.setLatency(.milliseconds(10))
        let sqs = harness.sqs
        let send = Task { try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "slow")) }
        let guardDeadline = ContinuousClock.now + hangGuard
        while harness.clock.sleeperCount == 0, ContinuousClock.now < guardDeadline { await Task.yield() }
        let before = try await harness.broker.messages(in: url)
        XCTAssertEqual(before, [], "nothing happens until the latency has passed")
        harness.clock.advance(by: .milliseconds(10))
        _ = try await value(of: send)
        let after = try await harness.broker.messages(in: url)
        XCTAssertEqual(after.map(\.body), ["slow"])
    }

    func testLatency_perActionOverridesAll_andResetRemovesIt() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        harness.broker.faults.setLatency(.seconds(1))
        harness.broker.faults.setLatency(.zero, for: .sendMessage)
        try await harness.send(["fast"], to: url)
        harness.broker.faults.reset()
        let received = try await harness.receive(url)
        XCTAssertEqual(received.map(\.body), ["fast"])
    }

    func testLatencyThenError_aSlowFailure() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        harness.broker.faults.setLatency(.seconds(2), for: .receiveMessage)
        harness.broker.faults.fail(.receiveMessage, with: throttled, times: 1)
        let sqs = harness.sqs
        let poll = Task { try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url)) }
        let guardDeadline = ContinuousClock.now + hangGuard
        while harness.clock.sleeperCount == 0, ContinuousClock.now < guardDeadline { await Task.yield() }
        harness.clock.advance(by: .seconds(2))
        do {
            _ = try await value(of: poll)
            XCTFail("expected the injected error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "ThrottlingException")
        }
    }

    func testValidationComesBeforeFaults() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        harness.broker.faults.fail(.receiveMessage, with: throttled, times: 1)
        await assertValidationError("MaxNumberOfMessages") { try await harness.receive(url, max: 11) }
        await assertAWSError("ThrottlingException") { try await harness.receive(url) }
    }
    func testFail_afterApplying_actsThenThrows_soTheCallTookEffect() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a"], to: url)
        let message = try await harness.receive(url)[0]
        let reset = HTTPTransportError(.connectionClosed, url: url, detail: "Connection reset by peer")
        harness.broker.faults.fail(.deleteMessageBatch, with: reset, times: 1, afterApplying: true)
        do {
            _ = try await harness.sqs.deleteMessageBatch(queueURL: url, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: message.receiptHandle)])
            XCTFail("expected the injected reset")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error, reset, "a transport error is thrown as it is")
        }
        let left = try await harness.broker.messages(in: url)
        XCTAssertEqual(left, [], "deleted all the same")
        let again = try await harness.sqs.deleteMessageBatch(queueURL: url, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: message.receiptHandle)])
        XCTAssertEqual(again.successful, ["a"], "the retry of an applied delete succeeds, as on SQS")
    }

    func testFail_afterApplying_aReceive_takesTheMessagesTheCallerNeverSees() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue(attributes: ["VisibilityTimeout": "10"])
        try await harness.send(["a"], to: url)
        let cut = HTTPTransportError(.connectionClosed, url: url, detail: "transfer closed with 187 bytes remaining to read")
        harness.broker.faults.fail(.receiveMessage, with: cut, times: 1, afterApplying: true)
        do {
            _ = try await harness.receive(url)
            XCTFail("expected the injected error")
        } catch is HTTPTransportError {}
        let empty = try await harness.receive(url)
        XCTAssertEqual(empty, [], "in flight for the receive whose reply was lost")
        harness.clock.advance(by: .seconds(10))
        let back = try await harness.receive(url)
        XCTAssertEqual(back.map(\.body), ["a"])
        XCTAssertEqual(back.first?.receiveCount, 2)
    }

    func testRefuseConnections_failsEveryCallBeforeActing_untilTheBrokerClockPassesTheOutage() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue()
        harness.broker.faults.refuseConnections(for: .seconds(25))
        for _ in 0..<2 {
            do {
                _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
                XCTFail("expected the outage")
            } catch let error as HTTPTransportError {
                XCTAssertEqual(error.kind, .connectFailed)
                XCTAssertTrue(error.isRetryable)
            }
            do {
                _ = try await harness.sqs.getQueueAttributes(queueURL: url, names: ["All"])
                XCTFail("expected the outage")
            } catch is HTTPTransportError {}
            harness.clock.advance(by: .seconds(12))
        }
        let published = await harness.broker.publications
        XCTAssertEqual(published, [], "nothing happened during the outage")
        harness.clock.advance(by: .seconds(1))
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let received = try await harness.receive(url)
        XCTAssertEqual(received.count, 1, "25 s later every call works again")
    }

    func testEndOutage_endsItAtOnce_andAnOutageCanCarryItsOwnError() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        harness.broker.faults.refuseConnections(for: .seconds(60), with: AWSError(code: "ServiceUnavailable", message: "down", statusCode: 503))
        await assertAWSError("ServiceUnavailable") { try await harness.receive(url) }
        harness.broker.faults.endOutage()
        let received = try await harness.receive(url)
        XCTAssertEqual(received, [])
    }
}
