import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The graph's producer against a real emulator, moto or LocalStack (with the fake credentials
/// scripts/test exports); skipped, saying why, when there is none. Messages go through an SNS topic
/// to a subscribed SQS queue, and what arrives is compared with what microcosm-pubsub wrote.
final class SNSProducerIntegrationTests: XCTestCase {
    private var endpoint: String!
    private var sns: SNSClient!
    private var sqs: SQSClient!
    private var topicArn: String!
    private var queueURL: String!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        (sns, sqs) = try Emulator.clients(logLabel: "producer-it")
        let subscribed = try await Emulator.subscribedQueue("producer", sns: sns, sqs: sqs, in: self)
        topicArn = subscribed.topicArn
        queueURL = subscribed.queueURL
    }

    /// A graph (not testing) whose producer talks to the emulator.
    private func graph(_ topics: JSONObject = [:]) throws -> Graph {
        try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sns_producer": ["endpoint_url": .string(endpoint), "region_name": .string(Emulator.region)],
            "sns_topic_arns": .object(Configuration.merge(["default": .string(topicArn)], topics)),
        ])
    }

    /// Receives until `count` messages came or ten long polls of one second came back short.
    private func receive(count: Int) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        for _ in 0..<10 where messages.count < count {
            messages += try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1))
        }
        return messages
    }

    private func envelope(_ message: SQSMessage) throws -> JSONValue {
        let envelope = try JSONParser.parse(message.body)
        XCTAssertEqual(envelope["Type"]?.stringValue, "Notification")
        XCTAssertEqual(envelope["TopicArn"]?.stringValue, topicArn)
        return envelope
    }

    func testProduce_createdChangedDeleted_arriveFieldForFieldAsPythonWroteThem() async throws {
        let graph = try graph()
        try graph.use("sns_producer")
        graph.lock()
        XCTAssertTrue(try graph.snsClient is SNSClient, "a real client, not the in-memory broker")
        let producer = try graph.snsProducer
        let opaque: OpaqueValues = ["X-Request-Id": "req-123"]
        var messageIds: [MediaType: String] = [:]
        messageIds[.created("FooBar")] = try await producer.produce(.created("FooBar"), uri: "http://example.com/foo_bars/1", opaqueData: opaque)
        messageIds[.changed("FooBar")] = try await producer.produce(.changed("FooBar"), ["field_name": "state", "new_value": "done"],
                                                                    uri: "http://example.com/foo_bars/1", opaqueData: opaque)
        messageIds[.deleted("FooBar")] = try await producer.produce(.deleted("FooBar"), ["id": "1"], opaqueData: opaque)

        // What Python's SNSProducer.produce wrote for the same calls (scripts/make-wire-fixtures), by media type.
        var python: [String: String] = [:]
        for fixture in try WireFixtures.received(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-wrapped.json")) {
            python[fixture.mediaTypeAttribute ?? ""] = fixture.message
        }
        let received = try await receive(count: 3)
        XCTAssertEqual(received.count, 3)
        for message in received {
            let envelope = try envelope(message)
            let mediaType = try XCTUnwrap(envelope["MessageAttributes"]?["media_type"]?["Value"]?.stringValue)
            XCTAssertEqual(envelope["MessageAttributes"]?["media_type"]?["Type"]?.stringValue, "String")
            XCTAssertEqual(envelope["MessageId"]?.stringValue, messageIds[MediaType(mediaType)], "produce returned SNS's message id")
            let ours = try XCTUnwrap(envelope["Message"]?.stringValue)
            let theirs = try XCTUnwrap(python[mediaType], "Python wrote no \(mediaType)")

            let ourMessage = try JSONParser.parse(ours)
            let theirMessage = try JSONParser.parse(theirs)
            let ourPublished = try XCTUnwrap(ourMessage["opaqueData"]?["x-request-published"]?.stringValue)
            let theirPublished = try XCTUnwrap(theirMessage["opaqueData"]?["x-request-published"]?.stringValue)
            XCTAssertNotNil(Double(ourPublished), "x-request-published is seconds since the epoch as text: \(ourPublished)")
            // Field for field, in Python's order, once the publication time is Python's.
            let normalized = ours.replacingOccurrences(of: #""\#(ourPublished)""#, with: #""\#(theirPublished)""#)
            XCTAssertEqual(try JSONParser.parse(normalized), theirMessage, mediaType)
            XCTAssertEqual(ourMessage.objectValue?.keys, theirMessage.objectValue?.keys, mediaType)
            XCTAssertEqual(ourMessage["opaqueData"]?.objectValue?.keys, theirMessage["opaqueData"]?.objectValue?.keys, mediaType)
            XCTAssertEqual(normalized, theirs, "byte for byte, but for the time")
        }
    }

    func testDeferredBatch_publishBatch_deliversEveryMessageAsMade() async throws {
        let producer = try graph().snsProducer
        var made: [ProducedMessage] = []
        try await producer.deferredBatch { deferred in
            for index in 0..<12 { try deferred.produce(.created("FooBar"), uri: "http://example.com/foo_bars/\(index)") }
            made = deferred.messages
        }
        let received = try await receive(count: 12)
        XCTAssertEqual(received.count, 12)
        let messages = try received.map { try XCTUnwrap(try envelope($0)["Message"]?.stringValue) }
        XCTAssertEqual(Set(messages), Set(made.map(\.message)))
    }

    func testDeferredBatch_batchMessage_deliversMicrocosmsBatchMessage() async throws {
        let producer = try graph(["mappings": [BatchMessage.mediaType.rawValue: .string(topicArn)]]).snsProducer
        try await producer.deferredBatch(.batchMessage) { deferred in
            for index in 0..<3 { try deferred.produce(.created("FooBar"), uri: "http://example.com/foo_bars/\(index)") }
        }
        let received = try await receive(count: 1)
        XCTAssertEqual(received.count, 1)
        let envelope = try envelope(try XCTUnwrap(received.first))
        XCTAssertEqual(envelope["MessageAttributes"]?["media_type"]?["Value"]?.stringValue, BatchMessage.mediaType.rawValue)
        let content = try producer.schemaRegistry.decode(try XCTUnwrap(envelope["Message"]?.stringValue))
        let batch = try content.decode(BatchMessage.self)
        XCTAssertEqual(try batch.messages.map { try producer.schemaRegistry.decode($0.message).uri },
                       (0..<3).map { "http://example.com/foo_bars/\($0)" })
        XCTAssertEqual(Set(batch.messages.map(\.topicArn)), [topicArn])
    }

    func testProduce_topicMissingOnTheServer_reportsTheAWSCode() async throws {
        let missing = "arn:aws:sns:\(Emulator.region):\(try await Emulator.account()):\(Emulator.uniqueName("missing"))"
        let producer = try graph(["default": .string(missing)]).snsProducer
        let error = await producerAssertThrows(SNSProducerError.self) {
            try await producer.produce(.created("FooBar"), uri: "http://example.com/foo_bars/1")
        }
        XCTAssertEqual(error?.code, .publishFailed)
        XCTAssertEqual(error?.awsErrorCode, "NotFound")
        XCTAssertEqual(error?.topicArn, missing)
    }
}
