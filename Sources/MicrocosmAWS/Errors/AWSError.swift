#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// An error response from an AWS service, typed for callers and the retry policy.
///
/// ```
/// SQS ReceiveMessage: AWS.SimpleQueueService.NonExistentQueue (HTTP 400, request 7a62...): The specified queue does not exist.
/// ```
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The AWS error code, to compare or switch on (`error.code == .queueDoesNotExist`); see ``Code``.
    public let code: Code
    /// The service's message.
    public let message: String
    /// The HTTP status.
    public let statusCode: Int
    /// The request id the service returned, for AWS support.
    public let requestId: String?
    /// The service (`SQS`, `SNS`, `STS`), when known.
    public let service: String?
    /// The API action (`ReceiveMessage`), when known.
    public let action: String?
    /// True when the service blames the caller (`Sender`), false for `Receiver`, nil when not said.
    public let senderFault: Bool?

    public init(code: Code, message: String, statusCode: Int, requestId: String? = nil, service: String? = nil,
                action: String? = nil, senderFault: Bool? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.requestId = requestId
        self.service = service
        self.action = action
        self.senderFault = senderFault
    }

    /// Codes the SDKs treat as throttling (botocore `retries/standard.py`).
    public static let throttlingCodes: Set<Code> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "Throttled",
    ]

    /// Codes the SDKs treat as transient.
    public static let transientCodes: Set<Code> = ["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"]

    /// HTTP statuses the SDKs treat as transient.
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Codes that mean the request's clock is off (the client corrects its clock skew and retries).
    public static let clockSkewCodes: Set<Code> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure",
    ]

    /// True for throttling responses (by code, or HTTP 429).
    public var isThrottling: Bool { AWSError.throttlingCodes.contains(code) || statusCode == 429 }

    /// True for transient failures: transient codes and 500/502/503/504.
    public var isTransient: Bool { AWSError.transientCodes.contains(code) || AWSError.transientStatuses.contains(statusCode) }

    /// True when another attempt may succeed.
    public var isRetryable: Bool { isThrottling || isTransient }

    public var description: String {
        var text = ""
        if let service { text += service + " " }
        if let action { text += action }
        if !text.isEmpty { text = text.trimmingSpaces() + ": " }
        text += "\(code) (HTTP \(statusCode)"
        if let requestId { text += ", request \(requestId)" }
        text += ")"
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}
