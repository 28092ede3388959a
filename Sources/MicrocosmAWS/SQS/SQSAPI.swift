/// The SQS operations this library uses. ``SQSClient`` speaks them to AWS (JSON 1.0); the
/// in-memory broker of MicrocosmPubSub implements them in process.
///
/// Implementations validate parameters before any I/O (``RequestValidationError``), throw
/// ``AWSError`` for service errors, and report batch entries one by one in ``BatchResult``.
public protocol SQSAPI: Sendable {
    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage]
    func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult
    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry>
    func deleteMessage(queueURL: String, receiptHandle: String) async throws
    /// Successful entries are returned by id.
    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String>
    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws
    /// Successful entries are returned by id.
    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String>
    /// Creates a queue (or returns the URL of an identical existing one).
    func createQueue(name: String, attributes: [String: String]) async throws -> String
    func deleteQueue(queueURL: String) async throws
    func purgeQueue(queueURL: String) async throws
    func getQueueURL(queueName: String) async throws -> String
    /// `names` such as `All`, `QueueArn`, `ApproximateNumberOfMessages`.
    func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String]
    func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws
}
