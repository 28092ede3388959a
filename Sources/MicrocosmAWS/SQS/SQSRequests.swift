/// ReceiveMessage parameters.
public struct ReceiveMessageRequest: Sendable, Hashable {
    /// The queue to receive from.
    public var queueURL: String
    /// 1...10.
    public var maxNumberOfMessages: Int
    /// Long-poll wait, 0...20 seconds; nil uses the queue's setting.
    public var waitTimeSeconds: Int?
    /// Visibility timeout for the received messages, 0...43200 seconds; nil uses the queue's.
    public var visibilityTimeout: Int?
    /// System attributes to return (`All`, `ApproximateReceiveCount`, ...).
    public var attributeNames: [String]
    /// Message attributes to return (`All`).
    public var messageAttributeNames: [String]

    /// ReceiveMessage parameters; by default one message, every system and message attribute.
    public init(queueURL: String, maxNumberOfMessages: Int = 1, waitTimeSeconds: Int? = nil, visibilityTimeout: Int? = nil,
                attributeNames: [String] = ["All"], messageAttributeNames: [String] = ["All"]) {
        self.queueURL = queueURL
        self.maxNumberOfMessages = maxNumberOfMessages
        self.waitTimeSeconds = waitTimeSeconds
        self.visibilityTimeout = visibilityTimeout
        self.attributeNames = attributeNames
        self.messageAttributeNames = messageAttributeNames
    }
}

/// SendMessage parameters (also one SendMessageBatch entry, with an id).
public struct SendMessageRequest: Sendable, Hashable {
    /// The queue to send to.
    public var queueURL: String
    /// The message, 1 byte to 1 MiB with the attributes.
    public var messageBody: String
    /// Seconds before the message becomes visible, 0...900; nil uses the queue's.
    public var delaySeconds: Int?
    /// Message attributes (up to 10).
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO queues: the ordering group.
    public var messageGroupId: String?
    /// FIFO queues: the deduplication id (unless content-based deduplication is on).
    public var messageDeduplicationId: String?

    /// SendMessage parameters.
    public init(queueURL: String, messageBody: String, delaySeconds: Int? = nil,
                messageAttributes: [String: MessageAttributeValue] = [:], messageGroupId: String? = nil,
                messageDeduplicationId: String? = nil) {
        self.queueURL = queueURL
        self.messageBody = messageBody
        self.delaySeconds = delaySeconds
        self.messageAttributes = messageAttributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// What SendMessage returns.
public struct SendMessageResult: Sendable, Hashable {
    /// The id SQS gave the message.
    public var messageId: String
    /// The MD5 of the body SQS received (checked by ``SQSClient``).
    public var md5OfMessageBody: String?
    /// The MD5 of the attributes SQS received, when there were any (checked by ``SQSClient``).
    public var md5OfMessageAttributes: String?
    /// FIFO queues only.
    public var sequenceNumber: String?

    /// A result as the reply describes it.
    public init(messageId: String, md5OfMessageBody: String? = nil, md5OfMessageAttributes: String? = nil, sequenceNumber: String? = nil) {
        self.messageId = messageId
        self.md5OfMessageBody = md5OfMessageBody
        self.md5OfMessageAttributes = md5OfMessageAttributes
        self.sequenceNumber = sequenceNumber
    }
}

/// One SendMessageBatch entry.
public struct SendMessageBatchEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var id: String
    /// The message, 1 byte to 1 MiB with the attributes (the whole batch too).
    public var messageBody: String
    /// Seconds before the message becomes visible, 0...900; nil uses the queue's.
    public var delaySeconds: Int?
    /// Message attributes (up to 10).
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO queues: the ordering group.
    public var messageGroupId: String?
    /// FIFO queues: the deduplication id (unless content-based deduplication is on).
    public var messageDeduplicationId: String?

    /// One entry; `id` is 1 to 80 letters, digits, `-` or `_`, distinct within the batch.
    public init(id: String, messageBody: String, delaySeconds: Int? = nil, messageAttributes: [String: MessageAttributeValue] = [:],
                messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.id = id
        self.messageBody = messageBody
        self.delaySeconds = delaySeconds
        self.messageAttributes = messageAttributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// One successful SendMessageBatch entry.
public struct SendMessageBatchResultEntry: Sendable, Hashable {
    /// The caller's entry id.
    public var id: String
    /// The id SQS gave the message.
    public var messageId: String
    /// The MD5 of the body SQS received (checked by ``SQSClient``).
    public var md5OfMessageBody: String?
    /// FIFO queues only.
    public var sequenceNumber: String?
    /// The MD5 of the message attributes SQS received, when the entry had attributes (checked by ``SQSClient``).
    public var md5OfMessageAttributes: String?

    /// A successful entry as the reply describes it.
    public init(id: String, messageId: String, md5OfMessageBody: String? = nil, sequenceNumber: String? = nil,
                md5OfMessageAttributes: String? = nil) {
        self.id = id
        self.messageId = messageId
        self.md5OfMessageBody = md5OfMessageBody
        self.sequenceNumber = sequenceNumber
        self.md5OfMessageAttributes = md5OfMessageAttributes
    }
}

/// One DeleteMessageBatch entry.
public struct DeleteMessageBatchEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var id: String
    /// The receipt handle of the message to delete.
    public var receiptHandle: String

    /// One entry.
    public init(id: String, receiptHandle: String) {
        self.id = id
        self.receiptHandle = receiptHandle
    }
}

/// One ChangeMessageVisibilityBatch entry.
public struct ChangeMessageVisibilityBatchEntry: Sendable, Hashable {
    /// The caller's id for this entry, unique within the batch.
    public var id: String
    /// The receipt handle of the message.
    public var receiptHandle: String
    /// 0...43200 seconds.
    public var visibilityTimeout: Int

    /// One entry.
    public init(id: String, receiptHandle: String, visibilityTimeout: Int) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}
