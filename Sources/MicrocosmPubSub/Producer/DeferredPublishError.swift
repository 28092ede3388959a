import MicrocosmAWS

/// Some messages of a deferred scope were not published: lists every one of them, with its
/// media type, topic and the AWS error code, and the ids of the ones that were.
///
/// A deferred producer tries every message (every batch call) even after one fails, so nothing
/// is dropped without being named here.
///
/// ```
/// 2 of 23 deferred messages were not published:
///   #4 application/vnd.globality.pubsub._.created.foo_bar to arn:aws:sns:us-east-1:123456789012:things.fifo: InvalidParameter: The MessageGroupId parameter is required for FIFO topics
///   #9 application/vnd.globality.pubsub._.created.foo_bar to arn:aws:sns:us-east-1:123456789012:things.fifo: InvalidParameter: ...
/// ```
public struct DeferredPublishError: Error, CustomStringConvertible, Sendable {
    /// One message that was not published.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The message's place among the scope's messages, from 0.
        public let index: Int
        /// Its media type.
        public let mediaType: MediaType
        /// The topic it was for.
        public let topicArn: String
        /// The AWS error code (`.invalidParameter`, `.throttled`, ...); for a refusal before sending,
        /// the error's type (`RequestValidationError`).
        public let code: AWSError.Code
        /// What went wrong.
        public let message: String
        /// The error thrown, when a whole call failed (nil for a failed entry of a batch call).
        public let underlying: (any Error)?

        /// A failed message.
        public init(index: Int, mediaType: MediaType, topicArn: String, code: AWSError.Code, message: String, underlying: (any Error)? = nil) {
            self.index = index
            self.mediaType = mediaType
            self.topicArn = topicArn
            self.code = code
            self.message = message
            self.underlying = underlying
        }

        /// A failure for a whole call that threw `error`.
        init(index: Int, mediaType: MediaType, topicArn: String, error: any Error) {
            let cause = (error as? SNSProducerError)?.underlying ?? error
            let code = (cause as? AWSError)?.code ?? AWSError.Code(String(describing: type(of: cause)))
            let message = (cause as? AWSError)?.message ?? String(describing: cause)
            self.init(index: index, mediaType: mediaType, topicArn: topicArn, code: code, message: message, underlying: error)
        }

        public var description: String { "#\(index) \(mediaType) to \(topicArn): \(code): \(message)" }
    }

    /// Every message that was not published, in order.
    public let failures: [Failure]
    /// SNS's ids of the messages (or batch messages) that were published, in order.
    public let publishedMessageIds: [String]
    /// How many messages the scope produced.
    public let total: Int

    /// The outcome of a deferred scope's publishing.
    public init(failures: [Failure], publishedMessageIds: [String], total: Int) {
        self.failures = failures
        self.publishedMessageIds = publishedMessageIds
        self.total = total
    }

    public var description: String {
        "\(failures.count) of \(total) deferred messages \(failures.count == 1 ? "was" : "were") not published:"
            + failures.map { "\n  \($0)" }.joined()
    }
}
