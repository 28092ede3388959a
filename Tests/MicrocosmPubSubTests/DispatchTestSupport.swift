import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import Synchronization
import XCTest

/// A testing graph whose producer publishes to topic `things` and whose consumer reads queue
/// `things-worker`, subscribed to it, on the graph's own in-memory broker (which records
/// publications and creates topics on first publish); its logger keeps
/// records in ``logs`` (at every level, without the graph's opaque metadata provider, so what the
/// dispatcher logs is all there is) and its metrics go to ``metrics``.
struct DispatchTestBed {
    static let topicArn = "arn:aws:sns:us-east-1:123456789012:things"
    static let queueName = "things-worker"
    static let queueURL = "memory://sqs.us-east-1/123456789012/things-worker"

    let graph: Graph
    let broker: InMemoryBroker
    let logs: InMemoryLogHandler
    let metrics: InMemoryPubSubMetrics
    let queueURL: String

    static func make(config: JSONObject = [:], logLevel: LogLevel = .trace) async throws -> Self {
        let base: JSONObject = [
            "sns_topic_arns": ["default": .string(topicArn)],
            "sqs_consumer": ["sqs_queue_url": .string(Self.queueURL), "wait_seconds": 0],
        ]
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: Configuration.merge(base, config))
        let broker = try graph.pubsubBroker
        let queueURL = broker.queueURL(named: queueName)
        XCTAssertEqual(queueURL, Self.queueURL)
        let logs = InMemoryLogHandler()
        graph.assign("logger", Logger(label: "things", level: logLevel, handler: logs))
        let metrics = InMemoryPubSubMetrics()
        graph.assign(.pubsubMetrics, metrics)
        _ = try await broker.sqs.createQueue(name: queueName, attributes: [:])
        let topicArn = try await broker.sns.createTopic(name: "things", attributes: [:])
        XCTAssertEqual(topicArn, Self.topicArn)
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: queueName), attributes: [:])
        return Self(graph: graph, broker: broker, logs: logs, metrics: metrics, queueURL: queueURL)
    }

    /// The graph's dispatcher for `handlers` (assigned first, as a daemon does).
    func dispatcher(_ handlers: MessageHandlers) throws -> SQSMessageDispatcher {
        graph.assign(.sqsMessageHandlers, handlers)
        return try graph.sqsMessageDispatcher
    }

    /// A dispatcher for one closure handling `mediaType`.
    func dispatcher(for mediaType: MediaType = .created("Thing"), _ handler: @escaping MessageHandlers.Handler) throws -> SQSMessageDispatcher {
        var handlers = MessageHandlers()
        handlers.register(mediaType, handler)
        return try dispatcher(handlers)
    }

    /// Produces a message through the graph's producer.
    func produce(_ mediaType: MediaType = .created("Thing"), _ content: JSONObject = [:], uri: String? = "http://things/1",
                 opaqueData: JSONObject = [:]) async throws {
        try await graph.snsProducer.produce(mediaType, content, uri: uri, opaqueData: opaqueData)
    }

    /// Publishes `text` to the topic as it is, with a `media_type` attribute when given.
    func publishText(_ text: String, mediaType: String? = nil) async throws {
        let attributes = mediaType.map { [PubSubWire.mediaTypeAttribute: MessageAttributeValue.string($0)] } ?? [:]
        _ = try await broker.sns.publish(PublishRequest(topicArn: Self.topicArn, message: text, messageAttributes: attributes))
    }

    /// The one message waiting in the queue, consumed through the graph's consumer.
    func consumeOne(file: StaticString = #filePath, line: UInt = #line) async throws -> ConsumedMessage {
        let messages = try await graph.sqsConsumer.consume()
        XCTAssertEqual(messages.count, 1, "messages consumed", file: file, line: line)
        return try XCTUnwrap(messages.first, file: file, line: line)
    }

    /// Produces a created.thing message and consumes it.
    func producedMessage(opaqueData: JSONObject = [:]) async throws -> ConsumedMessage {
        try await produce(opaqueData: opaqueData)
        return try await consumeOne()
    }

    /// The dispatcher's result lines (`Result for media type: ...`).
    var resultRecords: [LogRecord] { logs.records.filter { $0.message.hasPrefix("Result for media type:") } }

    /// Messages published to `topicArn` since the bed was made, parsed.
    func published(to topicArn: String = DispatchTestBed.topicArn) async throws -> [JSONValue] {
        try await broker.publications(to: topicArn).map { try JSONParser.parse($0.message) }
    }
}

/// A handler's error that is none of SkipMessage, IgnoreMessage or Nack.
struct DispatchTestFailure: Error, CustomStringConvertible {
    var description: String { "the thing store is down" }
}

/// Counts calls from concurrent handler tasks.
final class DispatchCallCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// Keeps values handlers saw, for the test to read after dispatching.
final class DispatchSeen<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
