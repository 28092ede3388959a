import MicrocosmAWS

/// Why a consumed message has no content: the body is not JSON, has no media type, has an
/// unregistered media type, fails its schema, is not the envelope the strategy expects, or
/// fails the MD5 check. Names the message, the media type (when known) and the field.
///
/// ```
/// message 5fea7756: invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'uri' is missing (expected string)
/// message 5fea7756: message is not JSON: invalid JSON at line 1, column 1: expected a value, found 'h'
/// message 5fea7756: SQS ReceiveMessage from QueueUrl 'https://...': MD5OfBody of message 5fea7756 is '...', expected '...'
/// message 5fea7756: SNS envelope field 'Message' is int 3, expected a string holding the message
/// ```
///
/// ``ConsumedMessage/error`` carries it; ``SQSConsumer/consume()`` never throws it.
public struct ConsumedMessageError: Error, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case content, checksum, envelope }

    private let code: Code
    /// The id of the message concerned.
    public let messageId: String
    /// The media type, when the message names one.
    public let mediaType: MediaType?
    /// The offending field (`uri`, `mediaType`, `MD5OfBody`, `Message`), when there is one.
    public let field: String?
    /// The problem with the content, when that is the problem.
    public let contentError: PubSubMessageError?
    /// The digest mismatch, when that is the problem.
    public let checksumError: SQSChecksumError?
    private let detail: String

    private init(code: Code, messageId: String, mediaType: MediaType?, field: String?, contentError: PubSubMessageError? = nil,
                 checksumError: SQSChecksumError? = nil, detail: String) {
        self.code = code
        self.messageId = messageId
        self.mediaType = mediaType
        self.field = field
        self.contentError = contentError
        self.checksumError = checksumError
        self.detail = detail
    }

    /// The message's content could not be read (see ``PubSubMessageError``).
    public static func content(_ error: PubSubMessageError, messageId: String) -> Self {
        Self(code: .content, messageId: messageId, mediaType: error.mediaType, field: error.field, contentError: error,
             detail: error.description)
    }

    /// The MD5 SQS reported does not match the message (config `sqs_envelope.validate_md5`).
    public static func checksum(_ error: SQSChecksumError, messageId: String) -> Self {
        Self(code: .checksum, messageId: messageId, mediaType: nil, field: error.field, checksumError: error, detail: error.description)
    }

    /// The body is not in the shape the envelope strategy reads (`problem` says how, naming `field`).
    public static func envelope(_ problem: String, field: String?, messageId: String) -> Self {
        Self(code: .envelope, messageId: messageId, mediaType: nil, field: field, detail: problem)
    }

    /// True when the message text is not JSON.
    public var isNotJSON: Bool { contentError?.isNotJSON ?? false }
    /// True when the message is JSON but not an object.
    public var isNotAnObject: Bool { contentError?.isNotAnObject ?? false }
    /// True when the message has no `mediaType` string.
    public var isMissingMediaType: Bool { contentError?.isMissingMediaType ?? false }
    /// True when no schema is registered for the message's media type (dispatchers ignore these).
    public var isUnregistered: Bool { contentError?.isUnregistered ?? false }
    /// True when the content does not fit its media type's schema.
    public var isInvalidContent: Bool { contentError?.isInvalidContent ?? false }
    /// True when the MD5 check failed.
    public var isChecksumMismatch: Bool { code == .checksum }
    /// True when the body is not the envelope the strategy reads (an SNS `Message` that is not text, ...).
    public var isMalformedEnvelope: Bool { code == .envelope }

    public var description: String { "message \(messageId): \(detail)" }
}
