import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Producing to a FIFO topic on the in-memory broker: each message gets a message group id and a
/// deduplication id (given, or from `sns_producer.fifo`), checked before any I/O; a FIFO queue
/// subscribed to the topic gets each group in order, and a duplicate within 5 minutes once.
final class SNSProducerFIFOTests: XCTestCase {
    private static let fifoTopicArn = "arn:aws:sns:us-east-1:123456789012:things.fifo"

    private struct Bed {
        let graph: Graph
        let broker: InMemoryBroker
        let clock: ManualBrokerClock
        let queueURL: String

        /// Received and deleted, one receive at a time, until the queue gives nothing more.
        func drain() async throws -> [SQSMessage] {
            var messages: [SQSMessage] = []
            while true {
                let received = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10,
                                                                                        attributeNames: ["All"]))
                if received.isEmpty { return messages }
                for message in received { try await broker.sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle) }
                messages += received
            }
        }
    }

    /// A testing graph producing everything to a FIFO topic (no content-based deduplication of its
    /// own) with a FIFO queue subscribed, on a manual clock.
    private func bed(_ config: JSONObject = [:]) async throws -> Bed {
        let clock = ManualBrokerClock()
        let broker = InMemoryBroker(clock: clock)
        let graph = try ProducerTesting.graph(config: Configuration.merge(["sns_topic_arns": ["default": .string(Self.fifoTopicArn)]], config))
        graph.assign(.pubsubBroker, broker)
        let topicArn = try await broker.sns.createTopic(name: "things.fifo", attributes: ["FifoTopic": "true"])
        XCTAssertEqual(topicArn, Self.fifoTopicArn)
        let queueURL = try await broker.sqs.createQueue(name: "things-worker.fifo", attributes: ["FifoQueue": "true"])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "things-worker.fifo"),
                                           attributes: ["RawMessageDelivery": "true"])
        return Bed(graph: graph, broker: broker, clock: clock, queueURL: queueURL)
    }

    private func uri(_ message: SQSMessage) throws -> String? { try JSONParser.parse(message.body)["uri"]?.stringValue }

    func testProduce_toFIFOTopic_groupsByURIAndKeepsEachGroupInOrder() async throws {
        let bed = try await bed()
        let producer = try bed.graph.snsProducer
        for (resource, step) in [("a", 1), ("b", 1), ("a", 2), ("b", 2), ("a", 3)] {
            try await producer.produce(.changed("Thing"), ["field_name": "step", "new_value": .string(String(step))], uri: "http://things/\(resource)")
        }
        let received = try await bed.drain()
        XCTAssertEqual(received.count, 5)
        let byGroup = Dictionary(grouping: received) { $0.messageGroupId ?? "none" }
        XCTAssertEqual(Set(byGroup.keys), ["http://things/a", "http://things/b"])
        XCTAssertEqual(try byGroup["http://things/a"]!.map { try JSONParser.parse($0.body)["new_value"]?.stringValue }, ["1", "2", "3"])
        XCTAssertEqual(try byGroup["http://things/b"]!.map { try JSONParser.parse($0.body)["new_value"]?.stringValue }, ["1", "2"])
        XCTAssertEqual(received.map { $0.attributes["MessageDeduplicationId"] }, received.map { SHA256.hash($0.body.utf8).hex },
                       "content-based by default: the SHA-256 of the message, as SNS computes it")
    }

    func testProduce_sameDeduplicationIdWithinFiveMinutes_isDeliveredOnce() async throws {
        let bed = try await bed()
        let producer = try bed.graph.snsProducer
        let first = try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        let again = try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        XCTAssertEqual(again, first, "SNS answers a duplicate with the first message's id")
        bed.clock.advance(by: .seconds(299))
        _ = try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        let withinFiveMinutes = try await bed.drain()
        XCTAssertEqual(withinFiveMinutes.count, 1)
        bed.clock.advance(by: .seconds(1))
        _ = try await producer.produce(.created("Thing"), uri: "http://things/1", deduplicationId: "create-1")
        let later = try await bed.drain()
        XCTAssertEqual(later.count, 1, "5 minutes later the id is new again")
    }

    func testProduce_identicalMessages_areDeduplicatedByContent() async throws {
        let bed = try await bed()
        let producer = try ProducerTesting.producer(bed.graph)   // a fixed clock: identical x-request-published
        try await producer.produce(.created("Thing"), uri: "http://things/1")
        try await producer.produce(.created("Thing"), uri: "http://things/1")
        try await producer.produce(.created("Thing"), uri: "http://things/2")
        let received = try await bed.drain()
        XCTAssertEqual(try received.map(uri), ["http://things/1", "http://things/2"])
    }

    func testProduce_explicitIds_winOverConfig() async throws {
        let bed = try await bed(["sns_producer": ["fifo": ["message_group_id": "things"]]])
        try await bed.graph.snsProducer.produce(.created("Thing"), uri: "http://things/1", messageGroupId: "tenant-7",
                                                deduplicationId: "d-1")
        let received = try await bed.drain()
        XCTAssertEqual(received.map(\.messageGroupId), ["tenant-7"])
        XCTAssertEqual(received.map { $0.attributes["MessageDeduplicationId"] }, ["d-1"])
    }

    func testProduce_perMediaTypeMapping_andFixedGroup() async throws {
        let bed = try await bed(["sns_producer": ["fifo": [
            "message_group_id": "things",
            "mappings": [.init(MediaType.deleted("Thing").rawValue): ["message_group_id_field": "id", "deduplication_id_field": "id"]],
        ]]])
        let producer = try bed.graph.snsProducer
        try await producer.produce(.deleted("Thing"), ["id": "42"])
        try await producer.produce(.created("Thing"), uri: "http://things/1")
        try await producer.produce(IdentityMessage(id: "43"), as: .deleted("Token"))
        let received = try await bed.drain()
        XCTAssertEqual(received.map(\.messageGroupId), ["42", "http://things/1", "things"])
        XCTAssertEqual(received.first?.attributes["MessageDeduplicationId"], "42")
    }

    func testDeferredBatch_toFIFOTopic_sendsIdsWithEachEntryInOrder() async throws {
        let bed = try await bed()
        let recording = ProducerRecordingSNS(bed.broker.sns)
        bed.graph.override(.snsClient) { _ in recording }
        try await bed.graph.snsProducer.deferredBatch { producer in
            for step in 1...12 { try producer.produce(.changed("Thing"), ["field_name": "step", "new_value": .string(String(step))], uri: "http://things/a") }
        }
        XCTAssertEqual(recording.calls.map(\.entries), [10, 2])
        let received = try await bed.drain()
        XCTAssertEqual(try received.map { try JSONParser.parse($0.body)["new_value"]?.stringValue }, (1...12).map(String.init))
        XCTAssertEqual(Set(received.compactMap(\.messageGroupId)), ["http://things/a"])
    }

    func testProduce_withoutAGroup_failsBeforeIO_namingMediaTypeTopicAndKeys() async throws {
        let bed = try await bed()
        let recording = ProducerRecordingSNS(bed.broker.sns)
        bed.graph.override(.snsClient) { _ in recording }
        let error = await producerAssertThrows(SNSProducerError.self) { try await bed.graph.snsProducer.produce(.deleted("Thing"), ["id": "1"]) }
        XCTAssertEqual(error?.code, .missingMessageGroupId)
        XCTAssertEqual(error?.description, "no message group id for media type 'application/vnd.globality.pubsub._.deleted.thing' "
            + "to FIFO topic '\(Self.fifoTopicArn)': the message has no field 'uri' (pass messageGroupId:, or set "
            + "sns_producer.fifo.message_group_id, sns_producer.fifo.message_group_id_field or sns_producer.fifo.mappings)")
        XCTAssertEqual(recording.calls, [])
    }

    func testProduce_invalidIds_failBeforeIO() async throws {
        let bed = try await bed()
        let recording = ProducerRecordingSNS(bed.broker.sns)
        bed.graph.override(.snsClient) { _ in recording }
        let producer = try bed.graph.snsProducer
        let long = "http://things/" + String(repeating: "x", count: 120)
        let cases: [(String?, String?, String?, String)] = [
            ("http://things/1", "has space", nil, "deduplication id of media type 'application/vnd.globality.pubsub._.created.thing' to FIFO topic '\(Self.fifoTopicArn)' (from the deduplicationId argument) has a space"),
            ("http://things/1", nil, "", "message group id of media type 'application/vnd.globality.pubsub._.created.thing' to FIFO topic '\(Self.fifoTopicArn)' (from the messageGroupId argument) is empty"),
            (long, nil, nil, "message group id of media type 'application/vnd.globality.pubsub._.created.thing' to FIFO topic '\(Self.fifoTopicArn)' (from field 'uri') is 134 characters"),
            ("http://things/é", nil, nil, "message group id of media type 'application/vnd.globality.pubsub._.created.thing' to FIFO topic '\(Self.fifoTopicArn)' (from field 'uri') has the character U+E9"),
        ]
        for (uri, deduplicationId, groupId, expected) in cases {
            let error = await producerAssertThrows(SNSProducerError.self) {
                try await producer.produce(.created("Thing"), uri: uri, messageGroupId: groupId, deduplicationId: deduplicationId)
            }
            XCTAssertEqual(error?.code, .invalidFIFOId)
            XCTAssertEqual(error?.description, expected + "; SNS takes 1 to 128 characters from ASCII 33 to 126 (letters, digits, punctuation)")
        }
        XCTAssertEqual(recording.calls, [], "nothing was sent")
    }

    func testDeferred_invalidId_failsAtTheProducingLine() async throws {
        let bed = try await bed()
        _ = await producerAssertThrows(SNSProducerError.self) {
            try await bed.graph.snsProducer.deferred { producer in
                try producer.produce(.created("Thing"), uri: "http://things/1", messageGroupId: String(repeating: "g", count: 129))
            }
        }
        let received = try await bed.drain()
        XCTAssertEqual(received, [])
    }

    func testProduce_toStandardTopic_sendsNoIds() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1", messageGroupId: "g", deduplicationId: "d")
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.messageGroupId), [nil])
        XCTAssertEqual(published.map(\.messageDeduplicationId), [nil])
    }

    func testConfig_mappingThatIsNotAnObject_failsNamingTheKey() throws {
        let graph = try ProducerTesting.graph(config: ["sns_producer": ["fifo": ["mappings": ["application/x": "id"]]]])
        XCTAssertThrowsError(try graph.snsProducer) { error in
            XCTAssertTrue(String(describing: error).contains("sns_producer.fifo.mappings.application/x"), String(describing: error))
        }
    }
}
