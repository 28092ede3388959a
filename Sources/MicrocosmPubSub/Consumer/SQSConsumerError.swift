import Microcosm

/// A consumer that cannot be set up or cannot read its source: names the config key, the value
/// seen and what is accepted, or the file or event that could not be read.
///
/// ```
/// config 'sqs_consumer.backoff_policy': unknown backoff policy 'Linear'; accepted: NaiveBackoffPolicy, ExponentialBackoffPolicy, ExponentialBackoffBaseJitterPolicy
/// config 'sqs_envelope.strategy_name': unknown SQS envelope strategy 'Snappy'; accepted: CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope
/// config 'sqs_consumer.sqs_queue_url' is not set: give an SQS queue URL, STDIN, or the path of a file of JSON lines (or a Lambda event in 'sqs_consumer.sqs_event')
/// config 'sqs_consumer.limit': expected 1...10 (SQS returns at most 10 messages per receive), got 25
/// config 'sqs_consumer.sqs_queue_url' (from ORDERS__SQS_CONSUMER__SQS_QUEUE_URL): no file '/var/replay/orders.jsonl' (a file of JSON lines to replay must exist; a queue URL starts with https://)
/// cannot read messages from file '/var/replay/orders.jsonl': The file doesn't exist.
/// ```
///
/// These are configuration and input problems, not transient ones: retrying does not help.
public struct SQSConsumerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, to compare or switch on (`error.code == .noQueueURL`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case unknownBackoffPolicy, unknownEnvelope, invalidSetting, noQueueURL, invalidQueueURL, unreadableSource, invalidLambdaEvent
        }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// An unknown `sqs_consumer.backoff_policy`.
        public static let unknownBackoffPolicy = Code(.unknownBackoffPolicy)
        /// An unknown `sqs_envelope.strategy_name`.
        public static let unknownEnvelope = Code(.unknownEnvelope)
        /// A setting outside what SQS accepts.
        public static let invalidSetting = Code(.invalidSetting)
        /// No queue URL (nor other source) is configured.
        public static let noQueueURL = Code(.noQueueURL)
        /// `sqs_consumer.sqs_queue_url` names no source (a malformed URL, a missing file).
        public static let invalidQueueURL = Code(.invalidQueueURL)
        /// A file or standard input could not be read.
        public static let unreadableSource = Code(.unreadableSource)
        /// A Lambda event without readable SQS records.
        public static let invalidLambdaEvent = Code(.invalidLambdaEvent)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// The config key concerned (`sqs_consumer.backoff_policy`), when there is one.
    public let key: String?
    /// The error this one reports (a file-system error, a ``JSONParseError``), when there is one.
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, key: String?, underlying: (any Error)? = nil, detail: String) {
        self.code = code
        self.key = key
        self.underlying = underlying
        self.detail = detail
    }

    /// The config key naming the backoff policy.
    public static let backoffPolicyKey = "sqs_consumer.backoff_policy"
    /// The config key naming the envelope strategy.
    public static let envelopeStrategyKey = "sqs_envelope.strategy_name"
    /// The config key naming the queue (or `STDIN`, or a file).
    public static let queueURLKey = "sqs_consumer.sqs_queue_url"
    /// The config key holding a Lambda event.
    public static let lambdaEventKey = "sqs_consumer.sqs_event"

    /// `name` is not one of `accepted` (config `sqs_consumer.backoff_policy`).
    public static func unknownBackoffPolicy(_ name: String, accepted: [String]) -> Self {
        Self(code: .unknownBackoffPolicy, key: backoffPolicyKey,
             detail: "config '\(backoffPolicyKey)': unknown backoff policy '\(name)'; accepted: \(accepted.joined(separator: ", "))")
    }

    /// `name` is not one of `accepted` (config `sqs_envelope.strategy_name`).
    public static func unknownEnvelope(_ name: String, accepted: [String]) -> Self {
        Self(code: .unknownEnvelope, key: envelopeStrategyKey,
             detail: "config '\(envelopeStrategyKey)': unknown SQS envelope strategy '\(name)'; accepted: \(accepted.joined(separator: ", "))")
    }

    /// The value of `key` (set by `origin`) is outside what SQS accepts.
    public static func invalidSetting(_ key: String, value: Int, expected: String, origin: ConfigOrigin? = nil) -> Self {
        Self(code: .invalidSetting, key: key,
             detail: "config '\(key)'" + (origin.map { " (from \($0))" } ?? "") + ": expected \(expected), got \(value)")
    }

    /// Neither a queue URL nor another source is configured.
    public static var noQueueURL: Self {
        Self(code: .noQueueURL, key: queueURLKey,
             detail: "config '\(queueURLKey)' is not set: give an SQS queue URL, STDIN, or the path of a file of JSON lines "
                 + "(or a Lambda event in '\(lambdaEventKey)')")
    }

    /// `sqs_consumer.sqs_queue_url` (set by `origin`) names no source: `problem` says why
    /// (see ``MessageSource/problem(withQueueURL:)``).
    public static func invalidQueueURL(_ value: String, problem: String, origin: ConfigOrigin? = nil) -> Self {
        Self(code: .invalidQueueURL, key: queueURLKey,
             detail: "config '\(queueURLKey)'" + (origin.map { " (from \($0))" } ?? "") + ": \(problem)")
    }

    /// The source named `source` (a file path, standard input) could not be read.
    public static func unreadableSource(_ source: String, _ error: any Error) -> Self {
        Self(code: .unreadableSource, key: nil, underlying: error, detail: "cannot read messages from \(source): \(error)")
    }

    /// A Lambda event that has no SQS records in a shape this library reads.
    public static func invalidLambdaEvent(_ problem: String, key: String? = nil, underlying: (any Error)? = nil) -> Self {
        let prefix = key.map { "config '\($0)': " } ?? ""
        return Self(code: .invalidLambdaEvent, key: key, underlying: underlying, detail: prefix + "invalid Lambda SQS event: " + problem)
    }

    public var description: String { detail }
}
