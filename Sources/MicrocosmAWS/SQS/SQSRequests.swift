/// ReceiveMessage parameters.
public struct ReceiveMessageRequest: Sendable, Hashable {
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
    public var queueURL: String
    public var messageBody: String
    public var delaySeconds: Int?
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO queues: the ordering group.
    public var messageGroupId: String?
    /// FIFO queues: the deduplication id (unless content-based deduplication is on).
    public var messageDeduplicationId: String?

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
    public var messageId: String
    public var md5OfMessageBody: String?
    public var md5OfMessageAttributes: String?
    /// FIFO queues only.
    public var sequenceNumber: String?

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
    public var messageBody: String
    public var delaySeconds: Int?
    public var messageAttributes: [String: MessageAttributeValue]
    public var messageGroupId: String?
    public var messageDeduplicationId: String?

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
    public var id: String
    public var messageId: String
    public var md5OfMessageBody: String?
    public var sequenceNumber: String?

    public init(id: String, messageId: String, md5OfMessageBody: String? = nil, sequenceNumber: String? = nil) {
        self.id = id
        self.messageId = messageId
        self.md5OfMessageBody = md5OfMessageBody
        self.sequenceNumber = sequenceNumber
    }
}

/// One DeleteMessageBatch entry.
public struct DeleteMessageBatchEntry: Sendable, Hashable {
    public var id: String
    public var receiptHandle: String

    public init(id: String, receiptHandle: String) {
        self.id = id
        self.receiptHandle = receiptHandle
    }
}

/// One ChangeMessageVisibilityBatch entry.
public struct ChangeMessageVisibilityBatchEntry: Sendable, Hashable {
    public var id: String
    public var receiptHandle: String
    /// 0...43200 seconds.
    public var visibilityTimeout: Int

    public init(id: String, receiptHandle: String, visibilityTimeout: Int) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}
