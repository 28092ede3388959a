#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// A snapshot of one message in a queue of an ``InMemoryBroker``, for tests that look inside a
/// queue without receiving from it (which would change receive counts and visibility).
///
/// ```swift
/// let stuck = try await broker.deadLetterMessages(of: queueURL)
/// XCTAssertEqual(stuck.map(\.receiveCount), [3])
/// ```
public struct BrokerMessage: Sendable, Hashable {
    /// Where the message is.
    public enum State: String, Sendable, Hashable {
        /// Waiting for its delay to end.
        case delayed
        /// Receivable now.
        case visible
        /// Received and not yet deleted.
        case inFlight
    }

    /// The SQS message id.
    public var messageId: String
    /// The body: the SNS envelope for wrapped delivery, the message itself for raw delivery or SendMessage.
    public var body: String
    /// The message attributes.
    public var messageAttributes: [String: MessageAttributeValue]
    /// How many times it has been received.
    public var receiveCount: Int
    /// When it was sent to the queue (for a dead-lettered message: to its source queue).
    public var sentAt: Date
    /// FIFO queues: the message group.
    public var messageGroupId: String?
    /// Where the message is.
    public var state: State
    /// For a delayed or in-flight message, when it becomes visible.
    public var visibleAt: Date?
    /// For a message moved to a dead-letter queue, the source queue's ARN.
    public var deadLetterQueueSourceArn: String?

    /// A snapshot.
    public init(messageId: String, body: String, messageAttributes: [String: MessageAttributeValue] = [:], receiveCount: Int,
                sentAt: Date, messageGroupId: String? = nil, state: State, visibleAt: Date? = nil,
                deadLetterQueueSourceArn: String? = nil) {
        self.messageId = messageId
        self.body = body
        self.messageAttributes = messageAttributes
        self.receiveCount = receiveCount
        self.sentAt = sentAt
        self.messageGroupId = messageGroupId
        self.state = state
        self.visibleAt = visibleAt
        self.deadLetterQueueSourceArn = deadLetterQueueSourceArn
    }
}
