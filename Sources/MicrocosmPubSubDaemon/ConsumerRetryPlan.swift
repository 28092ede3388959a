import MicrocosmPubSub
/// What happens to a message whose handling keeps failing, given the queue's attributes, the
/// consumer's backoff policy and the dispatcher's `message_max_processing_attempts`: one line for
/// the daemon's start-up line, and a warning for each part of the plan that cannot happen.
///
/// ```
/// retries: up to 5 receives, then dead-letter queue arn:aws:sqs:us-east-1:123456789012:things-dlq; backoff NaiveBackoffPolicy(5 s)
/// ```
struct ConsumerRetryPlan: Sendable, Hashable {
    /// `retries: ...; backoff ...`.
    let summary: String
    /// Each thing the plan promises that cannot happen, as a sentence.
    let warnings: [String]

    /// The dispatcher's key that skips messages received too often.
    static let maxAttemptsKey = "sqs_message_dispatcher.message_max_processing_attempts"

    /// The plan for `queueURL` with `attributes`.
    ///
    /// - Parameters:
    ///   - backoffPolicy: the consumer's policy for FAILED messages.
    ///   - maxProcessingAttempts: receives after which the dispatcher skips a message; nil: none.
    ///   - leaseSeconds: the visibility timeout received messages get, which a naive policy
    ///     without a timeout leaves in place.
    init(queueURL: String, attributes: ConsumerQueueAttributes, backoffPolicy: BackoffPolicy, maxProcessingAttempts: Int?,
         leaseSeconds: Int?) {
        var warnings: [String] = []
        let deadLetter = attributes.maxReceiveCount.map { ($0, attributes.deadLetterTargetArn ?? "(no target ARN)") }
        // The receives a failing message gets before it leaves the queue, and how it leaves.
        let receives: Int?
        let retries: String
        switch (maxProcessingAttempts, deadLetter) {
        case (let attempts?, let (count, arn)?) where attempts >= count:
            receives = count
            retries = "up to \(count) receives, then dead-letter queue \(arn)"
            warnings.append("\(Self.maxAttemptsKey) is \(attempts), but queue '\(queueURL)' moves a message to dead-letter queue "
                                + "\(arn) after \(count) receives (RedrivePolicy maxReceiveCount), so the dispatcher's limit "
                                + "never applies")
        case (let attempts?, _):
            receives = attempts
            retries = "up to \(attempts) receives, then SKIPPED and deleted (\(Self.maxAttemptsKey))"
        case (nil, let (count, arn)?):
            receives = count
            retries = "up to \(count) receives, then dead-letter queue \(arn)"
        case (nil, nil):
            receives = nil
            retries = "until SQS drops the message after its retention period"
                + (attributes.messageRetentionPeriod.map { " (\($0) s)" } ?? "") + "; no dead-letter queue"
        }
        if let receives, let retention = attributes.messageRetentionPeriod {
            // The longest the backoff keeps a failing message away over the receives it gets.
            var total = 0
            for count in 1...max(receives, 1) {
                total += backoffPolicy.longestTimeout(receiveCount: count) ?? leaseSeconds ?? attributes.visibilityTimeout ?? 0
            }
            if total > retention {
                warnings.append("the backoff (\(backoffPolicy)) can keep a failing message away for \(total) s over its "
                                    + "\(receives) receives, longer than queue '\(queueURL)' keeps messages "
                                    + "(MessageRetentionPeriod \(retention) s): SQS may drop it before "
                                    + (deadLetter == nil ? "its last attempt" : "the dead-letter queue gets it"))
            }
        }
        self.summary = "retries: \(retries); backoff \(backoffPolicy)"
        self.warnings = warnings
    }
}
