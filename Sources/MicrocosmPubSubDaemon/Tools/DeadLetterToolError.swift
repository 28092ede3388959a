/// Why `dlq` cannot go on: one line, naming the queue, the setting or the flag.
struct DeadLetterToolError: Error, CustomStringConvertible {
    /// True when a flag or the configuration is wrong (exit status 64) rather than what SQS answered.
    let isUsage: Bool
    let description: String

    static let noServiceQueue = Self(isUsage: true, description:
        "no dead-letter queue: the service has no queue (sqs_consumer.sqs_queue_url, --sqs-queue-url) to read a RedrivePolicy from; "
        + "name the dead-letter queue with --dlq-url")

    static func notAQueue(_ source: String) -> Self {
        Self(isUsage: true, description: "the service reads \(source), not an SQS queue; name the dead-letter queue with --dlq-url")
    }

    static func noRedrivePolicy(_ url: String) -> Self {
        Self(isUsage: true, description: "queue \(url) has no RedrivePolicy, so no dead-letter queue; name one with --dlq-url")
    }

    static func badRedrivePolicy(_ url: String, _ text: String) -> Self {
        Self(isUsage: false, description: "queue \(url) has a RedrivePolicy without a deadLetterTargetArn: \(text)")
    }

    static func badArn(_ arn: String) -> Self {
        Self(isUsage: false, description: "deadLetterTargetArn '\(arn)' is not an SQS queue ARN")
    }

    static func otherAccount(_ arn: String) -> Self {
        Self(isUsage: true, description: "dead-letter queue \(arn) is in another account; name its URL with --dlq-url")
    }

    static func noQueueArn(_ url: String) -> Self {
        Self(isUsage: false, description: "SQS did not give the QueueArn of \(url)")
    }

    static let noDestination = Self(isUsage: true, description:
        "no queue to move messages to: the service has no queue (sqs_consumer.sqs_queue_url, --sqs-queue-url); name one with --to")

    static func furtherRedrive(_ queues: DeadLetterQueues) -> Self {
        let policy = queues.furtherRedrive
        return Self(isUsage: true, description:
            "dead-letter queue \(queues.deadLetterURL) has a RedrivePolicy of its own (to \(policy?.deadLetterTargetArn ?? "?"), "
            + "maxReceiveCount \(policy?.maxReceiveCount.map(String.init) ?? "?")): reading it counts as a receive there and "
            + "brings messages closer to that queue; add --allow-further-redrive to read it all the same")
    }
}
