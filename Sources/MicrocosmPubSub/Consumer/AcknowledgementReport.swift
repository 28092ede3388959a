import MicrocosmAWS

/// What a batch acknowledgement did with each message: every message given ends in
/// ``succeeded`` or ``failed``, nothing is dropped.
///
/// ```swift
/// let report = await consumer.ack(handled)
/// for failure in report.failed {
///     logger.warning("\(failure)")        // names the message, the action, the queue and the code
/// }
/// ```
public struct AcknowledgementReport: Sendable {
    /// Messages deleted (for an ack) or whose visibility was set (for a nack); for sources that do
    /// not acknowledge, every message.
    public var succeeded: [ConsumedMessage]
    /// Messages the service refused, or whose call failed as a whole.
    public var failed: [AcknowledgementFailure]

    /// A report.
    public init(succeeded: [ConsumedMessage] = [], failed: [AcknowledgementFailure] = []) {
        self.succeeded = succeeded
        self.failed = failed
    }

    /// True when no message failed.
    public var allSucceeded: Bool { failed.isEmpty }
}

/// One message a batch acknowledgement could not acknowledge, and why.
///
/// ```
/// DeleteMessageBatch on queue 'https://.../orders': message 5fea7756: entry '3': ReceiptHandleIsInvalid: The input receipt handle is invalid. (sender fault)
/// ChangeMessageVisibilityBatch on queue 'https://.../orders': message 5fea7756: SQS ChangeMessageVisibilityBatch: ServiceUnavailable (HTTP 503)
/// ```
public struct AcknowledgementFailure: Error, Sendable, CustomStringConvertible {
    /// The message concerned.
    public let message: ConsumedMessage
    /// The API action (`DeleteMessageBatch`, `ChangeMessageVisibilityBatch`).
    public let action: String
    /// The queue.
    public let queueURL: String
    /// The service's refusal of this message's entry, when it refused it.
    public let entry: BatchResultError?
    /// The error of the call as a whole (an `AWSError`, a transport error), when the call failed.
    public let error: (any Error)?

    /// A failure of `message` in `action`.
    public init(message: ConsumedMessage, action: String, queueURL: String, entry: BatchResultError? = nil, error: (any Error)? = nil) {
        self.message = message
        self.action = action
        self.queueURL = queueURL
        self.entry = entry
        self.error = error
    }

    /// True when trying again may succeed: the service did not blame the entry, or the call failed
    /// for a retryable reason (throttling, 5xx, a network error).
    public var isRetryable: Bool {
        if let entry { return !entry.senderFault }
        if let error = error as? AWSError { return error.isRetryable }
        return true
    }

    public var description: String {
        let reason = entry.map { "\($0)" } ?? error.map { "\($0)" } ?? "unknown failure"
        return "\(action) on queue '\(queueURL)': message \(message.messageId): \(reason)"
    }
}
