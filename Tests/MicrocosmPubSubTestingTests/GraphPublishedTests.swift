import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// `graph.published`: the broker's record of a testing graph, read as messages.
final class GraphPublishedTests: XCTestCase {
    func testPublished_isEveryMessageInOrder_withItsTopicAndId() async throws {
        let graph = try await ordersGraph()
        let first = try await publish(graph, .created("Order"), ["uri": "http://orders/1"], opaqueData: ["x-request-id": "req-1"])
        let second = try await publish(graph, OrderShipped(uri: "http://orders/1", carrier: "ups"), to: auditTopic)

        let published = try await graph.published
        XCTAssertEqual(published.map(\.mediaType), [.created("Order"), OrderShipped.mediaType])
        XCTAssertEqual(published.map(\.topicArn), [ordersTopic, auditTopic])
        XCTAssertEqual(published.map(\.messageId), [first, second])
        XCTAssertEqual(published[0].fields, ["uri": "http://orders/1"])
        XCTAssertEqual(published[0].opaqueData, ["x-request-id": "req-1"])
        XCTAssertEqual(published[0].messageAttributes["media_type"], .string(MediaType.created("Order").rawValue))
        XCTAssertEqual(try published[1].decode(OrderShipped.self), OrderShipped(uri: "http://orders/1", carrier: "ups"))
    }

    func testPublished_includesEachPublishBatchEntry() async throws {
        let graph = try await ordersGraph()
        let registry = try graph.pubsubMessageSchemaRegistry
        let entries = try (1...3).map { index in
            let text = try registry.encode(.created("Order"), fields: ["uri": .string("http://orders/\(index)")])
            return PublishBatchEntry(id: "e\(index)", message: text)
        }
        _ = try await graph.snsClient.publishBatch(topicArn: ordersTopic, entries: entries)
        let published = try await graph.published
        XCTAssertEqual(published.map(\.uri), ["http://orders/1", "http://orders/2", "http://orders/3"])
    }

    func testPublishedTo_isOnlyThatTopics() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, noteAdded, ["note": "fragile"], to: auditTopic)
        let toAudit = try await graph.published(to: auditTopic)
        XCTAssertEqual(toAudit.map(\.mediaType), [noteAdded])
    }

    func testClearPublished_forgetsWhatWasPublishedBefore() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await graph.clearPublished()
        try await publish(graph, .deleted("Order"), ["id": "1"])
        let published = try await graph.published
        XCTAssertEqual(published.map(\.mediaType), [.deleted("Order")])
    }

    func testWaitForPublished_returnsOnceEnoughArePublishedByAnotherTask() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        let publisher = Task {
            try await Task.sleep(for: .milliseconds(20))
            try await publish(graph, .deleted("Order"), ["id": "1"])
        }
        let published = try await graph.waitForPublished(count: 2)
        XCTAssertEqual(published.map(\.mediaType), [.created("Order"), .deleted("Order")])
        try await publisher.value
    }

    func testWaitForPublished_timeout_throwsListingWhatWasPublished() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        do {
            _ = try await graph.waitForPublished(count: 2, timeout: .milliseconds(20))
            XCTFail("no error")
        } catch let error as PubSubTestingError {
            XCTAssertEqual(error.code, .timedOut)
            XCTAssertEqual(error.description, """
                graph 'orders' published 1 of the 2 messages waited for within 0.02 seconds:
                  1. application/vnd.globality.pubsub._.created.order {"uri": "http://orders/1"} on \(ordersTopic)
                """)
        }
    }

    func testPublished_beforeAnySNSClient_isEmpty_evenOnALockedGraph() async throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub, loader: .empty)
        graph.lock()
        let published = try await graph.published
        XCTAssertEqual(published, [])
        try await graph.clearPublished()
    }

    func testPublished_graphNotTesting_throwsNotRecording() async throws {
        let graph = try Graph(name: "orders", registry: .pubsub, loader: .empty, config: ["sns_producer": ["endpoint_url": "memory://"]])
        await assertTestingError(.notRecording, "graph 'orders' does not record publications: make it with testing: true "
                                     + "(or Graph.pubsubTesting)") { _ = try await graph.published }
        _ = try graph.pubsubBroker
        await assertTestingError(.notRecording) { _ = try await graph.published }
        _ = try graph.snsClient
        await assertTestingError(.notRecording) { _ = try await graph.published }
    }

    func testPublished_snsClientOverridden_throwsNotThroughBroker() async throws {
        let graph = try await ordersGraph()
        let elsewhere = InMemoryBroker()
        graph.override(.snsClient) { _ in ForwardingSNS(wrapped: elsewhere.sns) }
        _ = try graph.snsClient
        await assertTestingError(.notThroughBroker, "graph 'orders' publishes through its overridden sns_client, not the in-memory "
                                     + "broker: its publications cannot be seen") { _ = try await graph.published }
    }

    func testPublished_snsClientOverriddenWithAnotherRecordingBroker_readsThatBroker() async throws {
        let graph = try await ordersGraph()
        let other = InMemoryBroker()
        let topicArn = try await other.sns.createTopic(name: "orders", attributes: [:])
        graph.override(.snsClient) { _ in other.sns }
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"], to: topicArn)
        let published = try await graph.published
        XCTAssertEqual(published.map(\.uri), ["http://orders/1"])
    }

    func testPublished_textThatIsNotAMessage_throwsNamingIt() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, text: "hello", to: auditTopic)
        await assertTestingError(.unreadable, "message 2 published on \(auditTopic) is not a pubsub message: message is not JSON: ") {
            _ = try await graph.published
        }
    }

    /// Asserts that `body` throws a ``PubSubTestingError`` with `code`, whose description starts with `prefix`.
    private func assertTestingError(_ code: PubSubTestingError.Code, _ prefix: String = "", file: StaticString = #filePath,
                                    line: UInt = #line, _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("no error", file: file, line: line)
        } catch let error as PubSubTestingError {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(prefix), "\(error)", file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

/// An SNS client that is not the in-memory broker's (it forwards, as a decorator would).
struct ForwardingSNS: SNSAPI {
    let wrapped: InMemorySNS
    func publish(_ request: PublishRequest) async throws -> PublishResult { try await wrapped.publish(request) }
    func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        try await wrapped.publishBatch(topicArn: topicArn, entries: entries)
    }
    func createTopic(name: String, attributes: [String: String]) async throws -> String {
        try await wrapped.createTopic(name: name, attributes: attributes)
    }
    func deleteTopic(topicArn: String) async throws { try await wrapped.deleteTopic(topicArn: topicArn) }
    func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        try await wrapped.subscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint, attributes: attributes)
    }
    func unsubscribe(subscriptionArn: String) async throws { try await wrapped.unsubscribe(subscriptionArn: subscriptionArn) }
    func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        try await wrapped.listSubscriptionsByTopic(topicArn: topicArn)
    }
    func getTopicAttributes(topicArn: String) async throws -> [String: String] { try await wrapped.getTopicAttributes(topicArn: topicArn) }
}
