import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

final class DeferredBatchProducerTests: XCTestCase {
    private let topicArn = ProducerTesting.topicArn
    private let otherTopicArn = ProducerTesting.otherTopicArn
    private let batchTopicArn = "arn:aws:sns:us-east-1:123456789012:batches"
    private struct ScopeFailed: Error {}

    /// A testing graph whose `changed` messages go to the other topic, with a recording SNS.
    private func twoTopicGraph(_ config: JSONObject = [:],
                               rejects: @escaping @Sendable (PublishBatchEntry) -> Bool = { _ in false }) async throws -> (Graph, ProducerRecordingSNS) {
        let base: JSONObject = ["sns_topic_arns": ["changed": ["foo_bar": .string(otherTopicArn)]]]
        let graph = try ProducerTesting.graph(config: Configuration.merge(base, config))
        try await ProducerTesting.createTopics(graph, [topicArn, otherTopicArn, batchTopicArn])
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns, rejects: rejects)
        graph.override(.snsClient) { _ in recording }
        return (graph, recording)
    }

    /// Every third index (2, 5, 8, ...) is a change, for the other topic; the rest are created.
    private func isChange(_ index: Int) -> Bool { index % 3 == 2 }

    /// Produces `count` messages, uris `http://things/0` on, changes and creations interleaved (``isChange(_:)``).
    private func produceInterleaved(_ count: Int, to producer: DeferredProducer) throws {
        for index in 0..<count {
            try producer.produce(isChange(index) ? .changed("FooBar") : .created("FooBar"), uri: "http://things/\(index)")
        }
    }

    // MARK: PublishBatch

    func testPublishBatch_23MessagesToTwoTopics_callsOfAtMost10PerTopicInOrder() async throws {
        let (graph, recording) = try await twoTopicGraph()
        try await graph.snsProducer.deferredBatch { try produceInterleaved(23, to: $0) }   // 16 created, 7 changed
        XCTAssertEqual(recording.calls, [
            .init(action: "PublishBatch", topicArn: topicArn, entries: 10),
            .init(action: "PublishBatch", topicArn: topicArn, entries: 6),
            .init(action: "PublishBatch", topicArn: otherTopicArn, entries: 7),
        ])
        let registry = try graph.pubsubMessageSchemaRegistry
        let broker = try graph.pubsubBroker
        let created = try await broker.publications(to: topicArn).map { try registry.decode($0.message) }
        let changed = try await broker.publications(to: otherTopicArn).map { try registry.decode($0.message) }
        XCTAssertEqual(created.map(\.uri), (0..<23).filter { !isChange($0) }.map { "http://things/\($0)" })
        XCTAssertEqual(changed.map(\.uri), (0..<23).filter(isChange).map { "http://things/\($0)" })
        XCTAssertEqual(Set(created.map(\.mediaType)), [.created("FooBar")])
        let attributes = await broker.publications.map { $0.messageAttributes["media_type"]?.stringValue }
        XCTAssertEqual(Set(attributes), [MediaType.created("FooBar").rawValue, MediaType.changed("FooBar").rawValue])
    }

    func testPublishBatch_sendsTheMessagesAsMade() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        var made: [ProducedMessage] = []
        try await ProducerTesting.producer(graph).deferredBatch { producer in
            try producer.produce(.deleted("FooBar"), ["id": "1"], opaqueData: ["X-Request-Id": "req-1"])
            made = producer.messages
        }
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.message), [#"{"mediaType": "application/vnd.globality.pubsub._.deleted.foo_bar", "#
            + #""opaqueData": {"x-request-id": "req-1", "x-request-published": "1795960760.3517253"}, "id": "1"}"#])
        XCTAssertEqual(published.map(\.message), made.map(\.message))
        XCTAssertEqual(published.map(\.messageAttributes), made.map(\.messageAttributes))
    }

    func testPublishBatch_callsStayWithinSNSsSizeLimit() async throws {
        let (graph, recording) = try await twoTopicGraph()
        let large = String(repeating: "a", count: 100_000)
        try await graph.snsProducer.deferredBatch { producer in
            for index in 0..<5 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)/\(large)") }
        }
        XCTAssertEqual(recording.calls.map(\.entries), [2, 2, 1], "two 100 kB messages fit in 256 KiB, three do not")
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.count, 5)
    }

    func testPublishBatch_failedEntries_areReportedWithMediaTypeAndAWSCode() async throws {
        // SNS refuses the entries of one topic: bad entries among good ones.
        let deletedTopicArn = "arn:aws:sns:us-east-1:123456789012:deleted-things"
        let (graph, _) = try await twoTopicGraph(["sns_topic_arns": ["deleted": ["foo_bar": .string(deletedTopicArn)]]]) { entry in
            entry.messageAttributes["media_type"]?.stringValue == MediaType.deleted("FooBar").rawValue
        }
        try await ProducerTesting.createTopics(graph, [deletedTopicArn])
        let error = await producerAssertThrows(DeferredPublishError.self) {
            try await graph.snsProducer.deferredBatch { producer in
                try producer.produce(.created("FooBar"), uri: "http://things/0")
                try producer.produce(.deleted("FooBar"), ["id": "1"])
                try producer.produce(.changed("FooBar"), uri: "http://things/2")
                try producer.produce(.deleted("FooBar"), ["id": "3"])
            }
        }
        XCTAssertEqual(error?.failures.map(\.index), [1, 3])
        XCTAssertEqual(error?.failures.map(\.mediaType), [.deleted("FooBar"), .deleted("FooBar")])
        XCTAssertEqual(error?.failures.map(\.topicArn), [deletedTopicArn, deletedTopicArn])
        XCTAssertEqual(error?.failures.map(\.code), ["InvalidParameter", "InvalidParameter"])
        XCTAssertEqual(error?.total, 4)
        let description = error?.description ?? ""
        XCTAssertTrue(description.hasPrefix("2 of 4 deferred messages were not published:\n  #1 "
            + "application/vnd.globality.pubsub._.deleted.foo_bar to \(deletedTopicArn): InvalidParameter: "), description)
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.topicArn), [topicArn, otherTopicArn], "the good entries were published")
        XCTAssertEqual(error?.publishedMessageIds, published.map(\.messageId))
    }

    func testPublishBatch_failedCall_reportsEachOfItsEntriesAndTheOtherCallsGoOn() async throws {
        let (graph, recording) = try await twoTopicGraph()
        let throttled = AWSError(code: "Throttling", message: "Rate exceeded", statusCode: 400)
        try graph.pubsubBroker.faults.fail(.publishBatch, with: throttled, times: 1)
        let error = await producerAssertThrows(DeferredPublishError.self) {
            try await graph.snsProducer.deferredBatch { producer in
                for index in 0..<13 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)") }
            }
        }
        XCTAssertEqual(recording.calls.map(\.entries), [10, 3])
        XCTAssertEqual(error?.failures.map(\.index), Array(0..<10))
        XCTAssertEqual(Set(error?.failures.map(\.code) ?? []), ["Throttling"])
        XCTAssertEqual(error?.failures.first?.message, "Rate exceeded")
        let published = try await ProducerTesting.publications(graph)
        let registry = try graph.pubsubMessageSchemaRegistry
        XCTAssertEqual(try published.map { try registry.decode($0.message).uri }, (10..<13).map { "http://things/\($0)" })
    }

    func testPublishBatch_scopeThrows_publishesNothing() async throws {
        let (graph, recording) = try await twoTopicGraph()
        let error = await producerAssertThrows(ScopeFailed.self) {
            try await graph.snsProducer.deferredBatch { producer in
                for index in 0..<12 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)") }
                throw ScopeFailed()
            }
        }
        XCTAssertNotNil(error)
        XCTAssertEqual(recording.calls, [])
    }

    // MARK: Batch message

    func testBatchMessage_writesTheBytesOfOurPythonFixture() async throws {
        try await assertReproducesBatch(try WireFixtures.ownFile("microcosm-pubsub-3.0.0-batch-wrapped.json"), opaque: ["X-Request-Id": "req-123"])
    }

    func testBatchMessage_writesTheBytesOfTheSharedPythonFixture() async throws {
        try await assertReproducesBatch(try WireFixtures.sharedFile("microcosm-pubsub-3.0.0-batch-via-moto.json"), opaque: [:])
    }

    /// Replays Python's `DeferredBatchProducer` run (three created.foo_bar, uris .../0 to .../2) with
    /// Python's clock and compares the batch message: topic, attribute and exact text.
    private func assertReproducesBatch(_ file: JSONValue, opaque: OpaqueValues, line: UInt = #line) async throws {
        let fixture = try XCTUnwrap(try WireFixtures.received(file).first)
        let expected = try JSONParser.parse(fixture.message)
        let inner = try XCTUnwrap(expected["messages"]?.arrayValue)
        let times = try (inner.map { try XCTUnwrap($0["opaque_data"]?["x-request-published"]?.stringValue) }
            + [try XCTUnwrap(expected["opaqueData"]?["x-request-published"]?.stringValue)]).map { try XCTUnwrap(Double($0)) }
        let topicArn = try XCTUnwrap(inner.first?["topic_arn"]?.stringValue)
        let graph = try ProducerTesting.graph(config: ["sns_topic_arns": [
            "default": .string(topicArn), "mappings": [BatchMessage.mediaType.rawValue: .string(topicArn)],
        ]])
        try await ProducerTesting.createTopics(graph, [topicArn])
        let clock = ProducerScriptedClock(times)
        try await ProducerTesting.producer(graph, now: clock.now).deferredBatch(.batchMessage) { producer in
            for index in 0..<3 {
                try producer.produce(.created("FooBar"), uri: "http://example.com/foo_bars/\(index)", opaqueData: opaque)
            }
        }
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.count, 1, line: line)
        XCTAssertEqual(published.first?.topicArn, topicArn, line: line)
        XCTAssertEqual(published.first?.messageAttributes["media_type"]?.stringValue, fixture.mediaTypeAttribute, line: line)
        XCTAssertEqual(published.first?.message, fixture.message, line: line)
        XCTAssertEqual(clock.callCount, 4, "three inner messages, then the batch", line: line)
    }

    func testBatchMessage_chunksOfDeferredBatchSize_aChunkOfOneIsPublishedDirectly() async throws {
        let (graph, recording) = try await twoTopicGraph([
            "sns_producer": ["deferred_batch_size": 4],
            "sns_topic_arns": ["created": ["batch_message": .string(batchTopicArn)]],
        ])
        try await graph.snsProducer.deferredBatch(.batchMessage) { try produceInterleaved(9, to: $0) }
        XCTAssertEqual(recording.calls, [
            .init(action: "Publish", topicArn: batchTopicArn, entries: 1),
            .init(action: "Publish", topicArn: batchTopicArn, entries: 1),
            .init(action: "Publish", topicArn: otherTopicArn, entries: 1),
        ], "batches of 4, 4, then the ninth message (a change) alone, to its own topic")
        let registry = try graph.pubsubMessageSchemaRegistry
        let published = try await ProducerTesting.publications(graph)
        let batches = try published.prefix(2).map { try registry.decode($0.message).decode(BatchMessage.self) }
        XCTAssertEqual(batches.map { $0.messages.count }, [4, 4])
        let inner = batches.flatMap(\.messages)
        XCTAssertEqual(try inner.map { try registry.decode($0.message).uri }, (0..<8).map { "http://things/\($0)" })
        XCTAssertEqual(inner.map(\.topicArn), (0..<8).map { isChange($0) ? otherTopicArn : topicArn })
        XCTAssertEqual(inner.map(\.mediaType), (0..<8).map { isChange($0) ? .changed("FooBar") : .created("FooBar") })
        XCTAssertEqual(inner.first?.messageAttributes, BatchedMessage.attributes(for: .created("FooBar")))
        XCTAssertEqual(try registry.decode(published[2].message).uri, "http://things/8")
        XCTAssertEqual(published.map { $0.messageAttributes["media_type"]?.stringValue },
                       [BatchMessage.mediaType.rawValue, BatchMessage.mediaType.rawValue, MediaType.changed("FooBar").rawValue])
    }

    func testBatchMessage_noTopicForTheBatchMediaType_throwsTopicNotDefinedBeforeAnyIO() async throws {
        let (graph, recording) = try await twoTopicGraph()   // a default topic, but none for batches
        let error = await producerAssertThrows(SNSProducerError.self) {
            try await graph.snsProducer.deferredBatch(.batchMessage) { producer in
                for index in 0..<3 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)") }
            }
        }
        XCTAssertEqual(error?.code, .topicNotDefined)
        XCTAssertEqual(error?.mediaType, BatchMessage.mediaType)
        XCTAssertEqual(recording.calls, [])
    }

    func testBatchMessage_overSNSsSizeLimit_isSplit() async throws {
        let (graph, recording) = try await twoTopicGraph(["sns_topic_arns": ["created": ["batch_message": .string(batchTopicArn)]]])
        let large = String(repeating: "a", count: 100_000)
        try await graph.snsProducer.deferredBatch(.batchMessage) { producer in
            for index in 0..<3 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)/\(large)") }
        }
        XCTAssertEqual(recording.calls.map(\.topicArn), [topicArn, batchTopicArn], "the first alone, the other two as one batch")
        let published = try await ProducerTesting.publications(graph)
        let batch = try graph.pubsubMessageSchemaRegistry.decode(published[1].message).decode(BatchMessage.self)
        XCTAssertEqual(batch.messages.count, 2)
    }

    func testBatchMessage_refused_reportsEveryInnerMessage() async throws {
        let missingTopicArn = "arn:aws:sns:us-east-1:123456789012:missing-batches"
        let (graph, _) = try await twoTopicGraph(["sns_topic_arns": ["created": ["batch_message": .string(missingTopicArn)]]])
        let error = await producerAssertThrows(DeferredPublishError.self) {
            try await graph.snsProducer.deferredBatch(.batchMessage) { producer in
                for index in 0..<3 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)") }
            }
        }
        XCTAssertEqual(error?.failures.map(\.index), [0, 1, 2])
        XCTAssertEqual(Set(error?.failures.map(\.code) ?? []), ["NotFound"])
        XCTAssertEqual(error?.failures.first?.topicArn, topicArn, "each inner message names its own topic")
        XCTAssertTrue(error?.failures.first?.message.hasPrefix("in batch message to \(missingTopicArn): ") ?? false,
                      "\(String(describing: error))")
    }
}
