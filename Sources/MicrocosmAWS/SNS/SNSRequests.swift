/// Publish parameters (also one PublishBatch entry, with an id).
public struct PublishRequest: Sendable, Hashable {
    public var topicArn: String
    public var message: String
    public var subject: String?
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO topics: the ordering group.
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id.
    public var messageDeduplicationId: String?

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
    public var messageId: String
    /// FIFO topics only.
    public var sequenceNumber: String?

    public init(messageId: String, sequenceNumber: String? = nil) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
    }
}

/// One PublishBatch entry.
public struct PublishBatchEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var id: String
    public var message: String
    public var subject: String?
    public var messageAttributes: [String: MessageAttributeValue]
    public var messageGroupId: String?
    public var messageDeduplicationId: String?

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
    public var id: String
    public var messageId: String
    public var sequenceNumber: String?

    public init(id: String, messageId: String, sequenceNumber: String? = nil) {
        self.id = id
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
    }
}

/// A subscription as ListSubscriptionsByTopic reports it.
public struct SNSSubscription: Sendable, Hashable {
    public var subscriptionArn: String
    public var topicArn: String
    /// `sqs`, `https`, `lambda`, ...
    public var `protocol`: String
    public var endpoint: String
    public var owner: String?

    public init(subscriptionArn: String, topicArn: String, protocol: String, endpoint: String, owner: String? = nil) {
        self.subscriptionArn = subscriptionArn
        self.topicArn = topicArn
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.owner = owner
    }
}
