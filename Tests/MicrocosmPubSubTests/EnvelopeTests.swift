import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Every envelope strategy with real bodies, and every way a body can be bad: the message is
/// still delivered, without content, with an error that says why, and consume() does not throw.
final class EnvelopeTests: XCTestCase {
    private let createdThing = MediaType.created("Thing")

    private func registry() throws -> PubSubMessageSchemaRegistry {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(ThingAnnounced.self)
        return registry
    }

    /// A consumer of the test bed's queue with its own envelope.
    private func consumer(_ bed: ConsumerTestBed, _ strategy: SQSEnvelope.Strategy, validateMD5: Bool = false,
                          client: (any SQSAPI)? = nil) throws -> SQSConsumer {
        SQSConsumer(source: .queue(bed.queueURL, client: client ?? bed.broker.sqs),
                    envelope: SQSEnvelope(strategy: strategy, validateMD5: validateMD5, schemaRegistry: try bed.graph.pubsubMessageSchemaRegistry),
                    waitSeconds: 0)
    }

    /// The only message a consume returns.
    private func consumeOne(_ consumer: SQSConsumer, file: StaticString = #filePath, line: UInt = #line) async throws -> ConsumedMessage {
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 1, file: file, line: line)
        return try XCTUnwrap(messages.first, file: file, line: line)
    }

    // MARK: Golden fixtures through the Codec envelope

    /// Decodes every message of a fixture file twice: replayed as SQS ReceiveMessage lines (ids,
    /// handles, counts and MD5s as SQS gave them, MD5 checked) and sent through a queue.
    private func checkCodecDecodesEveryMessage(of file: JSONValue, name: String) async throws {
        let fixtureMessages = try XCTUnwrap(file["messages"]?.arrayValue, name)
        let expected = try WireFixtures.received(file)
        let registry = try registry()
        let envelope = SQSEnvelope(strategy: .codec, validateMD5: true, schemaRegistry: registry)

        let path = try consumerTemporaryFile(self, lines: fixtureMessages.map { JSONSerializer.compact.string($0) })
        let replayed = try await SQSConsumer(source: .file(at: path), envelope: envelope).consume()
        XCTAssertEqual(replayed.count, fixtureMessages.count, name)
        for ((message, fixture), received) in zip(zip(replayed, fixtureMessages), expected) {
            XCTAssertNil(message.error, "\(name): \(message.error.map { "\($0)" } ?? "")")
            let content = try XCTUnwrap(message.content, name)
            XCTAssertEqual(content, try registry.decode(received.message), name)
            XCTAssertEqual(message.mediaType?.rawValue, received.mediaTypeAttribute, name)
            XCTAssertEqual(message.messageId, fixture["MessageId"]?.stringValue, name)
            XCTAssertEqual(message.receiptHandle, fixture["ReceiptHandle"]?.stringValue, name)
            let receiveCount = fixture["Attributes"]?["ApproximateReceiveCount"]?.stringValue.flatMap { Int($0) }
            XCTAssertEqual(message.receiveCount, receiveCount, name)
            XCTAssertNotNil(message.opaqueData[PubSubWire.publishedKey], name)
            if received.wrapped {
                let envelopeBody = try JSONParser.parse(try XCTUnwrap(fixture["Body"]?.stringValue))
                XCTAssertEqual(message.topicArn, envelopeBody["TopicArn"]?.stringValue, name)
                XCTAssertNotNil(message.topicArn, name)
            } else {
                XCTAssertNil(message.topicArn, name)
            }
        }

        let bed = try await ConsumerTestBed.make()
        for fixture in fixtureMessages { try await bed.send(try XCTUnwrap(fixture["Body"]?.stringValue)) }
        var queued: [ConsumedMessage] = []
        while queued.count < fixtureMessages.count {
            let batch = try await SQSConsumer(source: .queue(bed.queueURL, client: bed.broker.sqs), envelope: envelope, waitSeconds: 0).consume()
            XCTAssertFalse(batch.isEmpty, name)
            if batch.isEmpty { break }
            queued += batch
        }
        XCTAssertEqual(Set(queued.compactMap(\.content)), Set(replayed.compactMap(\.content)), name)
        XCTAssertEqual(queued.compactMap(\.error).map(\.description), [], name)
    }

    func testCodec_decodesEveryMessageOfOurWireFixtures() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: WireFixtures.own.path)
            .filter { $0.hasPrefix("microcosm-pubsub-") && $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.count, 4, "\(files)")
        for name in files {
            try await checkCodecDecodesEveryMessage(of: try WireFixtures.ownFile(name), name: name)
        }
    }

    func testCodec_decodesEveryMessageOfTheSharedWireFixtures() async throws {
        for name in ["microcosm-pubsub-3.0.0-via-moto.json", "microcosm-pubsub-3.0.0-batch-via-moto.json"] {
            try await checkCodecDecodesEveryMessage(of: try WireFixtures.sharedFile(name), name: name)
        }
    }

    func testCodec_sharedBatchFixture_decodesToTheBatchMessageSchema() async throws {
        let file = try WireFixtures.sharedFile("microcosm-pubsub-3.0.0-batch-via-moto.json")
        let bed = try await ConsumerTestBed.make()
        try await bed.send(try XCTUnwrap(file["messages"]?.arrayValue?.first?["Body"]?.stringValue))
        let message = try await consumeOne(try bed.consumer)
        XCTAssertEqual(message.mediaType, BatchMessage.mediaType)
        let batch = try message.decode(BatchMessage.self)
        XCTAssertEqual(batch.messages.count, 3)
        XCTAssertEqual(batch.messages.map(\.mediaType), Array(repeating: .created("FooBar"), count: 3))
    }

    // MARK: Codec

    func testCodec_snsWrappedMessage_givesContentAndTopic() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1", opaqueData: ["x-request-id": "req-1"])
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.error)
        XCTAssertEqual(message.content?.mediaType, createdThing)
        XCTAssertEqual(message.uri, "http://things/1")
        XCTAssertEqual(message.topicArn, bed.topicArn)
        XCTAssertEqual(try message.decode(URIMessage.self), URIMessage(uri: "http://things/1"))
        XCTAssertEqual(message.opaqueData, ["x-request-id": "req-1"])
    }

    func testCodec_bodyWithoutMessage_isTheMessageItself() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(try bed.text(createdThing, ["uri": "http://things/raw"]))
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.error)
        XCTAssertEqual(message.uri, "http://things/raw")
        XCTAssertNil(message.topicArn, "raw delivery has no SNS envelope")
    }

    func testCodec_snsMessageThatIsAnObject_isDecodedToo() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(#"{"Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "#
                           + #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/2"}}"#)
        let message = try await consumeOne(try bed.consumer)
        XCTAssertEqual(message.uri, "http://things/2")
        XCTAssertEqual(message.topicArn, "arn:aws:sns:us-east-1:123456789012:t")
    }

    func testCodec_snsMessageThatIsNeitherTextNorObject_isAMalformedEnvelope() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(#"{"Type": "Notification", "Message": 3}"#)
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.content)
        let error = try XCTUnwrap(message.error)
        XCTAssertEqual(error.code, .malformedEnvelope)
        XCTAssertEqual(error.field, "Message")
        XCTAssertEqual(error.description, "message \(message.messageId): SNS envelope field 'Message' is int 3, "
                           + "expected a string holding the message")
    }

    func testCodec_bodyThatIsNotJSON_givesANotJSONError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send("hello, world")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.content)
        XCTAssertNil(message.mediaType)
        let error = try XCTUnwrap(message.error)
        XCTAssertEqual(error.code, .notJSON)
        XCTAssertTrue(error.description.hasPrefix("message \(message.messageId): message is not JSON: invalid JSON at line 1, column 1"),
                      error.description)
    }

    func testCodec_snsMessageThatIsNotJSON_givesANotJSONError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish("plain text")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertEqual(message.error?.code, .notJSON)
        XCTAssertEqual(message.topicArn, bed.topicArn, "the envelope was read")
    }

    func testCodec_messageWithoutMediaType_namesTheField() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish(#"{"uri": "http://things/1"}"#)
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.content)
        let error = try XCTUnwrap(message.error)
        XCTAssertEqual(error.code, .missingMediaType)
        XCTAssertEqual(error.field, "mediaType")
        XCTAssertTrue(error.description.contains("message has no media type: field 'mediaType' is missing"), error.description)
    }

    func testCodec_messageThatIsNotAnObject_saysSo() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish("[1, 2]")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertEqual(message.error?.code, .notAnObject)
    }

    func testCodec_schemaFailure_namesTheMediaTypeAndTheField() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "url": "http://things/1"}"#)
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.content)
        XCTAssertEqual(message.mediaType, createdThing, "the media type is known even without content")
        let error = try XCTUnwrap(message.error)
        XCTAssertEqual(error.code, .invalidContent)
        XCTAssertEqual(error.mediaType, createdThing)
        XCTAssertEqual(error.field, "uri")
        XCTAssertTrue(error.description.contains("invalid message of media type 'application/vnd.globality.pubsub._.created.thing'"),
                      error.description)
        XCTAssertTrue(error.description.contains("'uri'"), error.description)
    }

    func testCodec_unregisteredMediaType_keepsTheMediaTypeAndSaysUnregistered() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.announced.thing", "name": "x"}"#)
        let message = try await consumeOne(try bed.consumer)
        XCTAssertNil(message.content)
        XCTAssertEqual(message.mediaType, ThingAnnounced.mediaType)
        XCTAssertEqual(message.error?.code, .unregistered)
    }

    func testCodec_typedDecodeOfTheWrongType_namesTheMediaTypeAndField() async throws {
        struct Named: Decodable { var name: String }
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertThrowsError(try message.decode(Named.self)) { error in
            let error = error as? ConsumedMessageError
            XCTAssertEqual(error?.code, .invalidContent)
            XCTAssertEqual(error?.mediaType, self.createdThing)
            XCTAssertEqual(error?.field, "name")
        }
    }

    func testDecode_ofAMessageWithoutContent_throwsItsError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send("not json")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertThrowsError(try message.decode(URIMessage.self)) { error in
            XCTAssertEqual((error as? ConsumedMessageError)?.code, .notJSON)
        }
    }

    func testCodec_badMessagesAmongGoodOnes_consumeDoesNotThrowAndKeepsEveryMessage() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        try await bed.send("not json")
        try await bed.publish(#"{"uri": "http://things/no-media-type"}"#)
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing"}"#)
        try await bed.publishCreated("http://things/2")
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.count, 5)
        XCTAssertEqual(messages.compactMap(\.uri), ["http://things/1", "http://things/2"])
        XCTAssertEqual(messages.map { $0.error?.code == .notJSON }, [false, true, false, false, false])
        XCTAssertEqual(messages.map { $0.error?.code == .missingMediaType }, [false, false, true, false, false])
        XCTAssertEqual(messages.map { $0.error?.code == .invalidContent }, [false, false, false, true, false])
    }

    // MARK: Raw

    func testRaw_bodyIsJSONContentOfMediaTypeApplicationJSON() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(#"{"order": 7, "items": ["a"], "opaqueData": {"X-Request-Id": "req-9"}}"#)
        let message = try await consumeOne(try consumer(bed, .raw))
        XCTAssertNil(message.error)
        XCTAssertEqual(message.mediaType, .json)
        XCTAssertEqual(message.content?.fields, ["order": 7, "items": ["a"]])
        XCTAssertEqual(message.opaqueData["x-request-id"], "req-9")
        struct Order: Decodable, Equatable { var order: Int; var items: [String] }
        XCTAssertEqual(try message.decode(Order.self), Order(order: 7, items: ["a"]))
    }

    func testRaw_doesNotUnwrapSNSOrApplyASchema() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing"}"#)
        let message = try await consumeOne(try consumer(bed, .raw))
        XCTAssertNil(message.error, "no schema: the missing uri is not checked")
        XCTAssertEqual(message.mediaType, .json)
        XCTAssertEqual(message.content?["Type"], "Notification", "the SNS envelope is the content")
    }

    func testRaw_bodyThatIsNotAnObject_orNotJSON_givesAnError() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send("[1]")
        try await bed.send("{")
        let messages = try await consumer(bed, .raw).consume()
        XCTAssertEqual(messages.map { $0.error?.code == .notAnObject }, [true, false])
        XCTAssertEqual(messages.map { $0.error?.code == .notJSON }, [false, true])
    }

    // MARK: Naive

    func testNaive_bareMessage_givesItsFieldsWithoutASchema() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "name": "no uri", "opaqueData": {"x-request-ttl": "4"}}"#)
        let message = try await consumeOne(try consumer(bed, .naive))
        XCTAssertNil(message.error)
        XCTAssertEqual(message.mediaType, createdThing)
        XCTAssertEqual(message.content?.fields, ["name": "no uri"])
        XCTAssertEqual(message.ttl, 4)
    }

    func testNaive_messageWithoutMediaType_namesTheField() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.send(#"{"mediaType": 12}"#)
        let message = try await consumeOne(try consumer(bed, .naive))
        XCTAssertEqual(message.error?.code, .missingMediaType)
        XCTAssertEqual(message.error?.field, "mediaType")
        XCTAssertTrue(message.error?.description.contains("expected string") ?? false, "\(String(describing: message.error))")
    }

    // MARK: Lambda

    private func lambdaRecord(body: String, messageId: String = "059f36b4-87a3-44ab-83d2-661975830a7d", receiveCount: String = "1",
                              md5OfBody: String? = nil) -> JSONValue {
        [
            "messageId": .string(messageId), "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
            "body": .string(body),
            "attributes": ["ApproximateReceiveCount": .string(receiveCount), "SentTimestamp": "1545082649183",
                           "SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": "1545082649185"],
            "messageAttributes": [:], "md5OfBody": .string(md5OfBody ?? SQSMessageDigest.md5OfBody(body)),
            "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue", "awsRegion": "us-east-2",
        ]
    }

    private func snsEnvelope(_ message: String) -> String {
        JSONSerializer.compact.string(["Type": "Notification", "TopicArn": "arn:aws:sns:us-east-2:123456789012:things",
                                       "Message": .string(message)])
    }

    private func lambdaConsumer(_ event: JSONValue, validateMD5: Bool = true) throws -> SQSConsumer {
        SQSConsumer(source: try .lambdaEvent(event),
                    envelope: SQSEnvelope(strategy: .lambda, validateMD5: validateMD5, schemaRegistry: PubSubMessageSchemaRegistry()))
    }

    func testLambda_recordsOfAnEvent_giveMessagesWithTheirIdsAndCounts() async throws {
        let text = #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#
        let event: JSONValue = ["Records": [lambdaRecord(body: snsEnvelope(text), receiveCount: "3")]]
        let message = try await consumeOne(try lambdaConsumer(event))
        XCTAssertNil(message.error)
        XCTAssertEqual(message.messageId, "059f36b4-87a3-44ab-83d2-661975830a7d")
        XCTAssertEqual(message.receiptHandle, "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a")
        XCTAssertEqual(message.receiveCount, 3)
        XCTAssertEqual(message.uri, "http://things/1")
        XCTAssertEqual(message.topicArn, "arn:aws:sns:us-east-2:123456789012:things")
        XCTAssertEqual(message.sqsMessage.attributes["SenderId"], "AIDAIENQZJOLO23YVJ4VO")
    }

    func testLambda_md5Mismatch_givesAChecksumErrorNamingTheField() async throws {
        let text = #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#
        let event: JSONValue = ["Records": [lambdaRecord(body: snsEnvelope(text), md5OfBody: "00000000000000000000000000000000")]]
        let message = try await consumeOne(try lambdaConsumer(event))
        XCTAssertNil(message.content)
        let error = try XCTUnwrap(message.error)
        XCTAssertEqual(error.code, .checksumMismatch)
        XCTAssertEqual(error.field, "MD5OfBody")
        XCTAssertTrue(error.description.contains("is '00000000000000000000000000000000', expected '\(SQSMessageDigest.md5OfBody(snsEnvelope(text)))'"),
                      error.description)

        let unchecked = try await consumeOne(try lambdaConsumer(event, validateMD5: false))
        XCTAssertNil(unchecked.error, "without validate_md5 the digest is not looked at")
    }

    func testLambda_recordAttributesWithTheirDigest_areChecked() async throws {
        let attributes: [String: MessageAttributeValue] = ["media_type": .string("application/vnd.globality.pubsub._.created.thing")]
        var record = lambdaRecord(body: #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "u"}"#)
        record["messageAttributes"] = ["media_type": ["stringValue": "application/vnd.globality.pubsub._.created.thing",
                                                      "stringListValues": [], "binaryListValues": [], "dataType": "String"]]
        record["md5OfMessageAttributes"] = .string(SQSMessageDigest.md5OfMessageAttributes(attributes))
        let good = try await consumeOne(try lambdaConsumer(["Records": [record]]))
        XCTAssertNil(good.error)
        XCTAssertEqual(good.sqsMessage.messageAttributes, attributes)

        record["md5OfMessageAttributes"] = "ffffffffffffffffffffffffffffffff"
        let bad = try await consumeOne(try lambdaConsumer(["Records": [record]]))
        XCTAssertEqual(bad.error?.code, .checksumMismatch)
        XCTAssertEqual(bad.error?.field, "MD5OfMessageAttributes")
    }

    func testLambda_recordWithoutBody_isAMalformedEnvelope() async throws {
        var record = lambdaRecord(body: "{}")
        record["body"] = nil
        let message = try await consumeOne(try lambdaConsumer(["Records": [record]]))
        XCTAssertEqual(message.error?.code, .malformedEnvelope)
        XCTAssertEqual(message.error?.field, "body")
        XCTAssertEqual(message.messageId, "059f36b4-87a3-44ab-83d2-661975830a7d")
    }

    // MARK: MD5 on a queue

    func testMD5_bodyGarbledInTransit_givesAChecksumError_andConsumeDoesNotThrow() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        try await bed.publishCreated("http://things/2")
        let garbling = ConsumerTamperingSQS(inner: bed.broker.sqs) { message in
            var message = message
            if message.body.contains("things/2") { message.body = message.body.replacingOccurrences(of: "things/2", with: "things/3") }
            return message
        }
        let messages = try await consumer(bed, .codec, validateMD5: true, client: garbling).consume()
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages[0].uri, "http://things/1")
        XCTAssertNil(messages[1].content)
        let error = try XCTUnwrap(messages[1].error)
        XCTAssertEqual(error.code, .checksumMismatch)
        XCTAssertEqual(error.field, "MD5OfBody")
        XCTAssertTrue(error.description.contains("SQS ReceiveMessage from QueueUrl '\(bed.queueURL)'"), error.description)
    }

    func testMD5_attributesGarbledInTransit_giveAChecksumErrorNamingMD5OfMessageAttributes() async throws {
        let bed = try await ConsumerTestBed.make()
        _ = try await bed.broker.sqs.sendMessage(SendMessageRequest(queueURL: bed.queueURL, messageBody: try bed.text(createdThing, ["uri": "u"]),
                                                                    messageAttributes: ["media_type": .string(createdThing.rawValue)]))
        let garbling = ConsumerTamperingSQS(inner: bed.broker.sqs) { message in
            var message = message
            message.messageAttributes["media_type"] = .string("application/vnd.other")
            return message
        }
        let message = try await consumeOne(try consumer(bed, .codec, validateMD5: true, client: garbling))
        XCTAssertEqual(message.error?.code, .checksumMismatch)
        XCTAssertEqual(message.error?.field, "MD5OfMessageAttributes")
    }

    func testMD5_missingDigest_failsTheCheck() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let stripping = ConsumerTamperingSQS(inner: bed.broker.sqs) { message in
            var message = message
            message.md5OfBody = nil
            return message
        }
        let message = try await consumeOne(try consumer(bed, .codec, validateMD5: true, client: stripping))
        XCTAssertEqual(message.error?.code, .checksumMismatch)
        XCTAssertTrue(message.error?.description.contains("MD5OfBody of message \(message.messageId) is missing") ?? false,
                      "\(String(describing: message.error))")
    }

    func testMD5_validDigests_pass() async throws {
        let bed = try await ConsumerTestBed.make(envelope: ["validate_md5": true])
        try await bed.publishCreated("http://things/1")
        let message = try await consumeOne(try bed.consumer)
        XCTAssertTrue(try bed.graph.sqsEnvelope.validateMD5)
        XCTAssertNil(message.error)
    }

    // MARK: Choosing the strategy

    func testStrategyNames_areThePythonClassNames() throws {
        XCTAssertEqual(SQSEnvelope.strategyNames, ["CodecSQSEnvelope", "RawSQSEnvelope", "NaiveSQSEnvelope", "LambdaSQSEnvelope"])
        for name in SQSEnvelope.strategyNames {
            XCTAssertEqual(try SQSEnvelope(strategyName: name, schemaRegistry: PubSubMessageSchemaRegistry()).strategy.rawValue, name)
        }
    }

    func testEnvelopeBinding_defaultsToCodecWithoutMD5() async throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty)
        XCTAssertEqual(try graph.config.string("sqs_envelope.strategy_name"), "CodecSQSEnvelope")
        XCTAssertEqual(try graph.config.bool("sqs_envelope.validate_md5"), false)
        XCTAssertEqual(try graph.sqsEnvelope.strategy, .codec)
        XCTAssertFalse(try graph.sqsEnvelope.validateMD5)
    }

    func testEnvelopeBinding_isConfiguredLikeThePythonService() throws {
        let environment = ["THINGS__SQS_ENVELOPE__STRATEGY_NAME": "NaiveSQSEnvelope", "THINGS__SQS_ENVELOPE__VALIDATE_MD5": "true"]
        let graph = try Graph(name: "things", registry: .pubsub, loader: .standard(environment: environment))
        XCTAssertEqual(try graph.sqsEnvelope.strategy, .naive)
        XCTAssertTrue(try graph.sqsEnvelope.validateMD5)
    }

    func testEnvelopeBinding_unknownStrategy_failsNamingTheKeyAndTheAcceptedNames() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: ["sqs_envelope": ["strategy_name": "Snappy"]])
        XCTAssertThrowsError(try graph.sqsEnvelope) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_envelope.strategy_name': unknown SQS envelope strategy 'Snappy'; "
                                                + "accepted: CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope"), "\(error)")
        }
    }
}
