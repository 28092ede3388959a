/// The SQS operations this library uses. ``SQSClient`` speaks them to AWS (JSON 1.0); the
/// in-memory broker of MicrocosmInMemoryBroker implements them in process.
///
/// Implementations validate parameters before any I/O (``RequestValidationError``), throw
/// ``AWSError`` for service errors, and report batch entries one by one in ``BatchResult``.
public protocol SQSAPI: Sendable {
    /// Receives up to `maxNumberOfMessages` messages (long-polling up to `waitTimeSeconds`); `[]` when none came.
    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage]
    /// Sends one message.
    func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult
    /// Sends up to 10 messages to one queue; every entry ends in `successful` or `failed`.
    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry>
    /// Deletes (acknowledges) one received message.
    func deleteMessage(queueURL: String, receiptHandle: String) async throws
    /// Deletes up to 10 received messages. Successful entries are returned by id.
    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String>
    /// Sets how long a received message stays invisible, 0...43200 seconds (0: visible again).
    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws
    /// Changes the visibility of up to 10 received messages. Successful entries are returned by id.
    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String>
    /// Creates a queue (or returns the URL of an identical existing one).
    func createQueue(name: String, attributes: [String: String]) async throws -> String
    /// Deletes a queue and its messages.
    func deleteQueue(queueURL: String) async throws
    /// Deletes every message in a queue.
    func purgeQueue(queueURL: String) async throws
    /// The URL of the queue named `queueName`.
    func getQueueURL(queueName: String) async throws -> String
    /// The queue's attributes named in `names`, such as `All`, `QueueArn`, `ApproximateNumberOfMessages`.
    func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String]
    /// Sets queue attributes (`VisibilityTimeout`, `RedrivePolicy`, ...).
    func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws
}
