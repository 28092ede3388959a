#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// SNS Publish and PublishBatch, and the fan-out to subscribed queues.
extension InMemoryBroker {
    func publish(_ request: PublishRequest) throws -> PublishResult {
        let topic = try topic(request.topicArn, action: .publish)
        let result = try publish(request, to: topic, action: .publish)
        return PublishResult(messageId: result.messageId, sequenceNumber: result.sequenceNumber)
    }

    func publishBatch(topicArn: String, entries: [PublishBatchEntry]) throws -> BatchResult<PublishBatchResultEntry> {
        let topic = try topic(topicArn, action: .publishBatch)
        return try BatchResult.eachEntry(of: entries, id: \.id) { entry in
            let request = PublishRequest(topicArn: topicArn, message: entry.message, subject: entry.subject,
                                         messageAttributes: entry.messageAttributes, messageGroupId: entry.messageGroupId,
                                         messageDeduplicationId: entry.messageDeduplicationId)
            let published = try publish(request, to: topic, action: .publishBatch)
            return PublishBatchResultEntry(id: entry.id, messageId: published.messageId, sequenceNumber: published.sequenceNumber)
        }
    }

    /// Checks, records and fans out one message.
    private func publish(_ request: PublishRequest, to topic: BrokerTopic, action: BrokerAction) throws -> PublishResult {
        if let subject = request.subject, subject.isEmpty || subject.count > 100 || subject.contains(where: \.isNewline) {
            throw AWSError.invalidParameter("Subject: must be 1 to 100 characters on one line (topic \(topic.arn))",
                                            action: action.rawValue)
        }
        let now = clock.now
        var deduplicationId: String?
        var sequenceNumber: String?
        if topic.isFIFO {
            guard let groupId = request.messageGroupId, !groupId.isEmpty else {
                throw AWSError.invalidParameter("The MessageGroupId parameter is required for FIFO topics (topic \(topic.arn))",
                                                action: action.rawValue)
            }
            guard let id = request.messageDeduplicationId
                ?? (topic.contentBasedDeduplication ? SHA256.hash(request.message.utf8).hex : nil) else {
                throw AWSError.invalidParameter("The topic should either have ContentBasedDeduplication enabled or "
                                                    + "MessageDeduplicationId provided explicitly (topic \(topic.arn))",
                                                action: action.rawValue)
            }
            if let original = topic.deduplication.original(for: id, now: now) {
                return PublishResult(messageId: original.messageId, sequenceNumber: original.sequenceNumber)
            }
            deduplicationId = id
            sequenceNumber = topic.takeSequenceNumber()
        } else {
            if request.messageDeduplicationId != nil {
                throw AWSError.invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
                                                    + "parameter that is not valid for this topic type (standard topic "
                                                    + "\(topic.arn))", action: action.rawValue)
            }
            if request.messageGroupId != nil {
                throw AWSError.invalidParameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is "
                                                    + "not valid for this topic type (standard topic \(topic.arn))",
                                                action: action.rawValue)
            }
        }
        let messageId = identifiers.uuid()
        if let deduplicationId {
            topic.deduplication.record(deduplicationId, messageId: messageId, sequenceNumber: sequenceNumber, now: now)
        }
        if recordsPublications {
            recordedPublications.append(BrokerPublication(
                topicArn: topic.arn, message: request.message, subject: request.subject,
                messageAttributes: request.messageAttributes, messageId: messageId, publishedAt: now,
                messageGroupId: request.messageGroupId, messageDeduplicationId: deduplicationId, sequenceNumber: sequenceNumber))
        }
        fanOut(request, messageId: messageId, deduplicationId: deduplicationId, from: topic, now: now)
        return PublishResult(messageId: messageId, sequenceNumber: sequenceNumber)
    }

    /// Delivers to every subscription whose filter passes: the envelope or the raw message (each
    /// written, and its digests reckoned, once per publish). Deliveries to a missing queue, or that its queue refuses, are lost, as
    /// SNS loses them without a subscription dead-letter queue.
    private func fanOut(_ request: PublishRequest, messageId: String, deduplicationId: String?, from topic: BrokerTopic,
                        now: Date) {
        var envelope: BrokerEnvelope?
        var rawDigests: (body: String, attributes: String?)?
        for subscription in topic.subscriptions {
            if let filter = subscription.filterPolicy, !filter.matches(request.messageAttributes) { continue }
            guard let queue = queue(for: subscription) else { continue }
            let deduplicationId = queue.isFIFO ? deduplicationId : nil
            let arrival: Arrival
            if subscription.rawMessageDelivery {
                // SNS refuses raw deliveries to SQS with more than 10 attributes (a client error: lost).
                guard request.messageAttributes.count <= 10 else { continue }
                let digests = rawDigests ?? (SQSMessageDigest.md5OfBody(request.message), Self.md5(of: request.messageAttributes))
                rawDigests = digests
                arrival = Arrival(body: request.message, md5OfBody: digests.body, messageAttributes: request.messageAttributes,
                                  md5OfMessageAttributes: digests.attributes, delaySeconds: nil,
                                  messageGroupId: request.messageGroupId, messageDeduplicationId: deduplicationId,
                                  senderId: Self.snsSenderId)
            } else {
                if envelope == nil {
                    envelope = BrokerEnvelope(template: topic.envelopeTemplate, message: request.message, messageId: messageId,
                                              subject: request.subject, timestamp: BrokerTimestamp.iso8601(now),
                                              messageAttributes: request.messageAttributes)
                }
                let (body, md5) = envelope!.body(suffix: subscription.envelopeSuffix)
                arrival = Arrival(body: body, md5OfBody: md5, messageAttributes: [:], md5OfMessageAttributes: nil,
                                  delaySeconds: nil, messageGroupId: request.messageGroupId,
                                  messageDeduplicationId: deduplicationId, senderId: Self.snsSenderId)
            }
            if (try? send(arrival, to: queue, action: .sendMessage)) != nil { settle(queue) }
        }
    }

    private func queue(for subscription: BrokerSubscription) -> BrokerQueue? {
        if let queue = subscription.queue, !queue.isDeleted { return queue }
        subscription.queue = queuesByArn[subscription.endpoint]
        return subscription.queue
    }
}
