#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// One message an ``InMemoryBroker`` accepted on a topic (Publish or a PublishBatch entry), as
/// the testing module's assertions see it.
///
/// ```swift
/// let published = await broker.publications(to: topicArn)
/// XCTAssertEqual(published.first?.messageAttributes["media_type"]?.stringValue, mediaType)
/// ```
public struct BrokerPublication: Sendable, Hashable {
    /// The topic it was published to.
    public var topicArn: String
    /// The message text, as given.
    public var message: String
    /// The subject, when given.
    public var subject: String?
    /// The message attributes, as given.
    public var messageAttributes: [String: MessageAttributeValue]
    /// The SNS message id returned to the publisher.
    public var messageId: String
    /// When the broker accepted it (the broker's clock).
    public var publishedAt: Date
    /// FIFO topics: the message group.
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id (given, or the SHA-256 of the message with content-based deduplication).
    public var messageDeduplicationId: String?
    /// FIFO topics: the sequence number.
    public var sequenceNumber: String?

    /// A record of one accepted message.
    public init(topicArn: String, message: String, subject: String? = nil, messageAttributes: [String: MessageAttributeValue] = [:],
                messageId: String, publishedAt: Date, messageGroupId: String? = nil, messageDeduplicationId: String? = nil,
                sequenceNumber: String? = nil) {
        self.topicArn = topicArn
        self.message = message
        self.subject = subject
        self.messageAttributes = messageAttributes
        self.messageId = messageId
        self.publishedAt = publishedAt
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
        self.sequenceNumber = sequenceNumber
    }
}
