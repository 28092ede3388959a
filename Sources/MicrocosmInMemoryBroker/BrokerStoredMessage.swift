#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// One message in a queue of the in-memory broker, with everything SQS tracks about it.
///
/// A reference type: the queue's ring of visible messages, its FIFO groups, its visibility heap
/// and its receipt-handle index all point at the same record, and each moves it in O(1) or
/// O(log n) without copying the body.
final class BrokerStoredMessage {
    enum State {
        /// Sent with a delay; in the visibility heap until it is due.
        case delayed
        /// Receivable; in the ring (standard queue) or its group (FIFO queue).
        case visible
        /// Received and not yet deleted; in the visibility heap until its timeout ends.
        case inFlight
        /// Deleted, purged, expired or moved to the dead-letter queue.
        case deleted
    }

    let messageId: String
    let body: String
    let md5OfBody: String
    let messageAttributes: [String: MessageAttributeValue]
    let md5OfMessageAttributes: String?
    let sentAt: Date
    let senderId: String
    let messageGroupId: String?
    let messageDeduplicationId: String?
    /// FIFO queues: the SQS sequence number.
    let sequenceNumber: String?
    /// Arrival order within the queue; orders a FIFO group and breaks ties in the heap.
    let sequence: UInt64
    /// Set on messages the broker moved here from a source queue's redrive.
    let deadLetterQueueSourceArn: String?

    var state: State
    var receiveCount: Int
    var firstReceivedAt: Date?
    /// When a delayed or in-flight message becomes visible.
    var visibleAt: Date
    /// The position in the visibility heap, or -1.
    var heapIndex = -1
    /// The handle of the latest receive; the only one that can change visibility.
    var receiptHandle: String?
    /// Handles of earlier receives (they still delete the message, as on AWS and moto).
    var earlierReceiptHandles: [String] = []
    /// `SentTimestamp`, written once.
    private(set) lazy var sentTimestamp = String(BrokerTimestamp.milliseconds(sentAt))

    init(messageId: String, body: String, md5OfBody: String, messageAttributes: [String: MessageAttributeValue],
         md5OfMessageAttributes: String?, sentAt: Date, senderId: String, messageGroupId: String?,
         messageDeduplicationId: String?, sequenceNumber: String?, sequence: UInt64, deadLetterQueueSourceArn: String?,
         receiveCount: Int = 0, firstReceivedAt: Date? = nil) {
        self.messageId = messageId
        self.body = body
        self.md5OfBody = md5OfBody
        self.messageAttributes = messageAttributes
        self.md5OfMessageAttributes = md5OfMessageAttributes
        self.sentAt = sentAt
        self.senderId = senderId
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
        self.sequenceNumber = sequenceNumber
        self.sequence = sequence
        self.deadLetterQueueSourceArn = deadLetterQueueSourceArn
        self.state = .visible
        self.receiveCount = receiveCount
        self.firstReceivedAt = firstReceivedAt
        self.visibleAt = sentAt
    }
}
