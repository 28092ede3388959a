import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

final class SNSProducerTests: XCTestCase {
    private let topicArn = ProducerTesting.topicArn

    // MARK: Binding and configuration

    func testDefaults_areMicrocosmPubSubs() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty)
        XCTAssertEqual(graph.config["sns_producer"], .object([
            "profile_name": .null, "region_name": .null, "endpoint_url": .null, "skip": .null,
            "deferred_batch_size": 100, "connect_timeout": 60, "read_timeout": 60, "sts_timeout": 10.0,
            "fifo": ["message_group_id_field": "uri", "message_group_id": .null, "deduplication_id_field": .null, "mappings": [:]],
        ]))
    }

    func testGraph_buildsTheProducerOnItsSNSClient() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_producer": ["deferred_batch_size": "7"]])
        try graph.use("sns_producer")
        graph.lock()
        let producer = try graph.snsProducer
        XCTAssertFalse(producer.skip)
        XCTAssertEqual(producer.deferredBatchSize, 7, "text from the environment is read as an int")
        XCTAssertEqual(producer.topicArns.defaultTopicArn, topicArn)
        XCTAssertTrue(graph.isCreated("sns_client"))
        try await ProducerTesting.createTopics(graph)
        let messageId = try await producer.produce(.created("Thing"), uri: "http://things/1")
        let publications = try await ProducerTesting.publications(graph)
        XCTAssertEqual(publications.map(\.messageId), [try XCTUnwrap(messageId)])
    }

    func testGraph_producerUsesAnOverriddenSNSClient() async throws {
        let graph = try ProducerTesting.graph()
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        graph.override(.snsClient) { _ in recording }
        try await ProducerTesting.createTopics(graph, [topicArn])
        try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1")
        XCTAssertEqual(recording.calls.map(\.action), ["Publish"])
    }

    func testDeferredBatchSize_notPositive_failsWhenTheGraphIsMade_namingTheKey() throws {
        XCTAssertThrowsError(try ProducerTesting.graph(config: ["sns_producer": ["deferred_batch_size": 0]])) { error in
            XCTAssertEqual("\(error)", "config 'sns_producer.deferred_batch_size' (from explicit config): "
                               + "expected a whole number of at least 1, got int 0")
        }
    }

    // MARK: Producing

    func testProduce_dynamicContent_publishesPythonsBytesWithTheMediaTypeAttribute() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let producer = try ProducerTesting.producer(graph)
        let messageId = try await producer.produce(.deleted("FooBar"), ["id": "1"], opaqueData: ["X-Request-Id": "req-1"])
        let publications = try await ProducerTesting.publications(graph)
        let published = try XCTUnwrap(publications.first)
        XCTAssertEqual(published.messageId, messageId)
        XCTAssertEqual(published.topicArn, topicArn)
        XCTAssertEqual(published.messageAttributes, ["media_type": .string("application/vnd.globality.pubsub._.deleted.foo_bar")])
        XCTAssertEqual(published.message, #"{"mediaType": "application/vnd.globality.pubsub._.deleted.foo_bar", "#
            + #""opaqueData": {"x-request-id": "req-1", "x-request-published": "1795960760.3517253"}, "id": "1"}"#)
    }

    func testProduce_uriAndExtraFields_writesOnlyTheSchemasFieldsInItsOrder() async throws {
        // Python: produce(changed("FooBar"), uri=..., field_name="state", new_value="done", extra=1)
        let graph = try ProducerTesting.graph(config: ["opaque": ["X-Base": "base"]])
        try await ProducerTesting.createTopics(graph)
        try await ProducerTesting.producer(graph).produce(.changed("FooBar"), ["new_value": "done", "extra": 1, "field_name": "state"],
                                                          uri: "http://things/1")
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.message), [#"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "#
            + #""opaqueData": {"x-base": "base", "x-request-published": "1795960760.3517253"}, "#
            + #""uri": "http://things/1", "field_name": "state", "new_value": "done"}"#])
    }

    func testProduce_uriArgument_replacesTheContentsURI() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        try await ProducerTesting.producer(graph).produce(.created("FooBar"), ["uri": "http://old"], uri: "http://things/1")
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.message), [#"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "#
            + #""opaqueData": {"x-request-published": "1795960760.3517253"}, "uri": "http://things/1"}"#])
    }

    func testProduce_typedConventionContent_writesTheSameBytesAsDynamic() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let producer = try ProducerTesting.producer(graph)
        try await producer.produce(ChangedURIMessage(uri: "http://things/1", fieldName: "state", newValue: "done"), as: .changed("FooBar"))
        try await producer.produce(.changed("FooBar"), ["field_name": "state", "new_value": "done"], uri: "http://things/1")
        let messages = try await ProducerTesting.publications(graph).map(\.message)
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages.first, messages.last)
    }

    func testProduce_typedMessage_usesItsMediaTypeAndSchema() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let producer = try ProducerTesting.producer(graph)
        try await producer.produce(ProducerTestShipped(uri: "http://orders/1", carrier: "ups"))
        let publications = try await ProducerTesting.publications(graph)
        let published = try XCTUnwrap(publications.first)
        XCTAssertEqual(published.messageAttributes["media_type"]?.stringValue, ProducerTestShipped.mediaType.rawValue)
        XCTAssertEqual(published.message, #"{"mediaType": "application/vnd.globality.pubsub._.shipped.order", "#
            + #""opaqueData": {"x-request-published": "1795960760.3517253"}, "uri": "http://orders/1", "carrier": "ups"}"#)
        let decoded = try producer.schemaRegistry.decode(published.message).decode(ProducerTestShipped.self)
        XCTAssertEqual(decoded, ProducerTestShipped(uri: "http://orders/1", carrier: "ups"))
    }

    func testProduce_invalidContent_throwsBeforeAnyIO() async throws {
        let graph = try ProducerTesting.graph()
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let producer = try ProducerTesting.producer(graph, sns: recording)
        let error = await producerAssertThrows(PubSubMessageError.self) { try await producer.produce(.created("FooBar"), ["url": "x"]) }
        XCTAssertEqual(error?.code, .invalidContent)
        XCTAssertEqual(error?.mediaType, .created("FooBar"))
        XCTAssertEqual(error?.field, "uri")
        XCTAssertEqual(recording.calls, [])
    }

    func testProduce_unregisteredMediaType_throwsBeforeAnyIO() async throws {
        let graph = try ProducerTesting.graph()
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let producer = try ProducerTesting.producer(graph, sns: recording)
        let error = await producerAssertThrows(PubSubMessageError.self) { try await producer.produce("application/vnd.acme.unknown") }
        XCTAssertEqual(error?.code, .unregistered)
        XCTAssertEqual(recording.calls, [])
    }

    func testProduce_withoutTopic_throwsTopicNotDefinedBeforeAnyIO() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_topic_arns": ["default": nil, "created": ["foo_bar": .string(topicArn)]]])
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let producer = try ProducerTesting.producer(graph, sns: recording)
        let error = await producerAssertThrows(SNSProducerError.self) {
            try await producer.produce(.deleted("FooBar"), ["id": "1"])
        }
        XCTAssertEqual(error?.code, .topicNotDefined)
        XCTAssertEqual(error?.mediaType, .deleted("FooBar"))
        XCTAssertTrue(error?.description.contains("application/vnd.globality.pubsub._.deleted.foo_bar") ?? false)
        XCTAssertEqual(recording.calls, [], "nothing was sent")
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published, [])
    }

    func testProduce_publishRefused_namesMediaTypeTopicAndAWSCode() async throws {
        let graph = try ProducerTesting.graph()   // the topic is never created
        let error = await producerAssertThrows(SNSProducerError.self) {
            try await ProducerTesting.producer(graph).produce(.created("FooBar"), uri: "http://things/1")
        }
        XCTAssertEqual(error?.code, .publishFailed)
        XCTAssertEqual(error?.awsErrorCode, "NotFound")
        XCTAssertEqual(error?.topicArn, topicArn)
        XCTAssertTrue(error?.description.hasPrefix("could not publish message of media type "
            + "'application/vnd.globality.pubsub._.created.foo_bar' to topic '\(topicArn)': ") ?? false, "\(String(describing: error))")
    }

    // MARK: Opaque data

    func testOpaque_givenThenCurrentValuesThenPublished_keysLowerCased() async throws {
        // Python writes {"x-request-id": "scoped", "b": "b", "x-base": "base", "x-request-published": ...} for this input.
        let graph = try ProducerTesting.graph(config: ["opaque": ["X-Base": "base"]])
        try await ProducerTesting.createTopics(graph)
        let producer = try ProducerTesting.producer(graph)
        _ = try await graph.opaque.withValues(["X-Request-Id": "scoped"]) {
            try await producer.produce(.created("FooBar"), uri: "http://things/1", opaqueData: ["X-Request-Id": "given", "B": "b"])
        }
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.message), [#"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "#
            + #""opaqueData": {"x-request-id": "scoped", "b": "b", "x-base": "base", "x-request-published": "1795960760.3517253"}, "#
            + #""uri": "http://things/1"}"#])
    }

    func testOpaque_eachTaskCarriesItsOwnValues() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let producer = try ProducerTesting.producer(graph)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try await graph.opaque.withValues(["x-request-id": "req-\(index)"]) {
                        try await producer.produce(.created("FooBar"), uri: "http://things/\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let registry = producer.schemaRegistry
        for publication in try await ProducerTesting.publications(graph) {
            let content = try registry.decode(publication.message)
            let index = try XCTUnwrap(content.uri?.split(separator: "/").last)
            XCTAssertEqual(content.opaqueValues["x-request-id"], "req-\(index)")
        }
    }

    func testPublished_isPythonsStrOfTime() async throws {
        let cases: [(Double, String)] = [
            (ProducerTesting.fixedTime, ProducerTesting.fixedTimeText), (1e9, "1000000000.0"),
            (1795960771.539651, "1795960771.539651"), (1795960760, "1795960760.0"), (1.5, "1.5"),
        ]
        let graph = try ProducerTesting.graph()
        for (time, text) in cases {
            let producer = try ProducerTesting.producer(graph, now: { time })
            let made = try await ProducerTesting.made(by: producer) { try $0.produce(.created("FooBar"), uri: "u") }
            XCTAssertEqual(made.first?.opaqueData["x-request-published"], .string(text), "\(time)")
        }
    }

    func testPublished_systemClock_isTheCurrentTimeAsText() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let before = Date().timeIntervalSince1970
        try await graph.snsProducer.produce(.created("FooBar"), uri: "http://things/1")
        let after = Date().timeIntervalSince1970
        let publications = try await ProducerTesting.publications(graph)
        let content = try graph.pubsubMessageSchemaRegistry.decode(try XCTUnwrap(publications.first).message)
        let published = try XCTUnwrap(content.opaqueValues["x-request-published"].flatMap(Double.init))
        XCTAssertTrue((before...after).contains(published), "\(before) <= \(published) <= \(after)")
    }

    // MARK: Skip

    func testSkip_unset_followsDebug_andBuildsNoSNSClient() async throws {
        // Not testing, no AWS configuration: a debug service must still start and produce nothing.
        let graph = try ProducerTesting.graph(debug: true, testing: false)
        let producer = try graph.snsProducer
        XCTAssertTrue(producer.skip)
        let messageId = try await producer.produce(.created("FooBar"), uri: "http://things/1")
        XCTAssertNil(messageId, "a skipped produce returns nil")
        XCTAssertFalse(graph.isCreated("sns_client"))
        XCTAssertFalse(try ProducerTesting.graph(debug: false).snsProducer.skip)
    }

    func testSkip_explicitFalseInDebug_publishes() async throws {
        let graph = try ProducerTesting.graph(debug: true, config: ["sns_producer": ["skip": false]])
        try await ProducerTesting.createTopics(graph)
        let messageId = try await graph.snsProducer.produce(.created("FooBar"), uri: "http://things/1")
        XCTAssertNotNil(messageId)
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.count, 1)
    }

    func testSkip_explicitTrue_publishesNothingAndReturnsNil() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_producer": ["skip": true]])
        try await ProducerTesting.createTopics(graph)
        let producer = try graph.snsProducer
        let dynamic = try await producer.produce(.created("FooBar"), uri: "http://things/1")
        let typed = try await producer.produce(ProducerTestShipped(uri: "http://orders/1", carrier: "ups"))
        let typedContent = try await producer.produce(URIMessage(uri: "http://things/1"), as: .created("FooBar"))
        XCTAssertEqual([dynamic, typed, typedContent], [nil, nil, nil])
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published, [])
    }

    func testSkip_text_isReadAsABoolean() throws {
        let table: [(String, Bool)] = [("true", true), ("yes", true), ("on", true), ("1", true), ("Y", true), ("False", false),
                                       ("no", false), ("off", false), ("0", false), ("n", false)]
        for (text, expected) in table {
            let graph = try ProducerTesting.graph(debug: !expected, loader: .environment(["THINGS__SNS_PRODUCER__SKIP": text]))
            XCTAssertEqual(try graph.snsProducer.skip, expected, "skip=\(text)")
        }
    }

    func testSkip_notABoolean_failsNamingTheKey() {
        XCTAssertThrowsError(try ProducerTesting.graph(config: ["sns_producer": ["skip": "maybe"]])) { error in
            XCTAssertTrue("\(error)".contains("sns_producer.skip"), "\(error)")
        }
    }

    // MARK: Size

    func testSize_atTheLimitIsPublished_oneByteOverIsRefusedBeforeAnyIO() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let producer = try ProducerTesting.producer(graph, sns: recording)
        // Measure the envelope around the uri, then fill it to exactly the limit.
        let overhead = try await ProducerTesting.made(by: producer) { try $0.produce(.created("FooBar"), uri: "") }[0].size
        let limit = RequestValidation.maximumSNSMessageBytes
        try await producer.produce(.created("FooBar"), uri: String(repeating: "a", count: limit - overhead))
        XCTAssertEqual(recording.calls.count, 1)

        let error = await producerAssertThrows(SNSProducerError.self) {
            try await producer.produce(.created("FooBar"), uri: String(repeating: "a", count: limit - overhead + 1))
        }
        XCTAssertEqual(error?.code, .messageTooLarge)
        XCTAssertEqual(error?.size, limit + 1)
        XCTAssertEqual(error?.description, "message of media type 'application/vnd.globality.pubsub._.created.foo_bar' is "
            + "\(limit + 1) bytes with its attributes, over SNS's \(limit)-byte limit")
        XCTAssertEqual(recording.calls.count, 1, "the oversize message was not sent")
    }

    // MARK: Logging

    func testLogging_debugLinesCarryNamespacedMetadata() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let logs = InMemoryLogHandler()
        graph.assign("logger", Logger(label: "things", level: .debug, handler: logs))
        let messageId = try await ProducerTesting.producer(graph).produce(.created("FooBar"), uri: "http://things/1")
        let records = logs.records
        XCTAssertEqual(records.map(\.message), ["Publishing message with media type application/vnd.globality.pubsub._.created.foo_bar",
                                                "Published message with media type application/vnd.globality.pubsub._.created.foo_bar"])
        XCTAssertEqual(records.map(\.level), [.debug, .debug])
        let published = try XCTUnwrap(records.last).metadata
        XCTAssertEqual(published["pubsub.media_type"], "application/vnd.globality.pubsub._.created.foo_bar")
        XCTAssertEqual(published["pubsub.topic_arn"], topicArn)
        XCTAssertEqual(published["pubsub.message_id"], messageId)
        XCTAssertNotNil(published["pubsub.elapsed_ms"].flatMap(Double.init), "elapsed milliseconds")
    }
}

/// A typed message of the producer tests.
struct ProducerTestShipped: PubSubMessage, Equatable {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
    var uri: String
    var carrier: String
}
