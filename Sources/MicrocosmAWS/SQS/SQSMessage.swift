/// A message received from SQS.
public struct SQSMessage: Sendable, Hashable {
    /// The id SQS gave the message.
    public var messageId: String
    /// The handle to delete the message or change its visibility with (valid for this receive only).
    public var receiptHandle: String
    /// The message body.
    public var body: String
    /// The MD5 of the body, as SQS reports it (see ``verifyChecksums(queueURL:)``).
    public var md5OfBody: String?
    /// System attributes (`ApproximateReceiveCount`, `SentTimestamp`, `MessageGroupId`, ...).
    public var attributes: [String: String]
    /// Message attributes, when asked for.
    public var messageAttributes: [String: MessageAttributeValue]
    /// The MD5 of the message attributes, as SQS reports it (see ``verifyChecksums(queueURL:)``).
    public var md5OfMessageAttributes: String?

    /// A message as SQS delivers it.
    public init(messageId: String, receiptHandle: String, body: String, md5OfBody: String? = nil,
                attributes: [String: String] = [:], messageAttributes: [String: MessageAttributeValue] = [:],
                md5OfMessageAttributes: String? = nil) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.md5OfBody = md5OfBody
        self.attributes = attributes
        self.messageAttributes = messageAttributes
        self.md5OfMessageAttributes = md5OfMessageAttributes
    }

    /// `ApproximateReceiveCount`, when it was asked for.
    public var receiveCount: Int? { attributes["ApproximateReceiveCount"].flatMap(Int.init) }

    /// `MessageGroupId` (FIFO queues).
    public var messageGroupId: String? { attributes["MessageGroupId"] }
}
