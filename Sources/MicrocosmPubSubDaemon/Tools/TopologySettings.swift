import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// What a service's configuration says about the SNS/SQS resources it needs: its queue
/// (`sqs_consumer.sqs_queue_url`), how it reads bodies (`sqs_envelope.strategy_name`), the topics
/// of each media type (`sns_topic_arns`), and the keys of section `topology`:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `topology.dead_letter_queue_name` | `<queue>-dlq` (`<queue>-dlq.fifo` for a FIFO queue) | the queue's dead-letter queue; `""`: none |
/// | `topology.max_receive_count` | 10 (the SQS console's default) | receives before SQS moves a message to the dead-letter queue, 1 to 1000 |
/// | `topology.filter_policy` | true | subscribe with a `media_type` filter policy of the handled media types; false: leave filter policies alone |
/// | `topology.check_at_start_up` | false | the daemon compares what exists with what it needs at start-up and logs a warning per difference |
///
/// ```swift
/// let settings = try TopologySettings(config: graph.config)
/// settings.deadLetterQueueName   // "orders-daemon-dlq"
/// ```
public struct TopologySettings: Sendable, Hashable {
    /// The consumer's queue URL (`sqs_consumer.sqs_queue_url`).
    public var queueURL: String
    /// The queue's name: the last part of its URL.
    public var queueName: String
    /// How the service reads message bodies (`sqs_envelope.strategy_name`).
    public var envelope: SQSEnvelope.Strategy
    /// The topic of each media type (`sns_topic_arns`).
    public var topicArns: SNSTopicArns
    /// The dead-letter queue's name; nil: none.
    public var deadLetterQueueName: String?
    /// Receives before SQS moves a message to the dead-letter queue.
    public var maxReceiveCount: Int
    /// Whether subscriptions filter by `media_type`.
    public var filterPolicy: Bool
    /// Whether a daemon checks its topology at start-up.
    public var checkAtStartUp: Bool

    /// Reads the settings from a service's whole configuration.
    ///
    /// Throws ``ConfigurationError`` naming the key (and the variable or file that set it) when
    /// the queue URL is missing or not a URL, or a `topology` key has the wrong type or range.
    public init(config: Configuration) throws(ConfigurationError) {
        let urlKey: ConfigKeyPath = "sqs_consumer.sqs_queue_url"
        let url = try config.optionalString(urlKey) ?? ""
        guard !url.isEmpty else {
            throw ConfigurationError.missing(urlKey, expected: "SQS queue URL",
                                             hint: "the topology is that of the queue the service reads (or --sqs-queue-url)")
        }
        let parts = url.split(separator: "/", omittingEmptySubsequences: true)
        guard url.contains("://"), parts.count >= 3, let last = parts.last else {
            throw ConfigurationError.invalidValue(urlKey, expected: "an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)",
                                                  seen: .string(url), origin: config.origin(of: urlKey))
        }
        queueURL = url
        queueName = String(last)
        let strategyKey: ConfigKeyPath = "sqs_envelope.strategy_name"
        let strategyName = try config.optionalString(strategyKey) ?? SQSEnvelope.Strategy.codec.rawValue
        guard let strategy = SQSEnvelope.Strategy(rawValue: strategyName) else {
            throw ConfigurationError.invalidValue(strategyKey, expected: "one of " + SQSEnvelope.strategyNames.joined(separator: ", "),
                                                  seen: .string(strategyName), origin: config.origin(of: strategyKey))
        }
        envelope = strategy
        topicArns = try SNSTopicArns(config: try config.section("sns_topic_arns"))
        let dlqName = try config.optionalString("topology.dead_letter_queue_name") ?? Self.deadLetterQueueName(for: queueName)
        deadLetterQueueName = dlqName.isEmpty ? nil : dlqName
        maxReceiveCount = try config.optional("topology.max_receive_count", as: .int(in: 1...1000))?.intValue ?? 10
        filterPolicy = try config.optional("topology.filter_policy", as: .bool)?.boolValue ?? true
        checkAtStartUp = try config.optional("topology.check_at_start_up", as: .bool)?.boolValue ?? false
    }

    /// The conventional dead-letter queue of `queueName`: `<name>-dlq`, or `<name>-dlq.fifo` for
    /// a FIFO queue (whose dead-letter queue must be FIFO too).
    public static func deadLetterQueueName(for queueName: String) -> String {
        queueName.hasSuffix(".fifo") ? String(queueName.dropLast(5)) + "-dlq.fifo" : queueName + "-dlq"
    }

    /// True when the consumer's subscriptions deliver raw messages: `RawSQSEnvelope` and
    /// `NaiveSQSEnvelope` read the message itself as the body; nil when the envelope reads either
    /// (`CodecSQSEnvelope`, `LambdaSQSEnvelope`: SNS's envelope, which subscriptions get by default,
    /// or a raw message).
    public var rawMessageDelivery: Bool? {
        switch envelope {
        case .raw, .naive: return true
        case .codec, .lambda: return nil
        }
    }
}
