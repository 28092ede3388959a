import Microcosm

/// How handling one message ended, and so what happens to it (microcosm-pubsub's result table).
///
/// | kind | when | message |
/// |---|---|---|
/// | `succeeded` | the handler returned true | deleted |
/// | `skipped` | the handler returned false, threw ``SkipMessage``, or attempts were exceeded | deleted |
/// | `ignored` | no handler for the media type, or ``IgnoreMessage`` | deleted, not counted |
/// | `expired` | the TTL reached 0 (loop guard) | deleted |
/// | `retried` | the handler threw ``Nack`` | visibility set to its delay |
/// | `failed` | anything else, including an unreadable body | visibility set by the backoff policy |
public struct MessageHandlingResult: Sendable, CustomStringConvertible {
    /// The outcome, with the log level microcosm-pubsub uses for it.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let succeeded = Kind(rawValue: "SUCCEEDED")
        public static let skipped = Kind(rawValue: "SKIPPED")
        public static let ignored = Kind(rawValue: "IGNORED")
        public static let expired = Kind(rawValue: "EXPIRED")
        public static let retried = Kind(rawValue: "RETRIED")
        public static let failed = Kind(rawValue: "FAILED")

        /// Every kind, in the order of the table above.
        public static let all: [Kind] = [.succeeded, .skipped, .ignored, .expired, .retried, .failed]

        /// True when the message is deleted; false when it is handed back for another try.
        public var deletesMessage: Bool { self != .retried && self != .failed }

        /// The level of the result's log line (as microcosm-pubsub: EXPIRED and FAILED warn, IGNORED is debug).
        public var logLevel: LogLevel {
            switch self {
            case .ignored: return .debug
            case .expired, .failed: return .warning
            default: return .info
            }
        }

        public var description: String { rawValue }
    }

    /// The outcome.
    public var kind: Kind
    /// The message's media type, when it could be read.
    public var mediaType: MediaType?
    /// For `retried`: the visibility timeout the handler asked for; nil leaves it to the backoff policy.
    public var retryVisibilityTimeout: Int?
    /// Why: the handler's error, the skip/ignore reason, the decoding problem.
    public var error: (any Error)?
    /// How long handling took.
    public var elapsed: Duration
    /// Seconds from publishing (`x-request-published`) to the start of handling, when known.
    public var publishToHandleDelay: Double?
    /// Extra log metadata the handler or the reason supplied.
    public var extra: [String: String]

    public init(kind: Kind, mediaType: MediaType?, retryVisibilityTimeout: Int? = nil, error: (any Error)? = nil,
                elapsed: Duration = .zero, publishToHandleDelay: Double? = nil, extra: [String: String] = [:]) {
        self.kind = kind
        self.mediaType = mediaType
        self.retryVisibilityTimeout = retryVisibilityTimeout
        self.error = error
        self.elapsed = elapsed
        self.publishToHandleDelay = publishToHandleDelay
        self.extra = extra
    }

    /// True when the message is deleted.
    public var deletesMessage: Bool { kind.deletesMessage }

    /// `Result for media type: <type> was : <KIND>` (microcosm-pubsub's log line).
    public var description: String {
        "Result for media type: \(mediaType?.rawValue ?? "unknown") was : \(kind)" + (error.map { " (\($0))" } ?? "")
    }
}
