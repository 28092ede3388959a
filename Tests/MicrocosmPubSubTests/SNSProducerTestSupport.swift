import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import Synchronization
import XCTest

/// Shared set-up for the producer tests: testing graphs on the in-memory broker, a scripted clock
/// and an SNS that records every call.
enum ProducerTesting {
    static let topicArn = "arn:aws:sns:us-east-1:123456789012:things"
    static let otherTopicArn = "arn:aws:sns:us-east-1:123456789012:other-things"
    /// A fixed `time()`, and what Python's `str()` writes for it.
    static let fixedTime = 1795960760.3517253
    static let fixedTimeText = "1795960760.3517253"

    /// A testing graph (in-memory broker) with `sns_topic_arns.default` = ``topicArn`` unless `config` says otherwise.
    static func graph(debug: Bool = false, testing: Bool = true, config: JSONObject = [:], loader: ConfigLoader = .empty) throws -> Graph {
        let base: JSONObject = ["sns_topic_arns": ["default": .string(topicArn)]]
        let graph = try Graph(name: "things", debug: debug, testing: testing, registry: .pubsub, loader: loader,
                              config: Configuration.merge(base, config))
        // These tests create their topics, and some need SNS to refuse a topic nobody created;
        // a testing graph's own broker would create it on the first publish.
        graph.assign(.pubsubBroker, InMemoryBroker(createsTopicsOnPublish: false))
        return graph
    }

    /// The graph's producer with its clock replaced by `now` (and its SNS by `sns`, when given).
    static func producer(_ graph: Graph, sns: (any SNSAPI)? = nil, now: @escaping @Sendable () -> Double = { fixedTime }) throws -> SNSProducer {
        let existing = try graph.snsProducer
        return SNSProducer(snsClient: try sns ?? graph.snsClient, topicArns: existing.topicArns, schemaRegistry: existing.schemaRegistry,
                           opaque: graph.opaque, logger: graph.logger, skip: existing.skip,
                           deferredBatchSize: existing.deferredBatchSize, now: now)
    }

    /// Creates the topics named by `topicArns` in the graph's broker.
    static func createTopics(_ graph: Graph, _ topicArns: [String] = [topicArn, otherTopicArn]) async throws {
        for topicArn in topicArns {
            let name = String(topicArn.split(separator: ":").last!)
            let attributes = name.hasSuffix(".fifo") ? ["FifoTopic": "true", "ContentBasedDeduplication": "true"] : [:]
            _ = try await graph.pubsubBroker.sns.createTopic(name: name, attributes: attributes)
        }
    }

    /// The messages `body` produces through a deferred producer, made but never published.
    static func made(by producer: SNSProducer, _ body: (DeferredProducer) throws -> Void) async throws -> [ProducedMessage] {
        struct Abandon: Error {}
        var made: [ProducedMessage] = []
        do {
            try await producer.deferred { deferred in
                try body(deferred)
                made = deferred.messages
                throw Abandon()
            }
        } catch is Abandon {}
        return made
    }

    /// Everything the graph's broker accepted.
    static func publications(_ graph: Graph) async throws -> [BrokerPublication] {
        await (try graph.pubsubBroker).publications
    }
}

/// `time()` that returns the given values in turn, then keeps returning the last one.
final class ProducerScriptedClock: Sendable {
    private let times: Mutex<[Double]>
    private let calls = Mutex(0)

    init(_ times: [Double]) { self.times = Mutex(times) }

    /// How many times the clock was read.
    var callCount: Int { calls.withLock { $0 } }

    @Sendable func now() -> Double {
        calls.withLock { $0 += 1 }
        return times.withLock { times in times.count > 1 ? times.removeFirst() : times[0] }
    }
}

/// An SNS that records each call (its action, topic and entry count) and passes it on.
final class ProducerRecordingSNS: SNSAPI {
    struct Call: Equatable, CustomStringConvertible {
        var action: String
        var topicArn: String
        var entries: Int
        var description: String { "\(action)(\(topicArn.split(separator: ":").last!), \(entries))" }
    }

    private let wrapped: any SNSAPI
    private let recorded = Mutex<[Call]>([])
    private let rejects: @Sendable (PublishBatchEntry) -> Bool

    /// Records calls to `wrapped`; PublishBatch entries `rejects` picks fail with `InvalidParameter`
    /// (the others go on to `wrapped`).
    init(_ wrapped: any SNSAPI, rejects: @escaping @Sendable (PublishBatchEntry) -> Bool = { _ in false }) {
        self.wrapped = wrapped
        self.rejects = rejects
    }

    /// Every call so far, in order.
    var calls: [Call] { recorded.withLock { $0 } }

    private func record(_ action: String, _ topicArn: String, _ entries: Int = 1) {
        recorded.withLock { $0.append(Call(action: action, topicArn: topicArn, entries: entries)) }
    }

    func publish(_ request: PublishRequest) async throws -> PublishResult {
        record("Publish", request.topicArn)
        return try await wrapped.publish(request)
    }

    func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        record("PublishBatch", topicArn, entries.count)
        let rejected = entries.filter(rejects)
        let accepted = entries.filter { !rejects($0) }
        var result = accepted.isEmpty ? BatchResult() : try await wrapped.publishBatch(topicArn: topicArn, entries: accepted)
        result.failed += rejected.map { BatchResultError(id: $0.id, code: "InvalidParameter", message: "Invalid parameter: rejected by the test",
                                                         senderFault: true) }
        return result
    }

    func createTopic(name: String, attributes: [String: String]) async throws -> String {
        record("CreateTopic", name)
        return try await wrapped.createTopic(name: name, attributes: attributes)
    }

    func deleteTopic(topicArn: String) async throws {
        record("DeleteTopic", topicArn)
        try await wrapped.deleteTopic(topicArn: topicArn)
    }

    func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        record("Subscribe", topicArn)
        return try await wrapped.subscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint, attributes: attributes)
    }

    func unsubscribe(subscriptionArn: String) async throws {
        record("Unsubscribe", subscriptionArn)
        try await wrapped.unsubscribe(subscriptionArn: subscriptionArn)
    }

    func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        record("ListSubscriptionsByTopic", topicArn)
        return try await wrapped.listSubscriptionsByTopic(topicArn: topicArn)
    }

    func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        record("GetTopicAttributes", topicArn)
        return try await wrapped.getTopicAttributes(topicArn: topicArn)
    }
}

/// Asserts that `body` throws an error of type `E`, and returns it.
func producerAssertThrows<E: Error, T>(_ expected: E.Type, _ body: () async throws -> T, file: StaticString = #filePath,
                                       line: UInt = #line) async -> E? {
    do {
        _ = try await body()
        XCTFail("expected \(E.self), nothing was thrown", file: file, line: line)
    } catch let error as E {
        return error
    } catch {
        XCTFail("expected \(E.self), got \(Swift.type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}
