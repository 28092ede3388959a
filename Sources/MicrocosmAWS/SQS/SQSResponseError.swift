/// A successful (2xx) SQS reply that cannot be used: not JSON, or without a member the call needs.
///
/// The request reached SQS, so its effect is unknown; the error names the action, the queue and
/// what was wrong.
///
/// ```
/// SQS GetQueueUrl for QueueName 'orders': unusable reply: no QueueUrl in {"Foo":1}
/// ```
public struct SQSResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API action.
    public let action: String
    /// The queue the call was about, as the API names it (`QueueUrl 'http://…'`, `QueueName 'orders'`).
    public let subject: String
    /// What is wrong with the reply.
    public let detail: String

    /// An error for `action` on `subject`, explained by `detail`.
    public init(action: String, subject: String, detail: String) {
        self.action = action
        self.subject = subject
        self.detail = detail
    }

    public var description: String { "SQS \(action) for \(subject): unusable reply: \(detail)" }
}
