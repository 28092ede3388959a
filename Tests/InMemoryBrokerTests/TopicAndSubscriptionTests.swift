import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// CreateTopic, DeleteTopic, GetTopicAttributes, Subscribe, Unsubscribe, ListSubscriptionsByTopic.
final class TopicAndSubscriptionTests: XCTestCase {
    func testPublish_toUnknownTopic_createsItOnlyWhenAsked() async throws {
        let arn = "arn:aws:sns:eu-west-1:111122223333:orders"
        let strict = InMemoryBroker()
        do {
            _ = try await strict.sns.publish(PublishRequest(topicArn: arn, message: "m"))
            XCTFail("published to a topic that does not exist")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
        }
        let lenient = InMemoryBroker(createsTopicsOnPublish: true)
        _ = try await lenient.sns.publish(PublishRequest(topicArn: arn, message: "m"))
        let batch = try await lenient.sns.publishBatch(topicArn: "arn:aws:sns:eu-west-1:111122223333:events.fifo",
                                                       entries: [PublishBatchEntry(id: "a", message: "m", messageGroupId: "g",
                                                                                   messageDeduplicationId: "d")])
        XCTAssertEqual(batch.failed, [])
        let standard = try await lenient.sns.getTopicAttributes(topicArn: arn)
        let fifo = try await lenient.sns.getTopicAttributes(topicArn: "arn:aws:sns:eu-west-1:111122223333:events.fifo")
        XCTAssertEqual(standard["TopicArn"], arn)
        XCTAssertEqual(fifo["FifoTopic"], "true")
        let published = await lenient.publications
        XCTAssertEqual(published.map(\.topicArn), [arn, "arn:aws:sns:eu-west-1:111122223333:events.fifo"])
    }

    func testCreateTopic_returnsArnAndIsIdempotent() async throws {
        let harness = BrokerHarness()
        let arn = try await harness.sns.createTopic(name: "things", attributes: ["DisplayName": "Things"])
        XCTAssertEqual(arn, "arn:aws:sns:us-east-1:123456789012:things")
        let again = try await harness.sns.createTopic(name: "things", attributes: [:])
        XCTAssertEqual(again, arn)
    }

    func testCreateTopic_existingWithDifferentAttributes_throwsInvalidParameter() async throws {
        let harness = BrokerHarness()
        _ = try await harness.sns.createTopic(name: "things", attributes: ["DisplayName": "Things"])
        await assertAWSError("InvalidParameter", mentioning: "different attributes") {
            try await harness.sns.createTopic(name: "things", attributes: ["DisplayName": "Other"])
        }
    }

    func testCreateTopic_unknownAttribute_throwsInvalidParameter() async throws {
        let harness = BrokerHarness()
        await assertAWSError("InvalidParameter", mentioning: "Colour") {
            try await harness.sns.createTopic(name: "things", attributes: ["Colour": "blue"])
        }
        await assertAWSError("InvalidParameter", mentioning: "ContentBasedDeduplication") {
            try await harness.sns.createTopic(name: "things", attributes: ["ContentBasedDeduplication": "true"])
        }
    }

    func testGetTopicAttributes_reportsArnOwnerSubscriptionsAndGivenAttributes() async throws {
        let harness = BrokerHarness()
        let (topicArn, _) = try await harness.topicAndQueue(topicAttributes: ["DisplayName": "Things"])
        let attributes = try await harness.sns.getTopicAttributes(topicArn: topicArn)
        XCTAssertEqual(attributes["TopicArn"], topicArn)
        XCTAssertEqual(attributes["Owner"], "123456789012")
        XCTAssertEqual(attributes["DisplayName"], "Things")
        XCTAssertEqual(attributes["SubscriptionsConfirmed"], "1")
        XCTAssertNil(attributes["FifoTopic"])
    }

    func testCreateTopic_fifoName_makesFifoTopic() async throws {
        let harness = BrokerHarness()
        let arn = try await harness.sns.createTopic(name: "things.fifo", attributes: [:])
        let attributes = try await harness.sns.getTopicAttributes(topicArn: arn)
        XCTAssertEqual(attributes["FifoTopic"], "true")
    }

    func testTopicCalls_onMissingTopic_throwNotFound() async throws {
        let harness = BrokerHarness()
        let missing = "arn:aws:sns:us-east-1:123456789012:missing"
        await assertAWSError("NotFound", mentioning: missing) { try await harness.sns.getTopicAttributes(topicArn: missing) }
        await assertAWSError("NotFound", mentioning: missing) { try await harness.sns.listSubscriptionsByTopic(topicArn: missing) }
        await assertAWSError("NotFound", mentioning: missing) {
            try await harness.sns.publish(PublishRequest(topicArn: missing, message: "m"))
        }
        await assertAWSError("NotFound", mentioning: missing) {
            try await harness.sns.subscribe(topicArn: missing, protocol: "sqs", endpoint: harness.broker.queueArn(named: "q"),
                                            attributes: [:])
        }
        // Deleting a missing topic is not an error in SNS.
        try await harness.sns.deleteTopic(topicArn: missing)
    }

