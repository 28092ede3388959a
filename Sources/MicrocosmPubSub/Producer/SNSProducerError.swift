import MicrocosmAWS

/// Why the producer refused or failed to send a message; names the media type, and the topic
/// or size where they matter.
///
/// ```
/// no topic ARN for media type 'application/vnd.globality.pubsub._.created.foo_bar' (set sns_topic_arns.mappings, sns_topic_arns.created.foo_bar or sns_topic_arns.default)
/// message of media type 'application/vnd.globality.pubsub._.created.foo_bar' is 262200 bytes with its attributes, over SNS's 262144-byte limit
/// could not publish message of media type 'application/vnd.globality.pubsub._.created.foo_bar' to topic 'arn:aws:sns:us-east-1:123456789012:things': SNS Publish: NotFound (HTTP 404): Topic does not exist
/// ```
public struct SNSProducerError: Error, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case topicNotDefined, messageTooLarge, publishFailed
    }

    private let code: Code
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

    /// True when no topic is configured for the media type.
    public var isTopicNotDefined: Bool { code == .topicNotDefined }
    /// True when the message is too large for SNS.
    public var isMessageTooLarge: Bool { code == .messageTooLarge }
    /// True when SNS (or the client, before sending) refused the message.
    public var isPublishFailed: Bool { code == .publishFailed }

    /// The AWS error code when SNS refused the message (`NotFound`, `Throttling`, ...).
    public var awsErrorCode: String? { (underlying as? AWSError)?.code }

    public var description: String { detail }
}
