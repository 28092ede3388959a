#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// What tests read: the record of publications and the contents of queues, without receiving.
extension InMemoryBroker {
    /// Every message accepted on any topic, oldest first (empty when ``recordsPublications`` is off).
    public var publications: [BrokerPublication] { recordedPublications }

    /// The messages accepted on `topicArn`, oldest first.
    public func publications(to topicArn: String) -> [BrokerPublication] {
        recordedPublications.filter { $0.topicArn == topicArn }
    }

    /// Forgets the record of publications.
    public func clearPublications() {
        recordedPublications.removeAll()
    }

    /// The receivable messages in a queue, in the order receives would meet them.
    public func visibleMessages(in queueURL: String) throws -> [BrokerMessage] {
        let queue = try inspected(queueURL)
        return queue.visibleMessages.map { snapshot($0) }
    }

    /// The received, not yet deleted messages in a queue, soonest visible again first.
    public func inFlightMessages(in queueURL: String) throws -> [BrokerMessage] {
        try inspected(queueURL).inFlightMessages.map { snapshot($0) }
    }

    /// The messages in a queue waiting for their delay to end, soonest first.
    public func delayedMessages(in queueURL: String) throws -> [BrokerMessage] {
        try inspected(queueURL).delayedMessages.map { snapshot($0) }
    }

    /// Every message in a queue: visible, then in flight, then delayed.
    public func messages(in queueURL: String) throws -> [BrokerMessage] {
        let queue = try inspected(queueURL)
        return (queue.visibleMessages + queue.inFlightMessages + queue.delayedMessages).map { snapshot($0) }
    }

    /// Every message in the dead-letter queue named by `queueURL`'s redrive policy.
    public func deadLetterMessages(of queueURL: String) throws -> [BrokerMessage] {
        let queue = try inspected(queueURL)
        guard let target = queue.settings.redrivePolicy?.deadLetterTargetArn, let deadLetterQueue = queuesByArn[target] else {
            throw AWSError.invalidParameterValue("Queue \(queueURL) has no dead-letter queue (no RedrivePolicy, or its target "
                                                     + "is gone)", action: "Inspect")
        }
        return try messages(in: deadLetterQueue.url)
    }

    /// How many long polls are waiting on a queue right now.
    public func waitingReceiveCount(on queueURL: String) throws -> Int {
        try inspected(queueURL).waiters.count
    }

    private func inspected(_ queueURL: String) throws -> BrokerQueue {
        let queue = try queue(at: queueURL, action: BrokerAction(rawValue: "Inspect"))
        queue.promoteDue(now: clock.now)
        settle(queue)
        return queue
    }

    private func snapshot(_ message: BrokerStoredMessage) -> BrokerMessage {
        let state: BrokerMessage.State = switch message.state {
        case .delayed: .delayed
        case .inFlight: .inFlight
        case .visible, .deleted: .visible
        }
        return BrokerMessage(messageId: message.messageId, body: message.body, messageAttributes: message.messageAttributes,
                             receiveCount: message.receiveCount, sentAt: message.sentAt, messageGroupId: message.messageGroupId,
                             state: state, visibleAt: state == .visible ? nil : message.visibleAt,
                             deadLetterQueueSourceArn: message.deadLetterQueueSourceArn)
    }
}
