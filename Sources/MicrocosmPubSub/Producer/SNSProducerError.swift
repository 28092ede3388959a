import MicrocosmAWS

/// Why the producer refused or failed to send a message; names the media type, and the topic
/// or size where they matter.
///
/// ```
/// no topic ARN for media type 'application/vnd.globality.pubsub._.created.foo_bar' (set sns_topic_arns.mappings, sns_topic_arns.created.foo_bar or sns_topic_arns.default)
/// message of media type 'application/vnd.globality.pubsub._.created.foo_bar' is 262200 bytes with its attributes, over SNS's 262144-byte limit
/// could not publish message of media type 'application/vnd.globality.pubsub._.created.foo_bar' to topic 'arn:aws:sns:us-east-1:123456789012:things': SNS Publish: NotFound (HTTP 404): Topic does not exist
/// no message group id for media type 'application/vnd.globality.pubsub._.deleted.foo_bar' to FIFO topic 'arn:aws:sns:us-east-1:123456789012:things.fifo': the message has no field 'uri' (pass messageGroupId:, or set sns_producer.fifo.message_group_id, sns_producer.fifo.message_group_id_field or sns_producer.fifo.mappings)
/// message group id of media type 'application/vnd.globality.pubsub._.created.foo_bar' to FIFO topic 'arn:aws:sns:us-east-1:123456789012:things.fifo' (from field 'uri') is 140 characters; SNS takes 1 to 128 characters from ASCII 33 to 126 (letters, digits, punctuation)
/// ```
public struct SNSProducerError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, to compare or switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// No topic is configured for the media type.
        public static let topicNotDefined = Code("topicNotDefined")
        /// The message is over SNS's size limit.
        public static let messageTooLarge = Code("messageTooLarge")
        /// SNS (or the client, before sending) refused the message.
        public static let publishFailed = Code("publishFailed")
        /// A message to a FIFO topic has no message group id.
        public static let missingMessageGroupId = Code("missingMessageGroupId")
        /// A message group id or deduplication id breaks SNS's rules.
        public static let invalidFIFOId = Code("invalidFIFOId")

        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// The media type of the message concerned.
    public let mediaType: MediaType
    /// The topic the message was for, when one was chosen.
    public let topicArn: String?
    /// The message's size in bytes with its attributes (``messageTooLarge(_:size:limit:)`` only).
    public let size: Int?
    /// The error this one reports (an `AWSError`, a `RequestValidationError`, ...), for ``publishFailed(_:topicArn:error:)``.
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, mediaType: MediaType, topicArn: String? = nil, size: Int? = nil, underlying: (any Error)? = nil,
                 detail: String) {
        self.code = code
        self.mediaType = mediaType
        self.topicArn = topicArn
        self.size = size
        self.underlying = underlying
        self.detail = detail
    }

    /// No topic is configured for `mediaType` (microcosm-pubsub's `TopicNotDefinedError`); thrown
    /// before any I/O.
    public static func topicNotDefined(_ mediaType: MediaType) -> Self {
        var hints = ["sns_topic_arns.mappings"]
        for change in LifecycleChange.conventions {
            let prefix = MediaType(change, resource: "").rawValue
            if mediaType.rawValue.hasPrefix(prefix), mediaType.rawValue.count > prefix.count {
                hints.append("sns_topic_arns.\(change).\(mediaType.rawValue.dropFirst(prefix.count))")
            }
        }
        if mediaType != BatchMessage.mediaType { hints.append("sns_topic_arns.default") }
        let list = hints.count == 1 ? hints[0] : hints.dropLast().joined(separator: ", ") + " or " + hints.last!
        return Self(code: .topicNotDefined, mediaType: mediaType,
                    detail: "no topic ARN for media type '\(mediaType)' (set \(list))")
    }

    /// The message with its attributes is over SNS's limit (`limit` bytes); thrown before any I/O.
    public static func messageTooLarge(_ mediaType: MediaType, size: Int, limit: Int = RequestValidation.maximumSNSMessageBytes) -> Self {
        Self(code: .messageTooLarge, mediaType: mediaType, size: size,
             detail: "message of media type '\(mediaType)' is \(size) bytes with its attributes, over SNS's \(limit)-byte limit")
    }

    /// SNS did not accept the message (`error` is what the client threw).
    public static func publishFailed(_ mediaType: MediaType, topicArn: String, error: any Error) -> Self {
        Self(code: .publishFailed, mediaType: mediaType, topicArn: topicArn, underlying: error,
             detail: "could not publish message of media type '\(mediaType)' to topic '\(topicArn)': \(error)")
    }

    /// A message to FIFO topic `topicArn` has no message group id: none was passed and none came
    /// from config (`why` says what was looked at); thrown before any I/O.
    public static func missingMessageGroupId(_ mediaType: MediaType, topicArn: String, why: String) -> Self {
        Self(code: .missingMessageGroupId, mediaType: mediaType, topicArn: topicArn,
             detail: "no message group id for media type '\(mediaType)' to FIFO topic '\(topicArn)': \(why) (pass messageGroupId:, "
                 + "or set sns_producer.fifo.message_group_id, sns_producer.fifo.message_group_id_field or sns_producer.fifo.mappings)")
    }

    /// `parameter` (`message group id`, `deduplication id`) from `source` (`the messageGroupId argument`,
    /// `field 'uri'`) is not 1 to 128 characters from ASCII 33 to 126; thrown before any I/O.
    public static func invalidFIFOId(_ mediaType: MediaType, topicArn: String, parameter: String, source: String, problem: String) -> Self {
        Self(code: .invalidFIFOId, mediaType: mediaType, topicArn: topicArn,
             detail: "\(parameter) of media type '\(mediaType)' to FIFO topic '\(topicArn)' (from \(source)) \(problem); "
                 + "SNS takes 1 to 128 characters from ASCII 33 to 126 (letters, digits, punctuation)")
    }

    /// The AWS error code when SNS refused the message (`.notFound`, `.throttled`, ...).
    public var awsErrorCode: AWSError.Code? { (underlying as? AWSError)?.code }

    public var description: String { detail }
}
