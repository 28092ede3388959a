import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// A testing graph whose `sqs_consumer` reads a fresh in-memory queue, subscribed (wrapped
/// delivery) to a topic, on a manual clock. `wait_seconds` is 0 so an empty receive returns at
/// once instead of waiting for the manual clock.
struct ConsumerTestBed {
    static let queueName = "things-worker"

    let graph: Graph
    let broker: InMemoryBroker
    let clock: ManualBrokerClock
    let queueURL: String
    let topicArn: String

    static func make(consumer: JSONObject = [:], envelope: JSONObject = [:], environment: [String: String] = [:]) async throws -> Self {
        let clock = ManualBrokerClock()
        let broker = InMemoryBroker(clock: clock)
        let queueURL = broker.queueURL(named: queueName)
        let consumerConfig = Configuration.merge(["sqs_queue_url": .string(queueURL), "wait_seconds": 0], consumer)
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: environment),
                              config: ["sqs_consumer": .object(consumerConfig), "sqs_envelope": .object(envelope)])
        graph.assign(.pubsubBroker, broker)
        _ = try await broker.sqs.createQueue(name: queueName, attributes: [:])
        let topicArn = try await broker.sns.createTopic(name: "things", attributes: [:])
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: queueName), attributes: [:])
        return Self(graph: graph, broker: broker, clock: clock, queueURL: queueURL, topicArn: topicArn)
    }

    var consumer: SQSConsumer { get throws { try graph.sqsConsumer } }

    /// The message text of `mediaType` with `fields` and `opaqueData`, as the registry writes it.
    func text(_ mediaType: MediaType, _ fields: JSONObject, opaqueData: JSONObject? = nil) throws -> String {
        try graph.pubsubMessageSchemaRegistry.encode(mediaType, fields: fields, opaqueData: opaqueData)
    }

    /// Publishes `message` to the topic; the queue gets it in SNS's envelope.
    func publish(_ message: String, mediaType: MediaType? = nil) async throws {
        let attributes = mediaType.map { [PubSubWire.mediaTypeAttribute: MessageAttributeValue.string($0.rawValue)] } ?? [:]
        _ = try await broker.sns.publish(PublishRequest(topicArn: topicArn, message: message, messageAttributes: attributes))
    }

    /// Sends `body` to the queue as it is (as raw delivery would).
    func send(_ body: String) async throws {
        _ = try await broker.sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))
    }

    /// Publishes a created.thing message for `uri`.
    func publishCreated(_ uri: String, opaqueData: JSONObject? = nil) async throws {
        try await publish(try text(.created("Thing"), ["uri": .string(uri)], opaqueData: opaqueData), mediaType: .created("Thing"))
    }
}

/// An `SQSAPI` in front of another that changes what ReceiveMessage returns (to fake a message
/// SQS garbled in transit), can forget entries in batch replies, and passes everything else through.
struct ConsumerTamperingSQS: SQSAPI {
    let inner: any SQSAPI
    var forgetsBatchEntries = false
    let tamper: @Sendable (SQSMessage) -> SQSMessage

    init(inner: any SQSAPI, forgetsBatchEntries: Bool = false, tamper: @escaping @Sendable (SQSMessage) -> SQSMessage = { $0 }) {
        self.inner = inner
        self.forgetsBatchEntries = forgetsBatchEntries
        self.tamper = tamper
    }

    private func forgetting(_ result: BatchResult<String>) -> BatchResult<String> {
        forgetsBatchEntries ? BatchResult(successful: Array(result.successful.dropFirst()), failed: result.failed) : result
    }

    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        try await inner.receiveMessage(request).map(tamper)
    }
    func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult { try await inner.sendMessage(request) }
    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        try await inner.sendMessageBatch(queueURL: queueURL, entries: entries)
    }
    func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try await inner.deleteMessage(queueURL: queueURL, receiptHandle: receiptHandle)
    }
    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        forgetting(try await inner.deleteMessageBatch(queueURL: queueURL, entries: entries))
    }
    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        try await inner.changeMessageVisibility(queueURL: queueURL, receiptHandle: receiptHandle, visibilityTimeout: visibilityTimeout)
    }
    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        forgetting(try await inner.changeMessageVisibilityBatch(queueURL: queueURL, entries: entries))
    }
    func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try await inner.createQueue(name: name, attributes: attributes)
    }
    func deleteQueue(queueURL: String) async throws { try await inner.deleteQueue(queueURL: queueURL) }
    func purgeQueue(queueURL: String) async throws { try await inner.purgeQueue(queueURL: queueURL) }
    func getQueueURL(queueName: String) async throws -> String { try await inner.getQueueURL(queueName: queueName) }
    func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        try await inner.getQueueAttributes(queueURL: queueURL, names: names)
    }
    func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try await inner.setQueueAttributes(queueURL: queueURL, attributes: attributes)
    }
}

/// A file of `lines` in a fresh temporary directory, removed when the test ends.
func consumerTemporaryFile(_ test: XCTestCase, lines: [String], name: String = "messages.jsonl") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent(name)
    try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
    return url.path
}
