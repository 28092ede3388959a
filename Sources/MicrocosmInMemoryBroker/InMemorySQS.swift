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

    /// The SQS side of `broker`.
    public init(broker: InMemoryBroker) {
        self.broker = broker
    }

    /// Receives up to `maxNumberOfMessages`, waiting up to `waitTimeSeconds` (or the queue's
    /// `ReceiveMessageWaitTimeSeconds`) for the first. A cancelled wait throws `CancellationError`
    /// and takes nothing.
    public func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        try RequestValidation.check(request)
        return try await broker.faults.perform(.receiveMessage) { try await broker.receiveMessage(request) }
    }

    /// Sends one message.
    public func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult {
        try RequestValidation.check(request)
        return try await broker.faults.perform(.sendMessage) { try await broker.sendMessage(request) }
    }

    /// Sends up to 10 messages; each entry succeeds or fails on its own.
    public func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        try RequestValidation.checkSendBatch(queueURL: queueURL, entries: entries)
        return try await broker.faults.perform(.sendMessageBatch) {
            try await broker.sendMessageBatch(queueURL: queueURL, entries: entries)
        }
    }

    /// Deletes the message a receipt handle (of any of its receives) names.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteMessage")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "DeleteMessage")
        try await broker.faults.perform(.deleteMessage) {
            try await broker.deleteMessage(queueURL: queueURL, receiptHandle: receiptHandle)
        }
    }

    /// Deletes up to 10 messages; each entry succeeds or fails on its own.
    public func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkDeleteBatch(queueURL: queueURL, entries: entries)
        for entry in entries { try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "DeleteMessageBatch", entryId: entry.id) }
        return try await broker.faults.perform(.deleteMessageBatch) {
            try await broker.deleteMessageBatch(queueURL: queueURL, entries: entries)
        }
    }

    /// Changes how long an in-flight message stays invisible (0: visible now). Only the latest
    /// receive's handle works, as on AWS.
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "ChangeMessageVisibility")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "ChangeMessageVisibility")
        try RequestValidation.checkVisibility(visibilityTimeout, action: "ChangeMessageVisibility")
        try await broker.faults.perform(.changeMessageVisibility) {
            try await broker.changeMessageVisibility(queueURL: queueURL, receiptHandle: receiptHandle, visibilityTimeout: visibilityTimeout)
        }
    }

    /// Changes the visibility of up to 10 messages; each entry succeeds or fails on its own.
    public func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkChangeVisibilityBatch(queueURL: queueURL, entries: entries)
        for entry in entries {
            try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "ChangeMessageVisibilityBatch", entryId: entry.id)
        }
        return try await broker.faults.perform(.changeMessageVisibilityBatch) {
            try await broker.changeMessageVisibilityBatch(queueURL: queueURL, entries: entries)
        }
    }

    /// Creates a queue, or returns the URL of the one with that name when the given attributes agree.
    public func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkQueueName(name, action: "CreateQueue")
        try RequestValidation.checkQueueAttributes(attributes, action: "CreateQueue", allowEmpty: true)
        return try await broker.faults.perform(.createQueue) { try await broker.createQueue(name: name, attributes: attributes) }
    }

    /// Deletes a queue and its messages; its long polls end with `AWS.SimpleQueueService.NonExistentQueue`.
    public func deleteQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteQueue")
        try await broker.faults.perform(.deleteQueue) { try await broker.deleteQueue(queueURL: queueURL) }
    }

    /// Deletes every message in a queue.
    public func purgeQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "PurgeQueue")
        try await broker.faults.perform(.purgeQueue) { try await broker.purgeQueue(queueURL: queueURL) }
    }

    /// The URL of the queue named `queueName`.
    public func getQueueURL(queueName: String) async throws -> String {
        try RequestValidation.checkQueueName(queueName, action: "GetQueueUrl")
        return try await broker.faults.perform(.getQueueURL) { try await broker.getQueueURL(queueName: queueName) }
    }

    /// The named attributes (`All`, `QueueArn`, `ApproximateNumberOfMessages`, `VisibilityTimeout`, ...).
    public func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        try RequestValidation.checkQueueURL(queueURL, action: "GetQueueAttributes")
        return try await broker.faults.perform(.getQueueAttributes) {
            try await broker.getQueueAttributes(queueURL: queueURL, names: names)
        }
    }

    /// Sets queue attributes (`VisibilityTimeout`, `DelaySeconds`, `RedrivePolicy`, ...).
    public func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "SetQueueAttributes")
        try RequestValidation.checkQueueAttributes(attributes, action: "SetQueueAttributes", allowEmpty: false)
        try await broker.faults.perform(.setQueueAttributes) {
            try await broker.setQueueAttributes(queueURL: queueURL, attributes: attributes)
        }
    }
}
