#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One SNS topic of the in-memory broker and its subscriptions.
final class BrokerTopic {
    let name: String
    let arn: String
    let isFIFO: Bool
    /// The attributes it was created with.
    let attributes: [String: String]
    /// What this topic's envelopes share.
    let envelopeTemplate: BrokerEnvelope.Template
    var subscriptions: [BrokerSubscription] = []
    /// FIFO topics: deduplication ids of the last five minutes.
    var deduplication = BrokerDeduplication()
    private var nextSequence: UInt64 = 0

    init(name: String, arn: String, attributes: [String: String], envelopeTemplate: BrokerEnvelope.Template) {
        self.name = name
        self.arn = arn
        self.isFIFO = name.hasSuffix(".fifo")
        self.attributes = attributes
        self.envelopeTemplate = envelopeTemplate
    }

    var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"]?.lowercased() == "true" }

    /// The next FIFO sequence number, 20 digits as SNS writes them.
    func takeSequenceNumber() -> String {
        nextSequence += 1
        return String(10_000_000_000_000_000_000 + nextSequence)
    }
}