    func testSubscribe_listsSubscriptionWithQueueEndpoint() async throws {
        let harness = BrokerHarness()
        let (topicArn, _) = try await harness.topicAndQueue()
        let subscriptions = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)
        XCTAssertEqual(subscriptions.count, 1)
        XCTAssertEqual(subscriptions[0].topicArn, topicArn)
        XCTAssertEqual(subscriptions[0].protocol, "sqs")
        XCTAssertEqual(subscriptions[0].endpoint, "arn:aws:sqs:us-east-1:123456789012:things-worker")
        XCTAssertEqual(subscriptions[0].owner, "123456789012")
        XCTAssertTrue(subscriptions[0].subscriptionArn.hasPrefix(topicArn + ":"))
    }

    func testSubscribe_sameQueueTwice_returnsSameSubscription() async throws {
        let harness = BrokerHarness()
        let (topicArn, _) = try await harness.topicAndQueue()
        let endpoint = harness.broker.queueArn(named: "things-worker")
        let first = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)[0].subscriptionArn
        let again = try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint, attributes: [:])
        XCTAssertEqual(again, first)
        await assertAWSError("InvalidParameter", mentioning: "different attributes") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint,
                                            attributes: ["RawMessageDelivery": "true"])
        }
    }

    func testSubscribe_protocolOtherThanSQS_throwsInvalidParameter() async throws {
        let harness = BrokerHarness()
        let topicArn = try await harness.sns.createTopic(name: "things", attributes: [:])
        await assertAWSError("InvalidParameter", mentioning: "https") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "https", endpoint: "https://example.com/hook", attributes: [:])
        }
    }

    func testSubscribe_unsupportedAttribute_throwsInvalidParameter() async throws {
        let harness = BrokerHarness()
        let topicArn = try await harness.sns.createTopic(name: "things", attributes: [:])
        let endpoint = harness.broker.queueArn(named: "q")
        await assertAWSError("InvalidParameter", mentioning: "DeliveryPolicy") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint, attributes: ["DeliveryPolicy": "{}"])
        }
        await assertAWSError("InvalidParameter", mentioning: "MessageBody") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint,
                                            attributes: ["FilterPolicyScope": "MessageBody"])
        }
        await assertAWSError("InvalidParameter", mentioning: "RawMessageDelivery") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint,
                                            attributes: ["RawMessageDelivery": "yes"])
        }
        let subscriptions = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)
        XCTAssertEqual(subscriptions, [])
    }

    func testSubscribe_fifoQueueToStandardTopic_throwsInvalidParameter() async throws {
        let harness = BrokerHarness()
        let topicArn = try await harness.sns.createTopic(name: "things", attributes: [:])
        await assertAWSError("InvalidParameter", mentioning: "FIFO SQS Queues can not be subscribed to standard SNS topics") {
            try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: harness.broker.queueArn(named: "q.fifo"),
                                            attributes: [:])
        }
    }

    func testUnsubscribe_stopsDelivery() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue()
        let subscriptionArn = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)[0].subscriptionArn
        try await harness.sns.unsubscribe(subscriptionArn: subscriptionArn)
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received, [])
        await assertAWSError("NotFound", mentioning: subscriptionArn) {
            try await harness.sns.unsubscribe(subscriptionArn: subscriptionArn)
        }
    }

    func testDeleteTopic_removesItsSubscriptions() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue()
        try await harness.sns.deleteTopic(topicArn: topicArn)
        await assertAWSError("NotFound") { try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m")) }
        let recreated = try await harness.sns.createTopic(name: "things", attributes: [:])
        _ = try await harness.sns.publish(PublishRequest(topicArn: recreated, message: "m"))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received, [])
        let subscriptions = try await harness.sns.listSubscriptionsByTopic(topicArn: recreated)
        XCTAssertEqual(subscriptions, [])
    }

    func testSubscribe_toQueueCreatedLater_deliversOnceItExists() async throws {
        let harness = BrokerHarness()
        let topicArn = try await harness.sns.createTopic(name: "things", attributes: [:])
        _ = try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: harness.broker.queueArn(named: "late"),
                                            attributes: ["RawMessageDelivery": "true"])
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "lost"))
        let queueURL = try await harness.queue("late")
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "kept"))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received.map(\.body), ["kept"])
    }
}
