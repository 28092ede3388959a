import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The graph's consumer against a real emulator, moto or LocalStack (skipped, saying why, when
/// there is none): messages published with `SNSClient` to a topic the queue subscribes to.
/// Each test makes its own uniquely named topic and queue and deletes them.
final class SQSConsumerIntegrationTests: XCTestCase {
    private var endpoint: String!
    private var sns: SNSClient!
    private var sqs: SQSClient!

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        (sns, sqs) = try Emulator.clients(logLabel: "consumer-it")
    }

    /// A topic and a queue subscribed to it (wrapped delivery unless `raw`), deleted when the test ends.
    private func subscribedQueue(_ prefix: String, raw: Bool = false) async throws -> (topicArn: String, queueURL: String) {
        let subscribed = try await Emulator.subscribedQueue(prefix, sns: sns, sqs: sqs, raw: raw, in: self)
        return (subscribed.topicArn, subscribed.queueURL)
    }

    /// A graph (not testing) whose consumer reads `queueURL` on the emulator.
    private func graph(queueURL: String, consumer: JSONObject = [:], envelope: JSONObject = [:]) throws -> Graph {
        let settings = Configuration.merge(["sqs_queue_url": .string(queueURL), "endpoint_url": .string(endpoint),
                                            "region_name": .string(Emulator.region)], consumer)
        return try Graph(name: "things", registry: .pubsub, loader: .empty,
                         config: ["sqs_consumer": .object(settings), "sqs_envelope": .object(envelope)])
    }

    /// microcosm-pubsub's message for created.thing at `uri`, published with its `media_type` attribute.
    private func publishCreated(_ uri: String, to topicArn: String, requestId: String) async throws {
        let text = try PubSubMessageSchemaRegistry().encode(.created("Thing"), fields: ["uri": .string(uri)],
                                                            opaqueData: ["x-request-id": .string(requestId), "x-request-ttl": "32"])
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: text,
                                                 messageAttributes: [PubSubWire.mediaTypeAttribute: .string(MediaType.created("Thing").rawValue)]))
    }

    /// Consumes until `count` messages came or five long polls came back empty.
    private func consume(_ consumer: SQSConsumer, count: Int) async throws -> [ConsumedMessage] {
        var messages: [ConsumedMessage] = []
        for _ in 0..<5 where messages.count < count {
            messages += try await consumer.consume()
        }
        return messages
    }

    func testConsume_messagesFromAnSNSTopic_ackOne_nackTheOther_whichReturnsWithReceiveCountTwo() async throws {
        let (topicArn, queueURL) = try await subscribedQueue("consumer-ack-nack")
        try await publishCreated("http://things/1", to: topicArn, requestId: "req-1")
        try await publishCreated("http://things/2", to: topicArn, requestId: "req-2")
        let consumer = try graph(queueURL: queueURL).sqsConsumer
        XCTAssertTrue(consumer.source.acknowledges)
        XCTAssertEqual(consumer.queueURL, queueURL)

        let messages = try await consume(consumer, count: 2)
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages.compactMap(\.error).map(\.description), [])
        XCTAssertEqual(Set(messages.compactMap(\.uri)), ["http://things/1", "http://things/2"])
        for message in messages {
            XCTAssertEqual(message.mediaType, .created("Thing"))
            XCTAssertEqual(message.topicArn, topicArn)
            XCTAssertEqual(message.receiveCount, 1)
            XCTAssertEqual(message.ttl, 32)
            XCTAssertEqual(message.opaqueData["x-request-id"], message.uri == "http://things/1" ? "req-1" : "req-2")
        }
        let acked = try XCTUnwrap(messages.first { $0.uri == "http://things/1" })
        let nacked = try XCTUnwrap(messages.first { $0.uri == "http://things/2" })
        try await acked.ack()
        try await nacked.nack(visibilityTimeout: 0)

        let again = try await consume(consumer, count: 1)
        XCTAssertEqual(again.map(\.messageId), [nacked.messageId], "only the nacked message comes back")
        XCTAssertEqual(again.map(\.receiveCount), [2])
        XCTAssertEqual(again.map(\.uri), ["http://things/2"])
        try await again[0].ack()
        let none = try await consumer.consume()
        XCTAssertEqual(none.count, 0, "both messages are gone")
    }

    func testConsume_withMD5Validation_andRawDelivery_decodesTheEmulatorsMessages() async throws {
        let (topicArn, queueURL) = try await subscribedQueue("consumer-raw-md5", raw: true)
        try await publishCreated("http://things/raw", to: topicArn, requestId: "req-raw")
        let consumer = try graph(queueURL: queueURL, envelope: ["validate_md5": true]).sqsConsumer
        let messages = try await consume(consumer, count: 1)
        XCTAssertEqual(messages.count, 1)
        let message = try XCTUnwrap(messages.first)
        XCTAssertNil(message.error, "\(String(describing: message.error))")
        XCTAssertEqual(message.uri, "http://things/raw")
        XCTAssertNil(message.topicArn, "raw delivery: no SNS envelope")
        XCTAssertEqual(message.sqsMessage.messageAttributes[PubSubWire.mediaTypeAttribute], .string(MediaType.created("Thing").rawValue))
        try await message.ack()
    }

    func testBatchAcknowledgement_deletesAndNacksWithPerMessageOutcomes() async throws {
        let (topicArn, queueURL) = try await subscribedQueue("consumer-batches")
        for index in 1...4 { try await publishCreated("http://things/\(index)", to: topicArn, requestId: "req-\(index)") }
        let consumer = try graph(queueURL: queueURL).sqsConsumer
        let messages = try await consume(consumer, count: 4)
        XCTAssertEqual(messages.count, 4)

        let nackReport = await consumer.nack(Array(messages.prefix(2)), visibilityTimeout: 0)
        XCTAssertTrue(nackReport.allSucceeded, "\(nackReport.failed)")
        let ackReport = await consumer.ack(Array(messages.suffix(2)))
        XCTAssertTrue(ackReport.allSucceeded, "\(ackReport.failed)")
        XCTAssertEqual(ackReport.succeeded.count, 2)

        let back = try await consume(consumer, count: 2)
        XCTAssertEqual(Set(back.map(\.messageId)), Set(messages.prefix(2).map(\.messageId)))
        XCTAssertEqual(back.map(\.receiveCount), [2, 2])
        let finalReport = await consumer.ack(back)
        XCTAssertTrue(finalReport.allSucceeded, "\(finalReport.failed)")
    }

    func testConsume_queueThatDoesNotExist_throwsTheAWSError() async throws {
        let consumer = try graph(queueURL: endpoint + "/\(try await Emulator.account())/" + Emulator.uniqueName("missing")).sqsConsumer
        do {
            _ = try await consumer.consume()
            XCTFail("expected AWS.SimpleQueueService.NonExistentQueue")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue", error.description)
            XCTAssertEqual(error.senderFault, true, error.description)
        }
    }
}
