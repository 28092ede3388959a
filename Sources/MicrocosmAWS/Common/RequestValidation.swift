/// The checks SNS and SQS apply to parameters, done before any I/O by every ``SNSAPI`` and
/// ``SQSAPI`` implementation, so bad input fails the same way against AWS, moto and the broker.
public enum RequestValidation {
    /// The largest SNS message, attributes included: 256 KiB.
    public static let maximumSNSMessageBytes = 262_144
    /// The largest SQS message, attributes included: 1 MiB.
    public static let maximumSQSMessageBytes = 1_048_576
    /// Entries per batch call.
    public static let maximumBatchEntries = 10

    /// `MaxNumberOfMessages` 1...10, `WaitTimeSeconds` 0...20, `VisibilityTimeout` 0...43200.
    public static func check(_ request: ReceiveMessageRequest) throws(RequestValidationError) {
        try checkQueueURL(request.queueURL, action: "ReceiveMessage")
        try range(request.maxNumberOfMessages, 1...10, "MaxNumberOfMessages", service: "SQS", action: "ReceiveMessage")
        if let wait = request.waitTimeSeconds { try range(wait, 0...20, "WaitTimeSeconds", service: "SQS", action: "ReceiveMessage") }
        if let visibility = request.visibilityTimeout { try checkVisibility(visibility, action: "ReceiveMessage") }
    }

    /// A non-empty body within 1 MiB (with attributes); delay 0...900.
    public static func check(_ request: SendMessageRequest) throws(RequestValidationError) {
        try checkQueueURL(request.queueURL, action: "SendMessage")
        try checkMessage(request.messageBody, attributes: request.messageAttributes, delay: request.delaySeconds,
                         limit: maximumSQSMessageBytes, service: "SQS", action: "SendMessage", parameter: "MessageBody")
    }

    /// 1...10 entries with distinct valid ids, each message valid, the whole batch within 1 MiB.
    public static func checkSendBatch(queueURL: String, entries: [SendMessageBatchEntry]) throws(RequestValidationError) {
        try checkQueueURL(queueURL, action: "SendMessageBatch")
        try checkBatch(entries.map(\.id), service: "SQS", action: "SendMessageBatch")
        var total = 0
        for entry in entries {
            try checkMessage(entry.messageBody, attributes: entry.messageAttributes, delay: entry.delaySeconds,
                             limit: maximumSQSMessageBytes, service: "SQS", action: "SendMessageBatch",
                             parameter: "entry '\(entry.id)' MessageBody")
            total += entry.messageBody.utf8.count + attributesSize(entry.messageAttributes)
        }
        if total > maximumSQSMessageBytes {
            throw RequestValidationError(service: "SQS", action: "SendMessageBatch", parameter: "entries",
                                         reason: "total \(total) bytes exceeds \(maximumSQSMessageBytes)")
        }
    }

