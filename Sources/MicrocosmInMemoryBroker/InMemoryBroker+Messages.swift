#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// SQS messages: SendMessage, ReceiveMessage (with long polls), DeleteMessage,
/// ChangeMessageVisibility and their batch forms, redrive to dead-letter queues.
extension InMemoryBroker {
    /// What an arriving message carries, from SendMessage or from an SNS delivery.
    struct Arrival {
        var body: String
        var md5OfBody: String
        var messageAttributes: [String: MessageAttributeValue]
        var md5OfMessageAttributes: String?
        var delaySeconds: Int?
        var messageGroupId: String?
        var messageDeduplicationId: String?
        var senderId: String

        /// A message sent with SendMessage or SendMessageBatch: its digests are computed here, as SQS computes them.
        static func sent(body: String, attributes: [String: MessageAttributeValue], delaySeconds: Int?,
                         messageGroupId: String?, messageDeduplicationId: String?, senderId: String) -> Arrival {
            Arrival(body: body, md5OfBody: SQSMessageDigest.md5OfBody(body), messageAttributes: attributes,
                    md5OfMessageAttributes: InMemoryBroker.md5(of: attributes), delaySeconds: delaySeconds,
                    messageGroupId: messageGroupId, messageDeduplicationId: messageDeduplicationId, senderId: senderId)
        }
    }

    // MARK: Sending

