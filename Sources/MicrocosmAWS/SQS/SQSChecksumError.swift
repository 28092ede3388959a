/// An MD5 digest SQS reported that does not match the message: what SQS stored (or delivered)
/// differs from what was sent.
///
/// ``SQSClient`` throws it from SendMessage; SendMessageBatch reports the entry as failed with
/// code ``SQSClient/checksumMismatchCode`` and this error's description as its message; a
/// consumer gets it from ``SQSMessage/verifyChecksums(queueURL:)``.
///
/// ```
/// SQS SendMessage to QueueUrl 'https://sqs.us-east-1.amazonaws.com/123456789012/orders': MD5OfMessageBody of message 5fea7756 is 'd41d8cd98f00b204e9800998ecf8427e', expected '098f6bcd4621d373cade4e832627b4f6'
/// ```
public struct SQSChecksumError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API action (`SendMessage`, `SendMessageBatch`, `ReceiveMessage`).
    public let action: String
    /// The queue URL, when known.
    public let queueURL: String?
    /// The message id SQS gave the message, when known.
    public let messageId: String?
    /// The batch entry id, for batch calls.
    public let entryId: String?
    /// The reply member that was checked (`MD5OfMessageBody`, `MD5OfBody`, `MD5OfMessageAttributes`).
    public let field: String
    /// The digest computed from the message.
    public let expected: String
    /// The digest SQS reported; nil when the reply had none.
    public let reported: String?

    /// A mismatch of `field`: SQS reported `reported`, the message hashes to `expected`.
    public init(action: String, queueURL: String?, messageId: String?, entryId: String? = nil, field: String,
                expected: String, reported: String?) {
        self.action = action
        self.queueURL = queueURL
        self.messageId = messageId
        self.entryId = entryId
        self.field = field
        self.expected = expected
        self.reported = reported
    }

    public var description: String {
        var text = "SQS \(action)"
        if let queueURL { text += (action.hasPrefix("Send") ? " to" : " from") + " QueueUrl '\(queueURL)'" }
        text += ": "
        if let entryId { text += "entry '\(entryId)': " }
        text += field + (messageId.map { " of message \($0)" } ?? "")
        if let reported {
            text += " is '\(reported)', expected '\(expected)'"
        } else {
            text += " is missing from the reply, expected '\(expected)'"
        }
        return text
    }
}
