/// Thrown by a handler: do not handle this message; delete it (result SKIPPED).
public struct SkipMessage: Error, Sendable, CustomStringConvertible {
    public let reason: String
    /// Extra log metadata.
    public let extra: [String: String]

    public init(_ reason: String, extra: [String: String] = [:]) {
        self.reason = reason
        self.extra = extra
    }

    public var description: String { reason }
}

/// Thrown by a handler: this message is not for us; delete it quietly (result IGNORED).
public struct IgnoreMessage: Error, Sendable, CustomStringConvertible {
    public let reason: String
    /// Extra log metadata.
    public let extra: [String: String]

    public init(_ reason: String, extra: [String: String] = [:]) {
        self.reason = reason
        self.extra = extra
    }

    public var description: String { reason }
}

/// Thrown by a handler: try again after `visibilityTimeout` seconds (result RETRIED).
///
/// ```swift
/// guard resource.isReady else { throw Nack(visibilityTimeout: 30, reason: "not committed yet") }
/// ```
public struct Nack: Error, Sendable, CustomStringConvertible {
    /// Seconds until SQS delivers the message again (0...43200).
    public let visibilityTimeout: Int
    public let reason: String?
    /// Extra log metadata.
    public let extra: [String: String]

    public init(visibilityTimeout: Int, reason: String? = nil, extra: [String: String] = [:]) {
        self.visibilityTimeout = visibilityTimeout
        self.reason = reason
        self.extra = extra
    }

    public var description: String { "nack for \(visibilityTimeout)s" + (reason.map { ": \($0)" } ?? "") }
}
