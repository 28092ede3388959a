import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

final class DeferredProducerTests: XCTestCase {
    private let topicArn = ProducerTesting.topicArn
    private struct ScopeFailed: Error {}

    func testDeferred_scopeSucceeds_publishesEverythingInOrderAfterTheScope() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let broker = try graph.pubsubBroker
        let result = try await graph.snsProducer.deferred { producer in
            for index in 0..<5 { try producer.produce(.created("FooBar"), uri: "http://things/\(index)") }
            try producer.produce(URIMessage(uri: "http://things/5"), as: .created("FooBar"))
            try producer.produce(ProducerTestShipped(uri: "http://orders/6", carrier: "ups"))
            let duringScope = await broker.publications
            XCTAssertEqual(duringScope, [], "nothing is published before the scope ends")
            return "the scope's result"
        }
        XCTAssertEqual(result, "the scope's result")
        let published = try await ProducerTesting.publications(graph)
        let registry = try graph.pubsubMessageSchemaRegistry
        XCTAssertEqual(try published.map { try registry.decode($0.message).uri },
                       (0..<5).map { "http://things/\($0)" } + ["http://things/5", "http://orders/6"])
        XCTAssertEqual(published.map { $0.messageAttributes["media_type"]?.stringValue },
                       Array(repeating: MediaType.created("FooBar").rawValue, count: 6) + [ProducerTestShipped.mediaType.rawValue])
    }

    func testDeferred_scopeThrows_publishesNothingAndRethrows() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let producer = try ProducerTesting.producer(graph, sns: recording)
        let error = await producerAssertThrows(ScopeFailed.self) {
            try await producer.deferred { deferred in
                try deferred.produce(.created("FooBar"), uri: "http://things/1")
                try deferred.produce(.created("FooBar"), uri: "http://things/2")
                throw ScopeFailed()
            }
        }
        XCTAssertNotNil(error)
        XCTAssertEqual(recording.calls, [])
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published, [])
    }

    func testDeferred_messagesAreMadeWhenProduced_withTheOpaqueDataOfThatMoment() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        let clock = ProducerScriptedClock([100.25, 200.5])
        let producer = try ProducerTesting.producer(graph, now: clock.now)
        var made: [ProducedMessage] = []
        try await producer.deferred { deferred in
            try graph.opaque.withValues(["X-Request-Id": "req-inner"]) {
                try deferred.produce(.created("FooBar"), uri: "http://things/1")
            }
            try deferred.produce(.created("FooBar"), uri: "http://things/2")
            XCTAssertEqual(clock.callCount, 2, "x-request-published is read when each message is produced")
            made = deferred.messages
            XCTAssertEqual(made.map(\.topicArn), [topicArn, topicArn], "the topic is chosen when produced")
        }
        XCTAssertEqual(made.map(\.opaqueData), [["x-request-id": "req-inner", "x-request-published": "100.25"],
                                                ["x-request-published": "200.5"]])
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.map(\.message), made.map(\.message), "what was made is what is sent")
        XCTAssertEqual(clock.callCount, 2)
    }

    func testDeferred_invalidContent_failsAtTheProduceLine() async throws {
        let graph = try ProducerTesting.graph()
        try await ProducerTesting.createTopics(graph)
        var reachedAfterBadProduce = false
        let error = await producerAssertThrows(PubSubMessageError.self) {
            try await graph.snsProducer.deferred { deferred in
                try deferred.produce(.created("FooBar"), uri: "http://things/1")
                try deferred.produce(.deleted("FooBar"), ["uri": "http://things/1"])   // deleted needs an id
                reachedAfterBadProduce = true
            }
        }
        XCTAssertEqual(error?.mediaType, .deleted("FooBar"))
        XCTAssertFalse(reachedAfterBadProduce)
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published, [], "the scope failed: not even the good message is sent")
    }

    func testDeferred_topicNotDefined_failsAtTheProduceLineBeforeAnyIO() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_topic_arns": ["default": nil]])
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        let error = await producerAssertThrows(SNSProducerError.self) {
            try await ProducerTesting.producer(graph, sns: recording).deferred { deferred in
                try deferred.produce(.created("FooBar"), uri: "http://things/1")
            }
        }
        XCTAssertEqual(error?.code, .topicNotDefined)
        XCTAssertEqual(recording.calls, [])
    }

    func testDeferred_skip_producesNothing() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_producer": ["skip": "yes"]])
        try await ProducerTesting.createTopics(graph)
        let count = try await graph.snsProducer.deferred { deferred in
            try deferred.produce(.created("FooBar"), uri: "http://things/1")
            try deferred.produce(ProducerTestShipped(uri: "http://orders/1", carrier: "ups"))
            return deferred.messages.count
        }
        XCTAssertEqual(count, 0)
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published, [])
    }

    func testDeferred_aMessageRefused_theOthersAreStillPublishedAndTheRefusedOneIsNamed() async throws {
        let graph = try ProducerTesting.graph(config: ["sns_topic_arns": ["deleted": ["foo_bar": .string(ProducerTesting.otherTopicArn)]]])
        try await ProducerTesting.createTopics(graph, [topicArn])   // the deleted topic does not exist
        let error = await producerAssertThrows(DeferredPublishError.self) {
            try await graph.snsProducer.deferred { deferred in
                try deferred.produce(.created("FooBar"), uri: "http://things/1")
                try deferred.produce(.deleted("FooBar"), ["id": "1"])
                try deferred.produce(.created("FooBar"), uri: "http://things/2")
            }
        }
        let published = try await ProducerTesting.publications(graph)
        XCTAssertEqual(published.count, 2)
        XCTAssertEqual(error?.publishedMessageIds, published.map(\.messageId))
        XCTAssertEqual(error?.total, 3)
        let failure = try XCTUnwrap(error?.failures.first)
        XCTAssertEqual(error?.failures.count, 1)
        XCTAssertEqual(failure.index, 1)
        XCTAssertEqual(failure.mediaType, .deleted("FooBar"))
        XCTAssertEqual(failure.topicArn, ProducerTesting.otherTopicArn)
        XCTAssertEqual(failure.code, "NotFound")
        XCTAssertEqual(error?.description, "1 of 3 deferred messages was not published:\n  #1 "
            + "application/vnd.globality.pubsub._.deleted.foo_bar to \(ProducerTesting.otherTopicArn): NotFound: "
            + "Topic does not exist: \(ProducerTesting.otherTopicArn)")
    }

    func testDeferred_nothingProduced_publishesNothing() async throws {
        let graph = try ProducerTesting.graph()
        let recording = ProducerRecordingSNS(try graph.pubsubBroker.sns)
        try await ProducerTesting.producer(graph, sns: recording).deferred { _ in }
        try await ProducerTesting.producer(graph, sns: recording).deferredBatch { _ in }
        try await ProducerTesting.producer(graph, sns: recording).deferredBatch(.batchMessage) { _ in }
        XCTAssertEqual(recording.calls, [])
    }
}
