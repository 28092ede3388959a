import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import XCTest

/// The graph's `aws_usage_meter`: its SNS and SQS clients, in-memory or real, count into it.
final class AWSUsageGraphTests: XCTestCase {
    func testInMemoryClients_countTheRequestsTheyWouldSendToAWS() async throws {
        let topicArn = "arn:aws:sns:us-east-1:123456789012:things"
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sns_topic_arns": ["default": .string(topicArn)]])
        let broker = try graph.pubsubBroker
        _ = try await broker.sns.createTopic(name: "things", attributes: [:])
        let queueURL = try await broker.sqs.createQueue(name: "things-worker", attributes: [:])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "things-worker"),
                                           attributes: [:])
        for index in 1...3 { _ = try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/\(index)") }
        let received = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10))
        XCTAssertEqual(received.count, 3)
        _ = try await graph.sqsClient.deleteMessageBatch(queueURL: queueURL, entries: received.enumerated().map {
            DeleteMessageBatchEntry(id: String($0.offset), receiptHandle: $0.element.receiptHandle)
        })
        _ = try await graph.sqsClient.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 0))

        let usage = try graph.awsUsageMeter.usage
        XCTAssertEqual(usage.operations, [
            AWSUsage.Operation(.sns, "Publish"): AWSUsage.Requests(calls: 3, units: 3),
            AWSUsage.Operation(.sqs, "ReceiveMessage"): AWSUsage.Requests(calls: 2, units: 2),
            AWSUsage.Operation(.sqs, "DeleteMessageBatch"): AWSUsage.Requests(calls: 1, units: 1),
        ], "the broker's own set-up calls are not the graph's")
        XCTAssertEqual([usage.messagesSent, usage.messagesReceived, usage.receives, usage.emptyReceives], [3, 3, 2, 1])
        XCTAssertEqual(usage.callsPerMessage, 2)
        XCTAssertEqual(usage.emptyReceiveRatio, 0.5)
        XCTAssertEqual(try XCTUnwrap(usage.costPerMillionMessages()), (3 * 0.50 + 3 * 0.40) / 3, accuracy: 1e-9)
    }

    func testInMemoryClients_onFIFOQueuesAndTopics_billAtTheFIFOPrices() async throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty)
        let topicArn = try await graph.snsClient.createTopic(name: "things.fifo", attributes: ["FifoTopic": "true"])
        let queueURL = try await graph.sqsClient.createQueue(name: "things.fifo", attributes: ["FifoQueue": "true"])
        _ = try await graph.snsClient.publish(PublishRequest(topicArn: topicArn, message: "m", messageGroupId: "g",
                                                             messageDeduplicationId: "d"))
        _ = try await graph.sqsClient.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: "m", messageGroupId: "g",
                                                                     messageDeduplicationId: "d"))
        let usage = try graph.awsUsageMeter.usage
        XCTAssertEqual(usage.operations, [
            AWSUsage.Operation(.sns, "CreateTopic"): AWSUsage.Requests(calls: 1, units: 1),
            AWSUsage.Operation(.snsFIFO, "Publish"): AWSUsage.Requests(calls: 1, units: 1),
            AWSUsage.Operation(.sqs, "CreateQueue"): AWSUsage.Requests(calls: 1, units: 1),
            AWSUsage.Operation(.sqsFIFO, "SendMessage"): AWSUsage.Requests(calls: 1, units: 1),
        ])
        XCTAssertEqual(usage.estimatedCost(), (0.50 + 0.30 + 0.40 + 0.50) / 1_000_000, accuracy: 1e-15)
    }

    func testRealClients_shareTheGraphsMeter() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sns_producer": ["endpoint_url": "http://127.0.0.1:9", "region_name": "eu-west-1"],
            "sqs_consumer": ["endpoint_url": "http://127.0.0.1:9", "region_name": "eu-west-1"],
        ])
        let meter = try graph.awsUsageMeter
        XCTAssertTrue(try XCTUnwrap(graph.snsClient as? SNSClient).client.usageMeter === meter)
        XCTAssertTrue(try XCTUnwrap(graph.sqsClient as? SQSClient).client.usageMeter === meter)
    }
}
