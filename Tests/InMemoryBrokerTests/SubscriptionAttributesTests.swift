import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// GetSubscriptionAttributes and SetSubscriptionAttributes on the in-memory broker.
final class SubscriptionAttributesTests: XCTestCase {
    private func subscribed(_ attributes: [String: String] = [:]) async throws -> (InMemoryBroker, String, String, String) {
        let broker = InMemoryBroker()
        let topicArn = try await broker.sns.createTopic(name: "orders", attributes: [:])
        let queueURL = try await broker.sqs.createQueue(name: "orders-daemon", attributes: [:])
        let subscriptionArn = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "orders-daemon"),
                                                             attributes: attributes)
        return (broker, topicArn, queueURL, subscriptionArn)
    }

    private func publish(_ broker: InMemoryBroker, _ topicArn: String, mediaType: String) async throws {
        _ = try await broker.sns.publish(PublishRequest(topicArn: topicArn, message: #"{"n": 1}"#,
                                                        messageAttributes: ["media_type": .string(mediaType)]))
    }

    func testGet_reportsTheSubscriptionAndItsSettings() async throws {
        let (broker, topicArn, _, subscriptionArn) = try await subscribed(["FilterPolicy": #"{"media_type": ["a"]}"#])
        let attributes = try await broker.sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertEqual(attributes["SubscriptionArn"], subscriptionArn)
        XCTAssertEqual(attributes["TopicArn"], topicArn)
        XCTAssertEqual(attributes["Endpoint"], broker.queueArn(named: "orders-daemon"))
        XCTAssertEqual(attributes["Protocol"], "sqs")
        XCTAssertEqual(attributes["RawMessageDelivery"], "false")
        XCTAssertEqual(attributes["FilterPolicy"], #"{"media_type": ["a"]}"#)
    }

    func testSetRawMessageDelivery_changesWhatTheQueueReceives() async throws {
        let (broker, topicArn, queueURL, subscriptionArn) = try await subscribed()
        try await broker.sns.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: "RawMessageDelivery", value: "true")
        try await publish(broker, topicArn, mediaType: "a")
        let received = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(received.first?.body, #"{"n": 1}"#, "raw: the message itself, no envelope")
        let attributes = try await broker.sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertEqual(attributes["RawMessageDelivery"], "true")
    }

    func testSetFilterPolicy_filters_andAnEmptyObjectRemovesIt() async throws {
        let (broker, topicArn, queueURL, subscriptionArn) = try await subscribed()
        try await broker.sns.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: "FilterPolicy", value: #"{"media_type": ["a"]}"#)
        try await publish(broker, topicArn, mediaType: "b")
        let filtered = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(filtered.count, 0)
        try await broker.sns.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: "FilterPolicy", value: "{}")
        let attributes = try await broker.sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertNil(attributes["FilterPolicy"])
        try await publish(broker, topicArn, mediaType: "b")
        let delivered = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(delivered.count, 1)
    }

    func testSet_unsupportedOrInvalid_throwsInvalidParameter_andChangesNothing() async throws {
        let (broker, _, _, subscriptionArn) = try await subscribed()
        for (name, value) in [("RawMessageDelivery", "yes"), ("DeliveryPolicy", "{}"), ("FilterPolicy", "[1]")] {
            do {
                try await broker.sns.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: name, value: value)
                XCTFail("\(name) \(value) was accepted")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "InvalidParameter", "\(name)")
            }
        }
        let attributes = try await broker.sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertEqual(attributes["RawMessageDelivery"], "false")
        XCTAssertNil(attributes["FilterPolicy"])
    }

    func testUnknownSubscription_isNotFound() async throws {
        let broker = InMemoryBroker()
        let arn = "arn:aws:sns:us-east-1:123456789012:orders:00000000-0000-0000-0000-000000000000"
        do {
            _ = try await broker.sns.getSubscriptionAttributes(subscriptionArn: arn)
            XCTFail("found a subscription that does not exist")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
        }
        do {
            try await broker.sns.setSubscriptionAttribute(subscriptionArn: arn, name: "RawMessageDelivery", value: "true")
            XCTFail("changed a subscription that does not exist")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
        }
    }
}
