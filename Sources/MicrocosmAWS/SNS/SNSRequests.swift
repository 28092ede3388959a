/// Publish parameters (also one PublishBatch entry, with an id).
public struct PublishRequest: Sendable, Hashable {
    /// The topic to publish to.
    public var topicArn: String
    /// The message body (at most 256 KiB with the attributes).
    public var message: String
    /// The subject (the envelope's `Subject`; email subscriptions' subject line).
    public var subject: String?
    /// Message attributes by name (`media_type` in microcosm-pubsub).
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO topics: the ordering group.
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id.
    public var messageDeduplicationId: String?

    /// A publish of `message` to `topicArn`.
    public init(topicArn: String, message: String, subject: String? = nil, messageAttributes: [String: MessageAttributeValue] = [:],
                messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.topicArn = topicArn
        self.message = message
        self.subject = subject
        self.messageAttributes = messageAttributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// What Publish returns.
public struct PublishResult: Sendable, Hashable {
    /// The id SNS gave the message (the envelope's `MessageId`).
    public var messageId: String
    /// FIFO topics only.
    public var sequenceNumber: String?

    /// A result with SNS's message id.
    public init(messageId: String, sequenceNumber: String? = nil) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
    }
}

/// One PublishBatch entry.
public struct PublishBatchEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var id: String
    /// The message body.
    public var message: String
    /// The subject.
    public var subject: String?
    /// Message attributes by name.
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO topics: the ordering group.
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id.
    public var messageDeduplicationId: String?

    /// Entry `id` (unique in its batch) carrying `message`.
    public init(id: String, message: String, subject: String? = nil, messageAttributes: [String: MessageAttributeValue] = [:],
                messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.id = id
        self.message = message
        self.subject = subject
        self.messageAttributes = messageAttributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// One successful PublishBatch entry.
public struct PublishBatchResultEntry: Sendable, Hashable {
    /// The caller's entry id.
    public var id: String
    /// The id SNS gave the message.
    public var messageId: String
    /// FIFO topics only.
    public var sequenceNumber: String?

    /// A successful entry.
    public init(id: String, messageId: String, sequenceNumber: String? = nil) {
        self.id = id
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
    }
}

/// A subscription as ListSubscriptionsByTopic reports it.
public struct SNSSubscription: Sendable, Hashable {
    /// The subscription's ARN (`PendingConfirmation` for unconfirmed non-SQS subscriptions).
    public var subscriptionArn: String
    /// The topic subscribed to.
    public var topicArn: String
    /// `sqs`, `https`, `lambda`, ...
    public var `protocol`: String
    /// Where messages go: the queue ARN for `sqs`.
    public var endpoint: String
    /// The subscription owner's account id.
    public var owner: String?

    /// A subscription as listed.
    public init(subscriptionArn: String, topicArn: String, protocol: String, endpoint: String, owner: String? = nil) {
        self.subscriptionArn = subscriptionArn
        self.topicArn = topicArn
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.owner = owner
    }
}
