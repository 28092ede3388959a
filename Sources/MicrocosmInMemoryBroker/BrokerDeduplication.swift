#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// FIFO deduplication: a message whose deduplication id was seen in the last five minutes is
/// accepted but not delivered again, and the caller gets the first message's id back.
struct BrokerDeduplication {
    /// How long SNS and SQS remember a deduplication id.
    static let interval: TimeInterval = 300

    struct Original {
        let messageId: String
        let sequenceNumber: String?
    }

    private var seen: [String: Original] = [:]
    /// Ids in the order they were recorded, to forget them in O(1) each.
    private var order = BrokerRing<(id: String, expiresAt: Date)>()

    /// The message first sent with `id`, if that was within the interval.
    mutating func original(for id: String, now: Date) -> Original? {
        while let oldest = order.first, oldest.expiresAt <= now {
            _ = order.popFirst()
            seen[oldest.id] = nil
        }
        return seen[id]
    }

    mutating func record(_ id: String, messageId: String, sequenceNumber: String?, now: Date) {
        seen[id] = Original(messageId: messageId, sequenceNumber: sequenceNumber)
        order.append((id, now.addingTimeInterval(Self.interval)))
    }
}
