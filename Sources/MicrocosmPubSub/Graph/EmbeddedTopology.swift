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
    /// A value that does not fit one in-memory broker: a daemon leaves it to its producer and
    /// consumer to report, a testing graph refuses it at once.
    package enum Problem: Error, Sendable, Equatable {
        /// `value`, at `key`, is not `arn:<partition>:sns:<region>:<account>:<name>`.
        case notATopicArn(_ value: String, key: String)
        /// `value`, at `key`, names another region or account (`expected`: "account 123456789012").
        case otherAccount(_ value: String, key: String, expected: String)
    }

    /// Topic names, in the order first configured.
    package private(set) var topicNames: [String] = []
    /// The region of the configured topic ARNs, when any (the first one's).
    package private(set) var region: String?
    /// The account of the configured topic ARNs, when any (the first one's).
    package private(set) var accountId: String?
    /// The consumer's queue name, when it reads a queue.
    package private(set) var queueName: String?
    /// The account in the consumer's queue URL, when it reads a queue.
    package private(set) var queueAccountId: String?
    /// Whether the queue's subscriptions deliver raw messages (`sqs_envelope.strategy_name: RawSQSEnvelope`).
    package private(set) var rawDelivery = false
    /// The first value that does not fit: not a topic ARN, or another region or account than the
    /// first ARN (the queue URL's account included). Nil when everything fits.
    package private(set) var problem: Problem?

    /// Reads `sns_topic_arns`, `sqs_consumer.sqs_queue_url` and `sqs_envelope.strategy_name`;
    /// values that do not fit are left out and the first is kept in ``problem``.
    package init(_ config: Configuration) {
        if let arns = config.value(at: "sns_topic_arns") { readTopics(arns, key: "sns_topic_arns") }
        if case .string(let url)? = config.value(at: "sqs_consumer.sqs_queue_url") { readQueue(url) }
        rawDelivery = config.value(at: "sqs_envelope.strategy_name")?.stringValue == "RawSQSEnvelope"
    }

    /// Leaves the queue out: the consumer reads another broker.
    package mutating func leaveOutQueue() {
        queueName = nil
    }

    /// Every string under `value` that is `arn:<partition>:sns:<region>:<account>:<name>`.
    private mutating func readTopics(_ value: JSONValue, key: String) {
        switch value {
        case .object(let members):
            for (member, value) in members { readTopics(value, key: key + "." + member) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { readTopics(element, key: key + "[\(index)]") }
        case .string(let arn):
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sns", !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty else {
                return report(.notATopicArn(arn, key: key))
            }
            if let accountId, accountId != parts[4] {
                report(.otherAccount(arn, key: key, expected: "account \(accountId)"))
            } else if let region, region != parts[3] {
                report(.otherAccount(arn, key: key, expected: "region \(region)"))
            }
            region = region ?? parts[3]
            accountId = accountId ?? parts[4]
            if !topicNames.contains(parts[5]) { topicNames.append(parts[5]) }
        default:
            break
        }
    }

    /// A queue URL ends in `/<account>/<name>`; anything else (`STDIN`, a file) is not a queue.
    private mutating func readQueue(_ url: String) {
        let parts = url.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard url.contains("://"), parts.count >= 4 else { return }
        queueName = parts[parts.count - 1]
        queueAccountId = parts[parts.count - 2]
        if let accountId, accountId != queueAccountId {
            report(.otherAccount(url, key: "sqs_consumer.sqs_queue_url", expected: "account \(accountId)"))
        }
    }

    private mutating func report(_ problem: Problem) {
        self.problem = self.problem ?? problem
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
