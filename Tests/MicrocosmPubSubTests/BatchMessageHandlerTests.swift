import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The built-in handler of microcosm's batch message: the batch messages Python's
/// `DeferredBatchProducer` sent (golden fixtures) are republished, each inner message byte for
/// byte to its own topic with its own attributes, by a daemon's default handlers.
final class BatchMessageHandlerTests: XCTestCase {
    /// Publishes the one batch message of `fixture` to the bed's topic, dispatches it with the
    /// graph's default handlers, and checks every inner message was republished unchanged.
    private func assertRepublishes(_ fixture: JSONValue, file: StaticString = #filePath, line: UInt = #line) async throws {
        let received = try WireFixtures.received(fixture)
        XCTAssertEqual(received.count, 1, file: file, line: line)
        let batch = try XCTUnwrap(received.first, file: file, line: line)
        XCTAssertEqual(batch.mediaTypeAttribute, BatchMessage.mediaType.rawValue, file: file, line: line)
        let inner = try XCTUnwrap(JSONParser.parse(batch.message)["messages"]?.arrayValue, file: file, line: line)
        XCTAssertEqual(inner.count, 3, file: file, line: line)

        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.graph.sqsMessageDispatcher
        try await bed.publishText(batch.message, mediaType: batch.mediaTypeAttribute)
        let message = try await bed.consumeOne(file: file, line: line)
        await bed.broker.clearPublications()
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded, "\(result)", file: file, line: line)

        let republished = await bed.broker.publications
        XCTAssertEqual(republished.count, 3, file: file, line: line)
        for (publication, entry) in zip(republished, inner) {
            XCTAssertEqual(publication.topicArn, entry["topic_arn"]?.stringValue, file: file, line: line)
            XCTAssertEqual(publication.message, entry["message"]?.stringValue, "byte for byte", file: file, line: line)
            let mediaType = try XCTUnwrap(entry["media_type"]?.stringValue, file: file, line: line)
            XCTAssertEqual(publication.messageAttributes, [PubSubWire.mediaTypeAttribute: .string(mediaType)], file: file, line: line)
        }
    }

    func testBatchMessage_fromPythonThroughMoto_republishesItsThreeMessagesByteForByte() async throws {
        try await assertRepublishes(try WireFixtures.sharedFile("microcosm-pubsub-3.0.0-batch-via-moto.json"))
    }

    func testBatchMessage_wrappedFixture_republishesItsThreeMessagesByteForByte() async throws {
        try await assertRepublishes(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-batch-wrapped.json"))
    }

    func testBatchMessage_rawFixture_republishesItsThreeMessagesByteForByte() async throws {
        try await assertRepublishes(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-batch-raw.json"))
    }

    func testBatchMessage_fromSwiftsDeferredBatchProducer_republishesItsMessages() async throws {
        let bed = try await DispatchTestBed.make(config: ["sns_topic_arns": ["mappings": [
            MediaType.created("Widget").rawValue: "arn:aws:sns:us-east-1:123456789012:widgets",
            BatchMessage.mediaType.rawValue: .string(DispatchTestBed.topicArn),
        ]]])
        let dispatcher = try bed.graph.sqsMessageDispatcher
        var produced: [String] = []
        try await bed.graph.snsProducer.deferredBatch(.batchMessage) { producer in
            for index in 1...2 {
                try producer.produce(.created("Widget"), uri: "http://widgets/\(index)")
                produced.append(producer.messages.last!.message)
            }
        }
        let message = try await bed.consumeOne()
        XCTAssertEqual(message.mediaType, BatchMessage.mediaType)
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded)
        let republished = await bed.broker.publications(to: "arn:aws:sns:us-east-1:123456789012:widgets")
        XCTAssertEqual(republished.map(\.message), produced)
    }

    func testBatchMessage_withASkippingProducer_republishesNothingAndSucceeds() async throws {
        let bed = try await DispatchTestBed.make(config: ["sns_producer": ["skip": true]])
        let dispatcher = try bed.graph.sqsMessageDispatcher
        let fixture = try WireFixtures.received(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-batch-wrapped.json"))[0]
        try await bed.publishText(fixture.message, mediaType: fixture.mediaTypeAttribute)
        let message = try await bed.consumeOne()
        await bed.broker.clearPublications()
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded)
        let republished = await bed.broker.publications
        XCTAssertEqual(republished.count, 0)
        XCTAssertTrue(bed.logs.messages.contains("Skipped republishing 3 messages of a batch message"), "\(bed.logs.messages)")
    }

    func testBatchMessage_whosePublishFails_failsForARetry() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.graph.sqsMessageDispatcher
        let fixture = try WireFixtures.received(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-batch-wrapped.json"))[0]
        try await bed.publishText(fixture.message, mediaType: fixture.mediaTypeAttribute)
        let message = try await bed.consumeOne()
        bed.broker.faults.fail(.publish, with: AWSError(code: "Throttling", message: "slow down", statusCode: 400), times: 1)
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage)
        XCTAssertEqual((result.error as? SNSProducerError)?.code, .publishFailed, "\(String(describing: result.error))")
    }

    func testBatchMessage_withAMalformedAttribute_failsNamingTheField() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.graph.sqsMessageDispatcher
        let entry: JSONObject = [
            "media_type": .string(MediaType.created("Thing").rawValue), "message": "{}", "topic_arn": .string(DispatchTestBed.topicArn),
            "opaque_data": [:], "message_attributes": ["media_type": ["StringValue": "x"]],
        ]
        let text = try bed.graph.pubsubMessageSchemaRegistry.encode(BatchMessage.mediaType, fields: ["messages": [.object(entry)]])
        try await bed.publishText(text, mediaType: BatchMessage.mediaType.rawValue)
        let message = try await bed.consumeOne()
        await bed.broker.clearPublications()
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .failed)
        let error = try XCTUnwrap(result.error as? PubSubMessageError)
        XCTAssertEqual(error.field, "messages[0].message_attributes.media_type.DataType")
        let republished = await bed.broker.publications
        XCTAssertEqual(republished.count, 0)
    }

    func testBatchMessage_withStringAndBinaryAttributes_republishesThemAll() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.graph.sqsMessageDispatcher
        let inner = try bed.graph.pubsubMessageSchemaRegistry.encode(.created("Thing"), fields: ["uri": "http://things/1"])
        let entry: JSONObject = [
            "media_type": .string(MediaType.created("Thing").rawValue), "message": .string(inner),
            "topic_arn": "arn:aws:sns:us-east-1:123456789012:other", "opaque_data": [:],
            "message_attributes": [
                "media_type": ["DataType": "String", "StringValue": .string(MediaType.created("Thing").rawValue)],
                "checksum": ["DataType": "Binary", "BinaryValue": "AAEC"],
                "priority": ["DataType": "Number", "StringValue": "7"],
            ],
        ]
        let text = try bed.graph.pubsubMessageSchemaRegistry.encode(BatchMessage.mediaType, fields: ["messages": [.object(entry)]])
        try await bed.publishText(text, mediaType: BatchMessage.mediaType.rawValue)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded, "\(result)")
        let republished = await bed.broker.publications(to: "arn:aws:sns:us-east-1:123456789012:other")
        XCTAssertEqual(republished.map(\.message), [inner])
        XCTAssertEqual(republished.first?.messageAttributes, [
            "media_type": .string(MediaType.created("Thing").rawValue),
            "checksum": .binary([0, 1, 2]),
            "priority": .number("7"),
        ])
    }
}
