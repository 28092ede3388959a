import Microcosm
import MicrocosmAWS

/// Consumes messages from one source, usually an SQS queue (microcosm-pubsub's `SQSConsumer`),
/// bound as `sqs_consumer`.
///
/// ``consume()`` long-polls and returns 0...``limit`` messages. It never throws because of one bad
/// message: a body that is not JSON, has no media type, fails its schema or the MD5 check gives a
/// ``ConsumedMessage`` without content whose ``ConsumedMessage/error`` says why. Service errors
/// (AWS, network) and an unreadable source do throw.
///
/// Config (`sqs_consumer`, Python's keys): `sqs_queue_url` (a queue URL, `STDIN`, or a file of JSON
/// lines), `sqs_event` (a Lambda event), `endpoint_url` / `region_name` / `profile_name` (the SQS
/// client), `limit` (10), `wait_seconds` (1), `visibility_timeout_seconds` (null: the queue's),
/// `backoff_policy` (`NaiveBackoffPolicy`), `message_retry_visibility_timeout_seconds` (5).
///
/// ```swift
/// let consumer = try graph.sqsConsumer
/// repeat {
///     for message in try await consumer.consume() {
///         try await message.process { content in try await handle(content) }   // ack, or nack with backoff
///     }
/// } while !consumer.isExhausted
/// ```
/// A daemon acknowledges in batches instead: ``ack(_:)-([ConsumedMessage])`` and ``nack(_:)``
/// report every message's outcome.
public final class SQSConsumer: Sendable, CustomStringConvertible {
    /// Where messages come from.
    public let source: MessageSource
    /// How bodies are read.
    public let envelope: SQSEnvelope
    /// How long nacked messages stay invisible.
    public let backoffPolicy: BackoffPolicy
    /// The most messages one ``consume()`` returns (SQS: 1...10).
    public let limit: Int
    /// How long ``consume()`` waits for a first message (SQS long polling, 0...20 seconds).
    public let waitSeconds: Int
    /// How long received messages stay invisible (0...43200 seconds); nil: the queue's setting.
    public let visibilityTimeout: Int?
    /// Where problems that cannot be thrown are reported (a nack that failed after a failure).
    public let logger: Logger?

    /// A consumer reading `source` through `envelope`.
    public init(source: MessageSource, envelope: SQSEnvelope, backoffPolicy: BackoffPolicy = .naive(), limit: Int = 10,
                waitSeconds: Int = 1, visibilityTimeout: Int? = nil, logger: Logger? = nil) {
        self.source = source
        self.envelope = envelope
        self.backoffPolicy = backoffPolicy
        self.limit = limit
        self.waitSeconds = waitSeconds
        self.visibilityTimeout = visibilityTimeout
        self.logger = logger
    }

    /// The queue URL, when the source is a queue.
    public var queueURL: String? { source.queueURL }

    /// True once a finite source (standard input, a file, a Lambda event) has ended: ``consume()``
    /// returns no more, and a daemon should stop. Never true for a queue. A line source learns of
    /// its end on a consume that returns nothing, so check after an empty consume:
    ///
    /// ```swift
    /// let messages = try await consumer.consume()
    /// if messages.isEmpty && consumer.isExhausted { return }   // Python: ExitError("No more messages to replay")
    /// ```
    public var isExhausted: Bool { source.isExhausted }

    // MARK: Consuming

    /// Receives 0...``limit`` messages, waiting up to ``waitSeconds`` for the first.
    ///
    /// An empty result means nothing came in time, or, when ``isExhausted``, that the source has
    /// ended. Throws `AWSError` (and transport errors) from SQS, ``SQSConsumerError`` when the
    /// source cannot be read or none is configured; never for a bad message.
    public func consume() async throws -> [ConsumedMessage] {
        try await consume(visibilityTimeout: visibilityTimeout)
    }

    /// Receives as ``consume()`` does, asking for `visibilityTimeout` seconds of visibility (nil:
    /// the queue's) instead of ``visibilityTimeout``: a daemon asks for the lease it keeps.
    public func consume(visibilityTimeout: Int?) async throws -> [ConsumedMessage] {
        let inputs = try await source.receive(limit: limit, waitSeconds: waitSeconds, visibilityTimeout: visibilityTimeout)
        let queueURL = source.queueURL
        var messages: [ConsumedMessage] = []
        messages.reserveCapacity(inputs.count)
        for input in inputs {
            messages.append(envelope.read(input, queueURL: queueURL, consumer: self))
        }
        return messages
    }

    // MARK: Acknowledging one message

    /// Deletes `message` from the queue (microcosm-pubsub's `ack`); a no-op for other sources.
    public func ack(_ message: ConsumedMessage) async throws {
        guard case .queue(let url, let client) = source.kind else { return }
        try await client.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)
    }

    /// Makes `message` invisible for the backoff policy's timeout (`visibilityTimeout` when given)
    /// so SQS delivers it again after that (microcosm-pubsub's `nack`); a no-op for other sources,
    /// and when the policy leaves the visibility alone.
    public func nack(_ message: ConsumedMessage, visibilityTimeout: Int? = nil) async throws {
        guard case .queue(let url, let client) = source.kind,
              let timeout = backoffPolicy.visibilityTimeout(receiveCount: message.receiveCount, requested: visibilityTimeout) else { return }
        try await client.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: timeout)
    }

    public var description: String {
        "SQSConsumer(\(source), \(envelope), \(backoffPolicy), limit \(limit), wait \(waitSeconds) s)"
    }
}
