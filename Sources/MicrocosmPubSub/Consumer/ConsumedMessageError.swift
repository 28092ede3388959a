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
    /// What went wrong, to compare or switch on: a content problem has the code of its
    /// ``PubSubMessageError`` (`.notJSON`, `.unregistered`, ...), the others their own.
    ///
    /// ```swift
    /// switch error.code {
    /// case .unregistered: break                    // not for this service
    /// case .checksumMismatch: logger.warning(...)  // damaged in transit
    /// default: logger.error(...)
    /// }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case content(PubSubMessageError.Code), checksumMismatch, malformedEnvelope
        }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The message text is not JSON.
        public static let notJSON = Code(.content(.notJSON))
        /// The message is JSON but not an object.
        public static let notAnObject = Code(.content(.notAnObject))
        /// The message has no `mediaType` string.
        public static let missingMediaType = Code(.content(.missingMediaType))
        /// No schema is registered for the message's media type (dispatchers ignore these).
        public static let unregistered = Code(.content(.unregistered))
        /// The content does not fit its media type's schema.
        public static let invalidContent = Code(.content(.invalidContent))
        /// The MD5 check failed.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// The body is not the envelope the strategy reads (an SNS `Message` that is not text, ...).
        public static let malformedEnvelope = Code(.malformedEnvelope)

        public var description: String {
            switch value {
            case .content(let code): code.description
            case .checksumMismatch: "checksumMismatch"
            case .malformedEnvelope: "malformedEnvelope"
            }
        }
    }

    /// What went wrong.
    public let code: Code
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
        Self(code: Code(.content(error.code)), messageId: messageId, mediaType: error.mediaType, field: error.field, contentError: error,
             detail: error.description)
    }

    /// The MD5 SQS reported does not match the message (config `sqs_envelope.validate_md5`).
    public static func checksum(_ error: SQSChecksumError, messageId: String) -> Self {
        Self(code: .checksumMismatch, messageId: messageId, mediaType: nil, field: error.field, checksumError: error, detail: error.description)
    }

    /// The body is not in the shape the envelope strategy reads (`problem` says how, naming `field`).
    public static func envelope(_ problem: String, field: String?, messageId: String) -> Self {
        Self(code: .malformedEnvelope, messageId: messageId, mediaType: nil, field: field, detail: problem)
    }

    public var description: String { "message \(messageId): \(detail)" }
}
