import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// The record of publications and the queue inspection helpers tests build on.
final class PublicationRecordTests: XCTestCase {
    func testPublications_recordEveryAcceptedMessage() async throws {
        let harness = BrokerHarness()
        let first = try await harness.sns.createTopic(name: "first", attributes: [:])
        let second = try await harness.sns.createTopic(name: "second", attributes: [:])
        let attributes: [String: MessageAttributeValue] = ["media_type": .string("application/vnd.globality.pubsub._.created.foo")]
        let published = try await harness.sns.publish(PublishRequest(topicArn: first, message: "one", subject: "s",
                                                                     messageAttributes: attributes))
        harness.clock.advance(by: .seconds(1))
        _ = try await harness.sns.publish(PublishRequest(topicArn: second, message: "two"))

        let all = await harness.broker.publications
        XCTAssertEqual(all.map(\.message), ["one", "two"])
        XCTAssertEqual(all[0], BrokerPublication(topicArn: first, message: "one", subject: "s", messageAttributes: attributes,
                                                 messageId: published.messageId, publishedAt: harness.clock.now.addingTimeInterval(-1)))
        let toSecond = await harness.broker.publications(to: second)
        XCTAssertEqual(toSecond.map(\.message), ["two"])
        await harness.broker.clearPublications()
        let cleared = await harness.broker.publications
        XCTAssertEqual(cleared, [])
    }

    func testPublications_notRecordedWhenTurnedOff() async throws {
        let harness = BrokerHarness(recordsPublications: false)
        let (topicArn, url) = try await harness.topicAndQueue()
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let published = await harness.broker.publications
        XCTAssertEqual(published, [])
        let delivered = try await harness.receive(url)
        XCTAssertEqual(delivered.count, 1)
    }

    func testInspection_showsVisibleInFlightAndDelayedWithoutReceiving() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        try await harness.send(["a", "b"], to: url)
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "later", delaySeconds: 9))
        let received = try await harness.receive(url, max: 1)

        let visible = try await harness.broker.visibleMessages(in: url)
        XCTAssertEqual(visible.map(\.body), ["b"])
        XCTAssertEqual(visible.map(\.state), [.visible])
        let inFlight = try await harness.broker.inFlightMessages(in: url)
        XCTAssertEqual(inFlight.map(\.messageId), received.map(\.messageId))
        XCTAssertEqual(inFlight.first?.receiveCount, 1)
        XCTAssertEqual(inFlight.first?.visibleAt, harness.clock.now.addingTimeInterval(30))
        let delayed = try await harness.broker.delayedMessages(in: url)
        XCTAssertEqual(delayed.map(\.body), ["later"])
        let all = try await harness.broker.messages(in: url)
        XCTAssertEqual(all.map(\.body), ["b", "a", "later"])
        let again = try await harness.receive(url)
        XCTAssertEqual(again.map(\.body), ["b"], "inspection did not receive anything")
    }

    func testInspection_missingQueue_throwsNonExistentQueue() async throws {
        let harness = BrokerHarness()
        await assertAWSError("AWS.SimpleQueueService.NonExistentQueue") {
            try await harness.broker.messages(in: harness.broker.queueURL(named: "nowhere"))
        }
    }

    func testAdapters_areTheBrokerAsSNSAPIAndSQSAPI() async throws {
        let broker = InMemoryBroker(clock: ManualBrokerClock())
        let sns: any SNSAPI = broker.sns
        let sqs: any SQSAPI = broker.sqs
        let topicArn = try await sns.createTopic(name: "t", attributes: [:])
        let url = try await sqs.createQueue(name: "q", attributes: [:])
        _ = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "q"),
                                    attributes: ["RawMessageDelivery": "true"])
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let received = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url))
        XCTAssertEqual(received.map(\.body), ["m"])
        XCTAssertEqual(broker.topicArn(named: "t"), topicArn)
        XCTAssertEqual(broker.queueURL(named: "q"), url)
    }
}
