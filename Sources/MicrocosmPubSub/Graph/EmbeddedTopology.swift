import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON

/// What a service's configuration names on the in-memory broker: the topics of `sns_topic_arns`
/// (the default topic, mappings, lifecycle sections) and the consumer's queue, subscribed to them.
///
/// A daemon on `memory://` (or `--testing`) creates it at start-up, so it runs as a whole
/// service on one machine: what its handlers produce reaches the topics, and what is published
/// to the topics reaches its queue.
package struct EmbeddedTopology: Sendable {
    /// Topic names, in the order first configured.
    package private(set) var topicNames: [String] = []
    /// The region of the configured topic ARNs, when any.
    package private(set) var region: String?
    /// The account of the configured topic ARNs, when any.
    package private(set) var accountId: String?
    /// The consumer's queue name, when it reads a queue.
    package private(set) var queueName: String?
    /// Whether the queue's subscriptions deliver raw messages (`sqs_envelope.strategy_name: RawSQSEnvelope`).
    package private(set) var rawDelivery = false

    /// Reads `sns_topic_arns`, `sqs_consumer.sqs_queue_url` and `sqs_envelope.strategy_name`;
    /// values that are not SNS topic ARNs are left to the producer to report.
    package init(_ config: Configuration) {
        if let arns = config.value(at: "sns_topic_arns") { readTopics(arns) }
        if case .string(let url)? = config.value(at: "sqs_consumer.sqs_queue_url") {
            let parts = url.split(separator: "/", omittingEmptySubsequences: true)
            if url.contains("://"), parts.count >= 4 { queueName = String(parts[parts.count - 1]) }
        }
        rawDelivery = config.value(at: "sqs_envelope.strategy_name")?.stringValue == "RawSQSEnvelope"
    }

    /// Leaves the queue out: the consumer reads another broker.
    package mutating func leaveOutQueue() {
        queueName = nil
    }

    /// Every string under `value` that is `arn:<partition>:sns:<region>:<account>:<name>`.
    private mutating func readTopics(_ value: JSONValue) {
        switch value {
        case .object(let members):
            for (_, member) in members { readTopics(member) }
        case .array(let elements):
            for element in elements { readTopics(element) }
        case .string(let arn):
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sns", !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty else {
                return
            }
            region = region ?? parts[3]
            accountId = accountId ?? parts[4]
            if !topicNames.contains(parts[5]) { topicNames.append(parts[5]) }
        default:
            break
        }
    }

    /// Creates the topics and the queue (when missing), and subscribes the queue to every topic of
    /// its kind (a FIFO queue to FIFO topics, a standard one to standard topics). Creating what
    /// exists changes nothing. Returns the queue's URL in the broker, when there is a queue.
    @discardableResult
    package func create(in broker: InMemoryBroker, logger: Logger) async throws -> String? {
        var topicArns: [String] = []
        for name in topicNames { topicArns.append(try await broker.sns.createTopic(name: name, attributes: [:])) }
        guard let queueName else {
            if !topicNames.isEmpty { logger.info("in-memory broker: topics \(topicNames.joined(separator: ", "))") }
            return nil
        }
        let fifo = queueName.hasSuffix(".fifo")
        let queueURL = try await broker.sqs.createQueue(name: queueName, attributes: fifo ? ["FifoQueue": "true"] : [:])
        var subscribed: [String] = []
        for (name, topicArn) in zip(topicNames, topicArns) where name.hasSuffix(".fifo") == fifo {
            _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: queueName),
                                               attributes: rawDelivery ? ["RawMessageDelivery": "true"] : [:])
            subscribed.append(name)
        }
        logger.info("in-memory broker: queue '\(queueURL)'"
                        + (subscribed.isEmpty ? "" : " subscribed to \(subscribed.joined(separator: ", "))"
                            + (rawDelivery ? " (raw delivery)" : "")))
        return queueURL
    }
}