    func sendMessage(_ request: SendMessageRequest) throws -> SendMessageResult {
        let queue = try queue(at: request.queueURL, action: .sendMessage)
        let result = try send(.sent(body: request.messageBody, attributes: request.messageAttributes,
                                    delaySeconds: request.delaySeconds, messageGroupId: request.messageGroupId,
                                    messageDeduplicationId: request.messageDeduplicationId, senderId: accountId),
                              to: queue, action: .sendMessage)
        settle(queue)
        return result
    }

    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) throws -> BatchResult<SendMessageBatchResultEntry> {
        let queue = try queue(at: queueURL, action: .sendMessageBatch)
        let result = try BatchResult.eachEntry(of: entries, id: \.id) { entry in
            let sent = try send(.sent(body: entry.messageBody, attributes: entry.messageAttributes,
                                      delaySeconds: entry.delaySeconds, messageGroupId: entry.messageGroupId,
                                      messageDeduplicationId: entry.messageDeduplicationId, senderId: accountId),
                                to: queue, action: .sendMessageBatch)
            return SendMessageBatchResultEntry(id: entry.id, messageId: sent.messageId, md5OfMessageBody: sent.md5OfMessageBody,
                                               sequenceNumber: sent.sequenceNumber)
        }
        settle(queue)
        return result
    }

    /// Checks and stores one message; the caller settles the queue.
    func send(_ arrival: Arrival, to queue: BrokerQueue, action: BrokerAction) throws -> SendMessageResult {
        let size = arrival.body.utf8.count + RequestValidation.attributesSize(arrival.messageAttributes)
        guard size <= queue.settings.maximumMessageSize else {
            throw AWSError.invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be shorter than \(queue.settings.maximumMessageSize) "
                    + "bytes (queue \(queue.url), message \(size) bytes).", action: action.rawValue)
        }
        let now = clock.now
        var deduplicationId: String?
        var sequenceNumber: String?
        if queue.isFIFO {
            guard let groupId = arrival.messageGroupId, !groupId.isEmpty else {
                throw AWSError.missingParameter("MessageGroupId", queueURL: queue.url, action: action.rawValue)
            }
            if let delay = arrival.delaySeconds, delay != 0 {
                throw AWSError.invalidParameterValue(
                    "Value \(delay) for parameter DelaySeconds is invalid. Reason: The request include parameter that is not "
                        + "valid for this queue type (FIFO queue \(queue.url) has only a queue-wide delay).", action: action.rawValue)
            }
            guard let id = arrival.messageDeduplicationId
                ?? (queue.settings.contentBasedDeduplication ? SHA256.hash(arrival.body.utf8).hex : nil) else {
                throw AWSError.invalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
                        + "explicitly (FIFO queue \(queue.url)).", action: action.rawValue)
            }
            if let original = queue.deduplication.original(for: id, now: now) {
                return SendMessageResult(messageId: original.messageId, md5OfMessageBody: arrival.md5OfBody,
                                         md5OfMessageAttributes: arrival.md5OfMessageAttributes,
                                         sequenceNumber: original.sequenceNumber)
            }
            deduplicationId = id
        } else if arrival.messageDeduplicationId != nil {
            throw AWSError.invalidParameterValue(
                "The request include parameter MessageDeduplicationId that is not valid for this queue type (standard queue "
                    + "\(queue.url)).", action: action.rawValue)
        }
        let sequence = queue.takeSequence()
        if queue.isFIFO { sequenceNumber = String(10_000_000_000_000_000_000 + sequence) }
        let message = BrokerStoredMessage(
            messageId: identifiers.uuid(), body: arrival.body, md5OfBody: arrival.md5OfBody,
            messageAttributes: arrival.messageAttributes, md5OfMessageAttributes: arrival.md5OfMessageAttributes, sentAt: now,
            senderId: arrival.senderId, messageGroupId: arrival.messageGroupId, messageDeduplicationId: deduplicationId,
            sequenceNumber: sequenceNumber, sequence: sequence, deadLetterQueueSourceArn: nil)
        if let deduplicationId {
            queue.deduplication.record(deduplicationId, messageId: message.messageId, sequenceNumber: sequenceNumber, now: now)
        }
        queue.enqueue(message, delay: arrival.delaySeconds ?? queue.settings.delaySeconds, now: now)
        return SendMessageResult(messageId: message.messageId, md5OfMessageBody: arrival.md5OfBody,
                                 md5OfMessageAttributes: arrival.md5OfMessageAttributes, sequenceNumber: sequenceNumber)
    }

    /// `MD5OfMessageAttributes` for attributes, nil when there are none (as SQS sends none).
    static func md5(of attributes: [String: MessageAttributeValue]) -> String? {
        attributes.isEmpty ? nil : SQSMessageDigest.md5OfMessageAttributes(attributes)
    }

    // MARK: Receiving

    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        let queue = try queue(at: request.queueURL, action: .receiveMessage)
        let wait = request.waitTimeSeconds ?? queue.settings.receiveMessageWaitTimeSeconds
        let selection = BrokerAttributeSelection(attributeNames: request.attributeNames,
                                                 messageAttributeNames: request.messageAttributeNames)
        let deadline = clock.now.addingTimeInterval(TimeInterval(wait))
        while true {
            let now = clock.now
            let visibility = request.visibilityTimeout ?? queue.settings.visibilityTimeout
            let messages = take(from: queue, max: request.maxNumberOfMessages, visibility: visibility, now: now,
                                selection: selection)
            settle(queue)
            if !messages.isEmpty || now >= deadline { return messages }
            try await park(on: queue, until: queue.nextVisibilityChange.map { min($0, deadline) } ?? deadline)
            if queue.isDeleted { throw AWSError.nonExistentQueue(request.queueURL, action: BrokerAction.receiveMessage.rawValue) }
        }
    }

    private func take(from queue: BrokerQueue, max: Int, visibility: Int, now: Date,
                      selection: BrokerAttributeSelection) -> [SQSMessage] {
        queue.promoteDue(now: now)
        guard queue.deliverableCount > 0 else { return [] }
        let until = now.addingTimeInterval(TimeInterval(visibility))
        var taken: [SQSMessage] = []
        taken.reserveCapacity(max)
        if queue.isFIFO {
            while taken.count < max, let group = queue.popReadyGroup() {
                while taken.count < max, let message = group.popVisible() {
                    if let received = receive(message, from: queue, until: until, now: now, selection: selection) {
                        taken.append(received)
                    }
                }
                queue.settle(group)
            }
        } else {
            while taken.count < max, let message = queue.popVisible() {
                if let received = receive(message, from: queue, until: until, now: now, selection: selection) {
                    taken.append(received)
                }
            }
        }
        return taken
    }

    /// Delivers one visible message, unless it outlived the retention period (dropped) or has been
    /// received `maxReceiveCount` times (moved to the dead-letter queue, as SQS does on the
    /// receive that would exceed the count).
    private func receive(_ message: BrokerStoredMessage, from queue: BrokerQueue, until: Date, now: Date,
                         selection: BrokerAttributeSelection) -> SQSMessage? {
        if now.timeIntervalSince(message.sentAt) >= TimeInterval(queue.settings.messageRetentionPeriod) {
            queue.drop(message)
            return nil
        }
        if let redrive = queue.settings.redrivePolicy, message.receiveCount >= redrive.maxReceiveCount,
           let deadLetterQueue = queuesByArn[redrive.deadLetterTargetArn] {
            queue.drop(message)
            moveToDeadLetterQueue(message, from: queue, to: deadLetterQueue, now: now)
            return nil
        }
        let handle = queue.issueHandle()
        queue.beginFlight(message, until: until, now: now, handle: handle)
        return selection.message(message, receiptHandle: handle)
    }

    private func moveToDeadLetterQueue(_ message: BrokerStoredMessage, from source: BrokerQueue, to target: BrokerQueue,
                                       now: Date) {
        let sequence = target.takeSequence()
        let moved = BrokerStoredMessage(
            messageId: message.messageId, body: message.body, md5OfBody: message.md5OfBody,
            messageAttributes: message.messageAttributes, md5OfMessageAttributes: message.md5OfMessageAttributes,
            sentAt: message.sentAt, senderId: message.senderId, messageGroupId: message.messageGroupId,
            messageDeduplicationId: message.messageDeduplicationId,
            sequenceNumber: target.isFIFO ? String(10_000_000_000_000_000_000 + sequence) : nil, sequence: sequence,
            deadLetterQueueSourceArn: source.arn, receiveCount: message.receiveCount, firstReceivedAt: message.firstReceivedAt)
        target.enqueue(moved, delay: 0, now: now)
        settle(target)
    }

    // MARK: Deleting and visibility

    func deleteMessage(queueURL: String, receiptHandle: String) throws {
        let queue = try queue(at: queueURL, action: .deleteMessage)
        try delete(receiptHandle, in: queue, action: .deleteMessage)
        settle(queue)
    }

    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) throws -> BatchResult<String> {
        let queue = try queue(at: queueURL, action: .deleteMessageBatch)
        let result = try BatchResult.eachEntry(of: entries, id: \.id) { entry in
            try delete(entry.receiptHandle, in: queue, action: .deleteMessageBatch)
            return entry.id
        }
        settle(queue)
        return result
    }

    /// Deletes the message any of its handles names (as AWS and moto do); a handle of a message
    /// already gone is accepted again; a handle this queue never issued is an error.
    private func delete(_ receiptHandle: String, in queue: BrokerQueue, action: BrokerAction) throws {
        queue.promoteDue(now: clock.now)
        if let message = queue.message(forHandle: receiptHandle) {
            queue.drop(message)
        } else if !queue.issued(receiptHandle) {
            throw AWSError.receiptHandleIsInvalid(receiptHandle, queueURL: queue.url, action: action.rawValue)
        }
    }

    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) throws {
        let queue = try queue(at: queueURL, action: .changeMessageVisibility)
        try changeVisibility(receiptHandle, to: visibilityTimeout, in: queue, action: .changeMessageVisibility)
        settle(queue)
    }

    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) throws -> BatchResult<String> {
        let queue = try queue(at: queueURL, action: .changeMessageVisibilityBatch)
        let result = try BatchResult.eachEntry(of: entries, id: \.id) { entry in
            try changeVisibility(entry.receiptHandle, to: entry.visibilityTimeout, in: queue, action: .changeMessageVisibilityBatch)
            return entry.id
        }
        settle(queue)
        return result
    }

    /// Only the latest receive's handle of an in-flight message changes its visibility; 0 makes
    /// it visible at once.
    private func changeVisibility(_ receiptHandle: String, to timeout: Int, in queue: BrokerQueue, action: BrokerAction) throws {
        let now = clock.now
        queue.promoteDue(now: now)
        guard let message = queue.message(forHandle: receiptHandle) else {
            if queue.issued(receiptHandle) { throw AWSError.messageNotAvailable(receiptHandle, action: action.rawValue) }
            throw AWSError.receiptHandleIsInvalid(receiptHandle, queueURL: queue.url, action: action.rawValue)
        }
        guard message.receiptHandle == receiptHandle else {
            throw AWSError.messageNotAvailable(receiptHandle, action: action.rawValue)
        }
        guard message.state == .inFlight else { throw AWSError.messageNotInflight(receiptHandle, action: action.rawValue) }
        if timeout == 0 {
            queue.release(message)
        } else {
            queue.extend(message, until: now.addingTimeInterval(TimeInterval(timeout)))
        }
    }
}
