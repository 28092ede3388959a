import MicrocosmAWS

/// An ``InMemoryBroker`` as `SQSAPI`: what consumers and daemons use in tests and with `memory://`.
///
/// Each call validates its request as `SQSClient` does (throwing `RequestValidationError`
/// before anything happens), then acts within the broker's injected ``BrokerFaults`` (latency,
/// errors before or after acting, outages).
/// `receiveMessage` long-polls without polling: it returns as soon as a message can be received
/// (sent, published, released, or its visibility or delay ended) or when the wait ends.
///
/// ```swift
/// let sqs: any SQSAPI = broker.sqs
/// let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: 10, waitTimeSeconds: 20))
/// ```
public struct InMemorySQS: SQSAPI {
    /// The broker behind this adapter.
    public let broker: InMemoryBroker
    /// Where each call is counted as the request it would be on AWS; nil: not counted.
    public let usageMeter: AWSUsageMeter?

    /// The SQS side of `broker`; `usageMeter` counts the calls (validated ones: what would reach AWS).
    public init(broker: InMemoryBroker, usageMeter: AWSUsageMeter? = nil) {
        self.broker = broker
        self.usageMeter = usageMeter
    }

    /// Receives up to `maxNumberOfMessages`, waiting up to `waitTimeSeconds` (or the queue's
    /// `ReceiveMessageWaitTimeSeconds`) for the first. A cancelled wait throws `CancellationError`
    /// and takes nothing.
    public func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        try RequestValidation.check(request)
        let messages = try await perform(.receiveMessage, queueURL: request.queueURL) { try await broker.receiveMessage(request) }
        usageMeter?.recordReceive(AWSUsage.Operation(AWSBillingClass(sqsAction: "ReceiveMessage", queueURL: request.queueURL), "ReceiveMessage"),
                                  messages: messages.count, payloadBytes: AWSUsage.payloadBytes(of: messages))
        return messages
    }

    /// Sends one message.
    public func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult {
        try RequestValidation.check(request)
        let result = try await perform(.sendMessage, queueURL: request.queueURL,
                                       payloadBytes: request.messageBody.utf8.count + RequestValidation.attributesSize(request.messageAttributes)) {
            try await broker.sendMessage(request)
        }
        usageMeter?.recordSent(1)
        return result
    }

    /// Sends up to 10 messages; each entry succeeds or fails on its own.
    public func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        try RequestValidation.checkSendBatch(queueURL: queueURL, entries: entries)
        let payload = { entries.reduce(0) { $0 + $1.messageBody.utf8.count + RequestValidation.attributesSize($1.messageAttributes) } }
        let result = try await perform(.sendMessageBatch, queueURL: queueURL, payloadBytes: payload()) {
            try await broker.sendMessageBatch(queueURL: queueURL, entries: entries)
        }
        usageMeter?.recordSent(result.successful.count)
        return result
    }

    /// Deletes the message a receipt handle (of any of its receives) names.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteMessage")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "DeleteMessage")
        try await perform(.deleteMessage, queueURL: queueURL) {
            try await broker.deleteMessage(queueURL: queueURL, receiptHandle: receiptHandle)
        }
    }

    /// Deletes up to 10 messages; each entry succeeds or fails on its own.
    public func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkDeleteBatch(queueURL: queueURL, entries: entries)
        for entry in entries { try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "DeleteMessageBatch", entryId: entry.id) }
        return try await perform(.deleteMessageBatch, queueURL: queueURL) {
            try await broker.deleteMessageBatch(queueURL: queueURL, entries: entries)
        }
    }

    /// Changes how long an in-flight message stays invisible (0: visible now). Only the latest
    /// receive's handle works, as on AWS.
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "ChangeMessageVisibility")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "ChangeMessageVisibility")
        try RequestValidation.checkVisibility(visibilityTimeout, action: "ChangeMessageVisibility")
        try await perform(.changeMessageVisibility, queueURL: queueURL) {
            try await broker.changeMessageVisibility(queueURL: queueURL, receiptHandle: receiptHandle, visibilityTimeout: visibilityTimeout)
        }
    }

    /// Changes the visibility of up to 10 messages; each entry succeeds or fails on its own.
    public func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkChangeVisibilityBatch(queueURL: queueURL, entries: entries)
        for entry in entries {
            try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "ChangeMessageVisibilityBatch", entryId: entry.id)
        }
        return try await perform(.changeMessageVisibilityBatch, queueURL: queueURL) {
            try await broker.changeMessageVisibilityBatch(queueURL: queueURL, entries: entries)
        }
    }

    /// Creates a queue, or returns the URL of the one with that name when the given attributes agree.
    public func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkQueueName(name, action: "CreateQueue")
        try RequestValidation.checkQueueAttributes(attributes, action: "CreateQueue", allowEmpty: true)
        return try await perform(.createQueue) { try await broker.createQueue(name: name, attributes: attributes) }
    }

    /// Deletes a queue and its messages; its long polls end with `AWS.SimpleQueueService.NonExistentQueue`.
    public func deleteQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteQueue")
        try await perform(.deleteQueue, queueURL: queueURL) { try await broker.deleteQueue(queueURL: queueURL) }
    }

    /// Deletes every message in a queue.
    public func purgeQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "PurgeQueue")
        try await perform(.purgeQueue, queueURL: queueURL) { try await broker.purgeQueue(queueURL: queueURL) }
    }

    /// The URL of the queue named `queueName`.
    public func getQueueURL(queueName: String) async throws -> String {
        try RequestValidation.checkQueueName(queueName, action: "GetQueueUrl")
        return try await perform(.getQueueURL) { try await broker.getQueueURL(queueName: queueName) }
    }

    /// The named attributes (`All`, `QueueArn`, `ApproximateNumberOfMessages`, `VisibilityTimeout`, ...).
    public func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        try RequestValidation.checkQueueURL(queueURL, action: "GetQueueAttributes")
        return try await perform(.getQueueAttributes, queueURL: queueURL) {
            try await broker.getQueueAttributes(queueURL: queueURL, names: names)
        }
    }

    /// Sets queue attributes (`VisibilityTimeout`, `DelaySeconds`, `RedrivePolicy`, ...).
    public func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "SetQueueAttributes")
        try RequestValidation.checkQueueAttributes(attributes, action: "SetQueueAttributes", allowEmpty: false)
        try await perform(.setQueueAttributes, queueURL: queueURL) {
            try await broker.setQueueAttributes(queueURL: queueURL, attributes: attributes)
        }
    }

    /// Counts the call in ``usageMeter`` (as `action` on `queueURL`, billed for `payloadBytes`) and performs it
    /// within the broker's faults.
    private func perform<T>(_ action: BrokerAction, queueURL: String? = nil, payloadBytes: @autoclosure () -> Int = 0,
                            _ body: () async throws -> T) async throws -> T {
        if let usageMeter {
            let billingClass = queueURL.map { AWSBillingClass(sqsAction: action.rawValue, queueURL: $0) } ?? .sqs
            usageMeter.recordCall(AWSUsage.Operation(billingClass, action.rawValue), units: AWSUsage.requestUnits(payloadBytes: payloadBytes()))
        }
        return try await broker.faults.perform(action, body)
    }
}
