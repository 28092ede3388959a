import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// `Graph.pubsubTesting`: a testing graph whose broker already has the configured topics and queue.
final class PubSubTestingGraphTests: XCTestCase {
    private let queueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker"

    func testPubSubTesting_isATestingGraphOnTheBroker() async throws {
        let graph = try await Graph.pubsubTesting()
        XCTAssertTrue(graph.metadata.testing)
        XCTAssertEqual(graph.metadata.name, "test")
        XCTAssertTrue(try graph.snsClient is InMemorySNS)
        XCTAssertTrue(try graph.pubsubBroker.recordsPublications)
        let published = try await graph.published
        XCTAssertEqual(published, [])
    }

    func testPubSubTesting_createsEveryConfiguredTopic() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", config: ["sns_topic_arns": [
            "default": .string(ordersTopic),
            "mappings": [noteAdded.rawValue: .string(auditTopic)],
            "created": ["order": .string(ordersTopic)],
        ]])
        for topicArn in [ordersTopic, auditTopic] {
            let attributes = try await graph.snsClient.getTopicAttributes(topicArn: topicArn)
            XCTAssertEqual(attributes["TopicArn"], topicArn)
        }
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"], to: auditTopic)
        await XCTAssertPublished(graph, [.message(.created("Order"), topic: auditTopic)])
    }

    func testPubSubTesting_ignoresTheEnvironment() async throws {
        setenv("ENVIGNORED__SNS_TOPIC_ARNS__DEFAULT", "not-an-arn", 1)
        defer { unsetenv("ENVIGNORED__SNS_TOPIC_ARNS__DEFAULT") }
        let standard = try Graph(name: "envignored", registry: .pubsub)
        XCTAssertEqual(standard.config.value(at: "sns_topic_arns.default"), "not-an-arn", "the variable does reach ordinary graphs")
        let graph = try await Graph.pubsubTesting(name: "envignored")
        XCTAssertEqual(graph.config.value(at: "sns_topic_arns.default") ?? .null, .null, "only the declared default, null")
    }

    func testPubSubTesting_configuredQueue_receivesWhatIsPublished_wrapped() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", config: [
            "sns_topic_arns": ["default": .string(ordersTopic), "mappings": [noteAdded.rawValue: .string(auditTopic)]],
            "sqs_consumer": ["sqs_queue_url": .string(queueURL)],
        ])
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, .created("Order"), ["uri": "http://orders/2"], to: auditTopic)
        let received = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10))
        XCTAssertEqual(received.count, 2)
        let envelopes = try received.map { try JSONParser.parse($0.body) }
        XCTAssertEqual(Set(envelopes.compactMap { $0["TopicArn"]?.stringValue }), [ordersTopic, auditTopic])
        let messages = try envelopes.map { try graph.pubsubMessageSchemaRegistry.decode(try XCTUnwrap($0["Message"]?.stringValue)) }
        XCTAssertEqual(Set(messages.compactMap(\.uri)), ["http://orders/1", "http://orders/2"])
    }

    func testPubSubTesting_rawEnvelope_subscribesWithRawDelivery() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", config: [
            "sns_topic_arns": ["default": .string(ordersTopic)],
            "sqs_consumer": ["sqs_queue_url": .string(queueURL)],
            "sqs_envelope": ["strategy_name": "RawSQSEnvelope"],
        ])
        let text = try graph.pubsubMessageSchemaRegistry.encode(.created("Order"), fields: ["uri": "http://orders/1"])
        try await publish(graph, text: text)
        let received = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(received.map(\.body), [text])
    }

    func testPubSubTesting_fifoQueue_subscribesToFIFOTopicsOnly() async throws {
        let fifoTopic = "arn:aws:sns:us-east-1:123456789012:orders.fifo"
        let fifoQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker.fifo"
        let graph = try await Graph.pubsubTesting(name: "orders", config: [
            "sns_topic_arns": ["default": .string(ordersTopic), "mappings": [noteAdded.rawValue: .string(fifoTopic)]],
            "sqs_consumer": ["sqs_queue_url": .string(fifoQueue)],
        ])
        let attributes = try await graph.snsClient.getTopicAttributes(topicArn: fifoTopic)
        XCTAssertEqual(attributes["FifoTopic"], "true")
        let subscriptions = try await graph.snsClient.listSubscriptionsByTopic(topicArn: fifoTopic)
        XCTAssertEqual(subscriptions.map(\.endpoint), ["arn:aws:sqs:us-east-1:123456789012:orders-worker.fifo"])
        let none = try await graph.snsClient.listSubscriptionsByTopic(topicArn: ordersTopic)
        XCTAssertEqual(none.count, 0)
    }

    func testPubSubTesting_queueThatIsNotAURL_isNotCreated() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", config: ["sqs_consumer": ["sqs_queue_url": "STDIN"]])
        do {
            _ = try await graph.sqsClient.getQueueURL(queueName: "STDIN")
            XCTFail("a queue named STDIN was created")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        }
    }

    func testPubSubTesting_takesRegionAndAccountFromTheConfiguredARNs() async throws {
        let topicArn = "arn:aws:sns:eu-west-1:000000000000:orders"
        let queue = "https://sqs.eu-west-1.amazonaws.com/000000000000/orders-worker"
        let graph = try await Graph.pubsubTesting(name: "orders", config: [
            "sns_topic_arns": ["default": .string(topicArn)], "sqs_consumer": ["sqs_queue_url": .string(queue)],
        ])
        let broker = try graph.pubsubBroker
        XCTAssertEqual(broker.region, "eu-west-1")
        XCTAssertEqual(broker.accountId, "000000000000")
        XCTAssertTrue(broker.recordsPublications)
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"], to: topicArn)
        let received = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queue))
        XCTAssertEqual(received.count, 1)
        await XCTAssertPublished(graph, [.message(.created("Order"), uri: "http://orders/1", topic: topicArn)])
    }

    func testPubSubTesting_runsTheBrokerOnTheGivenClock() async throws {
        let clock = ManualBrokerClock()
        let graph = try await Graph.pubsubTesting(name: "orders", config: [
            "sns_topic_arns": ["default": .string(ordersTopic)], "sqs_consumer": ["sqs_queue_url": .string(queueURL)],
        ], clock: clock)
        XCTAssertTrue(try graph.pubsubBroker.clock as? ManualBrokerClock === clock)
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        let first = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, visibilityTimeout: 30))
        XCTAssertEqual(first.count, 1)
        let hidden = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(hidden.count, 0)
        clock.advance(by: .seconds(30))
        let again = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL))
        XCTAssertEqual(again.map(\.messageId), first.map(\.messageId), "visible again once the clock passed its timeout")
        let published = try await graph.published
        XCTAssertEqual(published.map(\.publication.publishedAt), [clock.now.addingTimeInterval(-30)])
    }

    func testPubSubTesting_faultsApplyToTheGraphsClients() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", config: ["sns_topic_arns": ["default": .string(ordersTopic)]])
        try graph.pubsubBroker.faults.fail(.publish, with: AWSError(code: "InternalError", message: "boom", statusCode: 500), times: 1)
        do {
            try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
            XCTFail("the fault did not apply")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InternalError")
        }
        try await publish(graph, .created("Order"), ["uri": "http://orders/2"])
        await XCTAssertPublished(graph, [.message(.created("Order"), uri: "http://orders/2")], "the failed publish is not recorded")
    }

    func testPubSubTesting_topicThatIsNotAnARN_throwsNamingTheKey() async throws {
        do {
            _ = try await Graph.pubsubTesting(name: "orders", config: ["sns_topic_arns": ["default": "orders"]])
            XCTFail("no error")
        } catch let error as PubSubTestingError {
            XCTAssertEqual(error.code, .badTopicArn)
            XCTAssertEqual(error.description,
                           "sns_topic_arns.default: 'orders' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)")
        }
    }

    func testPubSubTesting_topicsInOtherAccountsOrRegions_throwNamingTheKey() async throws {
        let cases: [(JSONObject, String)] = [
            (["sns_topic_arns": ["default": .string(ordersTopic), "mappings": ["m": "arn:aws:sns:us-east-1:000000000000:audit"]]],
             "sns_topic_arns.mappings.m: 'arn:aws:sns:us-east-1:000000000000:audit' is not in account 123456789012"),
            (["sns_topic_arns": ["default": .string(ordersTopic), "mappings": ["m": "arn:aws:sns:eu-west-1:123456789012:audit"]]],
             "sns_topic_arns.mappings.m: 'arn:aws:sns:eu-west-1:123456789012:audit' is not in region us-east-1"),
            (["sns_topic_arns": ["default": .string(ordersTopic)],
              "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/000000000000/orders-worker"]],
             "sqs_consumer.sqs_queue_url: 'https://sqs.us-east-1.amazonaws.com/000000000000/orders-worker' is not in account 123456789012"),
        ]
        for (config, prefix) in cases {
            do {
                _ = try await Graph.pubsubTesting(name: "orders", config: config)
                XCTFail("no error for \(prefix)")
            } catch let error as PubSubTestingError {
                XCTAssertEqual(error.code, .otherAccount, "\(error)")
                XCTAssertTrue(error.description.hasPrefix(prefix), "\(error)")
            }
        }
    }
}
