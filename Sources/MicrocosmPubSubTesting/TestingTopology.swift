import Microcosm
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub

/// The topics and the queue a testing graph's configuration names, and the one region and
/// account they share: what ``Microcosm/Graph/pubsubTesting(name:registry:config:clock:)`` creates.
struct TestingTopology {
    /// Topic names, in the order first configured.
    private(set) var topicNames: [String] = []
    /// The consumer's queue name, when it reads a queue.
    private(set) var queueName: String?
    /// Whether the consumer reads raw deliveries.
    private(set) var rawDelivery = false
    /// The region of the configured ARNs, when any.
    private(set) var region: String?
    /// The account of the configured ARNs and queue URL, when any.
    private(set) var accountId: String?

    /// Reads `sns_topic_arns`, `sqs_consumer.sqs_queue_url` and `sqs_envelope.strategy_name`.
    init(_ config: Configuration) throws {
        if let arns = config.value(at: "sns_topic_arns") { try readTopics(arns, key: "sns_topic_arns") }
        if case .string(let url)? = config.value(at: "sqs_consumer.sqs_queue_url") { try readQueue(url) }
        rawDelivery = config.value(at: "sqs_envelope.strategy_name")?.stringValue == "RawSQSEnvelope"
    }

    /// Every string under `value` is a topic ARN: `arn:<partition>:sns:<region>:<account>:<name>`.
    private mutating func readTopics(_ value: JSONValue, key: String) throws {
        switch value {
        case .object(let members):
            for (member, value) in members { try readTopics(value, key: key + "." + member) }
        case .array(let elements):
            for (index, element) in elements.enumerated() { try readTopics(element, key: key + "[\(index)]") }
        case .string(let arn):
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sns", !parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty else {
                throw PubSubTestingError.badTopicArn(arn, key: key)
            }
            try agree(region: parts[3], accountId: parts[4], value: arn, key: key)
            if !topicNames.contains(parts[5]) { topicNames.append(parts[5]) }
        default:
            break
        }
    }

    /// A queue URL ends in `/<account>/<name>`; anything else (`STDIN`, a file) is not a queue.
    private mutating func readQueue(_ url: String) throws {
        let parts = url.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard url.contains("://"), parts.count >= 4 else { return }
        try agree(region: nil, accountId: parts[parts.count - 2], value: url, key: "sqs_consumer.sqs_queue_url")
        queueName = parts[parts.count - 1]
    }

    private mutating func agree(region: String?, accountId: String, value: String, key: String) throws {
        if let known = self.accountId, known != accountId {
            throw PubSubTestingError.otherAccount(value, key: key, expected: "account \(known)")
        }
        if let region, let known = self.region, known != region {
            throw PubSubTestingError.otherAccount(value, key: key, expected: "region \(known)")
        }
        self.accountId = accountId
        self.region = region ?? self.region
    }

    /// Creates the topics and the queue, subscribed to every topic of its kind (FIFO or standard).
    func create(in broker: InMemoryBroker) async throws {
        var topicArns: [String] = []
        for name in topicNames { topicArns.append(try await broker.sns.createTopic(name: name, attributes: [:])) }
        guard let queueName else { return }
        let fifo = queueName.hasSuffix(".fifo")
        _ = try await broker.sqs.createQueue(name: queueName, attributes: fifo ? ["FifoQueue": "true"] : [:])
        for (name, topicArn) in zip(topicNames, topicArns) where name.hasSuffix(".fifo") == fifo {
            _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: queueName),
                                               attributes: rawDelivery ? ["RawMessageDelivery": "true"] : [:])
        }
    }
}
