import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The graph's producer to a FIFO topic on a real emulator (moto or LocalStack), through to a
/// subscribed FIFO queue: the message groups and deduplication ids the producer gives arrive
/// with the messages, each group in order, and a duplicate within 5 minutes arrives once.
/// Skipped, saying why, without an emulator.
final class SNSProducerFIFOIntegrationTests: XCTestCase {
    private var endpoint: String!
    private var sns: SNSClient!
    private var sqs: SQSClient!
    private var topicArn: String!
    private var queueURL: String!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        (sns, sqs) = try Emulator.clients(logLabel: "producer-fifo-it")
        let (sns, sqs) = (sns!, sqs!)
        let topicArn = try await sns.createTopic(name: Emulator.uniqueName("producer-fifo") + ".fifo", attributes: [:])
        addTeardownBlock { try await sns.deleteTopic(topicArn: topicArn) }
        let queueURL = try await sqs.createQueue(name: Emulator.uniqueName("producer-fifo") + ".fifo", attributes: ["FifoQueue": "true"])
        addTeardownBlock { try await sqs.deleteQueue(queueURL: queueURL) }
        let queueAttributes = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])
        let queueArn = try XCTUnwrap(queueAttributes["QueueArn"])
        let subscription = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn, attributes: [:])
        addTeardownBlock { try await sns.unsubscribe(subscriptionArn: subscription) }
        (self.topicArn, self.queueURL) = (topicArn, queueURL)
    }

    /// Receives and deletes until `count` messages came or five long polls of one second came back
    /// short (a FIFO queue holds back a group while one of its messages is in flight).
    private func receiveAndDelete(count: Int) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        for _ in 0..<5 where messages.count < count {
            let received = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1))
            for message in received { try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle) }
            messages += received
        }
        return messages
    }

    private func graph() throws -> Graph {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sns_producer": ["endpoint_url": .string(endpoint), "region_name": .string(Emulator.region)],
            "sns_topic_arns": ["default": .string(topicArn)],
        ])
        try graph.use("sns_producer")
        graph.lock()
        return graph
    }

    /// The pubsub message inside SNS's envelope.
    private func content(_ message: SQSMessage) throws -> JSONValue {
        let envelope = try JSONParser.parse(message.body)
        XCTAssertEqual(envelope["TopicArn"]?.stringValue, topicArn)
        return try JSONParser.parse(try XCTUnwrap(envelope["Message"]?.stringValue))
    }

    func testProduce_toFIFOTopic_arrivesInOrderPerGroupWithTheProducersIds() async throws {
        let producer = try graph().snsProducer
        for (resource, step) in [("a", 1), ("b", 1), ("a", 2), ("a", 3), ("b", 2)] {
            try await producer.produce(.changed("Thing"), ["field_name": "step", "new_value": .string(String(step))],
                                       uri: "http://things/\(resource)")
        }
        let received = try await receiveAndDelete(count: 5)
        XCTAssertEqual(received.count, 5)
        var steps: [String: [String]] = [:]
        for message in received {
            let content = try content(message)
            let uri = try XCTUnwrap(content["uri"]?.stringValue)
            XCTAssertEqual(message.messageGroupId, uri, "grouped by the uri field")
            XCTAssertEqual(message.attributes["MessageDeduplicationId"], SHA256.hash(try XCTUnwrap(JSONParser.parse(message.body)["Message"]?.stringValue).utf8).hex,
                           "the SHA-256 of the message, as SNS's content-based deduplication")
            steps[uri, default: []].append(try XCTUnwrap(content["new_value"]?.stringValue))
        }
        XCTAssertEqual(steps, ["http://things/a": ["1", "2", "3"], "http://things/b": ["1", "2"]])
    }

    func testDeferredBatch_toFIFOTopic_publishesEntriesWithTheirIds() async throws {
        try await graph().snsProducer.deferredBatch { producer in
            for step in 1...3 {
                try producer.produce(.changed("Thing"), ["field_name": "step", "new_value": .string(String(step))], uri: "http://things/a",
                                     deduplicationId: "step-\(step)")
            }
        }
        let received = try await receiveAndDelete(count: 3)
        XCTAssertEqual(try received.map { try content($0)["new_value"]?.stringValue }, ["1", "2", "3"])
        XCTAssertEqual(received.map(\.messageGroupId), Array(repeating: "http://things/a", count: 3))
        XCTAssertEqual(received.map { $0.attributes["MessageDeduplicationId"] }, ["step-1", "step-2", "step-3"])
    }

    func testProduce_sameDeduplicationId_arrivesOnce() async throws {
        let producer = try graph().snsProducer
        try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        try await producer.produce(.created("Thing"), uri: "http://things/2", deduplicationId: "create-2")
        let received = try await receiveAndDelete(count: 3)
        XCTAssertEqual(try received.map { try content($0)["uri"]?.stringValue }, ["http://things/1", "http://things/2"])
    }
}
