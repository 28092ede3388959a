import MicrocosmAWS

/// Which system and message attributes a ReceiveMessage asked for (`All`, `.*`, names,
/// `prefix.*`), and the received messages built accordingly.
struct BrokerAttributeSelection {
    private let allSystem: Bool
    private let systemNames: Set<String>
    private let allMessage: Bool
    private let messageNames: Set<String>
    private let messagePrefixes: [String]

    init(attributeNames: [String], messageAttributeNames: [String]) {
        allSystem = attributeNames.contains("All")
        systemNames = Set(attributeNames)
        allMessage = messageAttributeNames.contains("All") || messageAttributeNames.contains(".*")
        messageNames = Set(messageAttributeNames.filter { !$0.hasSuffix(".*") })
        messagePrefixes = messageAttributeNames.filter { $0.hasSuffix(".*") }.map { String($0.dropLast(1)) }
    }

    /// The message as this receive returns it.
    func message(_ message: BrokerStoredMessage, receiptHandle: String) -> SQSMessage {
        var messageAttributes = message.messageAttributes
        var md5OfMessageAttributes = message.md5OfMessageAttributes
        if !allMessage, !messageAttributes.isEmpty {
            messageAttributes = messageAttributes.filter { name, _ in
                messageNames.contains(name) || messagePrefixes.contains { name.hasPrefix($0) }
            }
            md5OfMessageAttributes = messageAttributes.count == message.messageAttributes.count
                ? message.md5OfMessageAttributes : InMemoryBroker.md5(of: messageAttributes)
        }
        return SQSMessage(messageId: message.messageId, receiptHandle: receiptHandle, body: message.body,
                          md5OfBody: message.md5OfBody, attributes: systemAttributes(of: message),
                          messageAttributes: messageAttributes, md5OfMessageAttributes: md5OfMessageAttributes)
    }

    private func systemAttributes(of message: BrokerStoredMessage) -> [String: String] {
        guard allSystem || !systemNames.isEmpty else { return [:] }
        var attributes: [String: String] = [:]
        attributes.reserveCapacity(8)
        func add(_ name: String, _ value: @autoclosure () -> String?) {
            if allSystem || systemNames.contains(name), let value = value() { attributes[name] = value }
        }
        add("SenderId", message.senderId)
        add("SentTimestamp", message.sentTimestamp)
        add("ApproximateReceiveCount", String(message.receiveCount))
        add("ApproximateFirstReceiveTimestamp", message.firstReceivedAt.map { String(BrokerTimestamp.milliseconds($0)) })
        add("MessageGroupId", message.messageGroupId)
        add("MessageDeduplicationId", message.messageDeduplicationId)
        add("SequenceNumber", message.sequenceNumber)
        add("DeadLetterQueueSourceArn", message.deadLetterQueueSourceArn)
        return attributes
    }
}