    /// 1...10 entries with distinct valid ids.
    public static func checkDeleteBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) throws(RequestValidationError) {
        try checkQueueURL(queueURL, action: "DeleteMessageBatch")
        try checkBatch(entries.map(\.id), service: "SQS", action: "DeleteMessageBatch")
    }

    /// 1...10 entries with distinct valid ids and timeouts 0...43200.
    public static func checkChangeVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) throws(RequestValidationError) {
        try checkQueueURL(queueURL, action: "ChangeMessageVisibilityBatch")
        try checkBatch(entries.map(\.id), service: "SQS", action: "ChangeMessageVisibilityBatch")
        for entry in entries { try checkVisibility(entry.visibilityTimeout, action: "ChangeMessageVisibilityBatch") }
    }

    /// `VisibilityTimeout` 0...43200 (12 hours).
    public static func checkVisibility(_ seconds: Int, action: String) throws(RequestValidationError) {
        try range(seconds, 0...43200, "VisibilityTimeout", service: "SQS", action: action)
    }

    /// A queue URL must at least look like one.
    public static func checkQueueURL(_ queueURL: String, action: String) throws(RequestValidationError) {
        guard queueURL.hasPrefix("http://") || queueURL.hasPrefix("https://") || queueURL.hasPrefix("memory://") else {
            throw RequestValidationError(service: "SQS", action: action, parameter: "QueueUrl",
                                         reason: "must be an http(s) URL, got '\(queueURL)'")
        }
    }

    /// A non-empty message within 256 KiB (with attributes).
    public static func check(_ request: PublishRequest) throws(RequestValidationError) {
        try checkTopicArn(request.topicArn, action: "Publish")
        try checkMessage(request.message, attributes: request.messageAttributes, limit: maximumSNSMessageBytes,
                         service: "SNS", action: "Publish", parameter: "Message")
    }

    /// 1...10 entries with distinct valid ids, each message valid, the whole batch within 256 KiB.
    public static func checkPublishBatch(topicArn: String, entries: [PublishBatchEntry]) throws(RequestValidationError) {
        try checkTopicArn(topicArn, action: "PublishBatch")
        try checkBatch(entries.map(\.id), service: "SNS", action: "PublishBatch")
        var total = 0
        for entry in entries {
            try checkMessage(entry.message, attributes: entry.messageAttributes, limit: maximumSNSMessageBytes,
                             service: "SNS", action: "PublishBatch", parameter: "entry '\(entry.id)' Message")
            total += entry.message.utf8.count + attributesSize(entry.messageAttributes)
        }
        if total > maximumSNSMessageBytes {
            throw RequestValidationError(service: "SNS", action: "PublishBatch", parameter: "PublishBatchRequestEntries",
                                         reason: "total \(total) bytes exceeds \(maximumSNSMessageBytes)")
        }
    }

    /// A topic ARN must at least look like one.
    public static func checkTopicArn(_ topicArn: String, action: String) throws(RequestValidationError) {
        guard hasARNPrefix(topicArn), topicArn.utf8.lazy.filter({ $0 == UInt8(ascii: ":") }).count >= 5 else {
            throw RequestValidationError(service: "SNS", action: action, parameter: "TopicArn",
                                         reason: "must be a topic ARN (arn:aws:sns:region:account:name), got '\(topicArn)'")
        }
    }

    /// `text.hasPrefix("arn:")`, read from the bytes when the byte after the prefix is ASCII or there
    /// is none (then `:` ends a `Character`, as each of `a`, `r`, `n` does); `hasPrefix` otherwise.
    package static func hasARNPrefix(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        if bytes.next() == UInt8(ascii: "a"), bytes.next() == UInt8(ascii: "r"), bytes.next() == UInt8(ascii: "n"),
           bytes.next() == UInt8(ascii: ":"), (bytes.next() ?? 0) < 0x80 {
            return true
        }
        return text.hasPrefix("arn:")
    }

    /// The bytes attributes count toward the message size: names, types and values.
    public static func attributesSize(_ attributes: [String: MessageAttributeValue]) -> Int {
        attributes.reduce(0) { sum, attribute in
            sum + attribute.key.utf8.count + attribute.value.dataType.utf8.count
                + (attribute.value.stringValue?.utf8.count ?? 0) + (attribute.value.binaryValue?.count ?? 0)
        }
    }

    /// A non-empty message whose size with attributes is within `limit`; for SQS also the delay, 0...900.
    private static func checkMessage(_ body: String, attributes: [String: MessageAttributeValue], delay: Int? = nil,
                                     limit: Int, service: String, action: String,
                                     parameter: String) throws(RequestValidationError) {
        if body.isEmpty {
            throw RequestValidationError(service: service, action: action, parameter: parameter, reason: "must not be empty")
        }
        let size = body.utf8.count + attributesSize(attributes)
        if size > limit {
            throw RequestValidationError(service: service, action: action, parameter: parameter,
                                         reason: "is \(size) bytes with attributes, over the \(limit)-byte limit")
        }
        if let delay { try range(delay, 0...900, "DelaySeconds", service: service, action: action) }
        try checkAttributes(attributes, service: service, action: action)
    }

    private static func checkAttributes(_ attributes: [String: MessageAttributeValue], service: String,
                                        action: String) throws(RequestValidationError) {
        for (name, value) in attributes {
            let base = baseDataType(value.dataType)
            guard base == "String" || base == "Number" || base == "Binary" else {
                throw RequestValidationError(service: service, action: action, parameter: "message attribute '\(name)'",
                                             reason: "has unknown DataType '\(value.dataType)'")
            }
            if base == "Binary" ? value.binaryValue == nil : value.stringValue == nil {
                throw RequestValidationError(service: service, action: action, parameter: "message attribute '\(name)'",
                                             reason: "has no \(base == "Binary" ? "BinaryValue" : "StringValue")")
            }
        }
    }

    /// The first segment of a message attribute's `DataType`, which names its type (`String` of
    /// `String`, `String.Array` or `String.custom`). The plain types are their own base; others are
    /// split by ``baseDataTypeByCharacter(_:)``.
    package static func baseDataType(_ dataType: String) -> Substring {
        switch dataType {
        case "String", "Number", "Binary": return Substring(dataType)
        default: return baseDataTypeByCharacter(dataType)
        }
    }

    /// ``baseDataType(_:)`` by `Character`: the general path, for any text.
    package static func baseDataTypeByCharacter(_ dataType: String) -> Substring {
        dataType.drop { $0 == "." }.prefix { $0 != "." }
    }

    private static func checkBatch(_ ids: [String], service: String, action: String) throws(RequestValidationError) {
        guard (1...maximumBatchEntries).contains(ids.count) else {
            throw RequestValidationError(service: service, action: action, parameter: "entries",
                                         reason: "must hold 1 to \(maximumBatchEntries) entries, got \(ids.count)")
        }
        var seen = Set<String>()
        for id in ids {
            guard !id.isEmpty, id.utf8.count <= 80, id.utf8.allSatisfy(isNameByte) else {
                throw RequestValidationError(service: service, action: action, parameter: "entry id '\(id)'",
                                             reason: "must be 1 to 80 letters, digits, '-' or '_'")
            }
            guard seen.insert(id).inserted else {
                throw RequestValidationError(service: service, action: action, parameter: "entry id '\(id)'",
                                             reason: "is used twice; batch entry ids must be distinct")
            }
        }
    }

    /// A letter, digit, `-` or `_`: what batch entry ids, queue names and topic names are made of.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    private static func range(_ value: Int, _ allowed: ClosedRange<Int>, _ parameter: String, service: String,
                              action: String) throws(RequestValidationError) {
        guard allowed.contains(value) else {
            throw RequestValidationError(service: service, action: action, parameter: parameter,
                                         reason: "must be between \(allowed.lowerBound) and \(allowed.upperBound), got \(value)")
        }
    }
}
