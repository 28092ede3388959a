extension AWSError {
    /// An AWS error code, as the service sent it: compare it or switch on it with the well-known
    /// codes below, or with a string literal for any other.
    ///
    /// ```swift
    /// do {
    ///     try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: handle)
    /// } catch let error as AWSError {
    ///     switch error.code {
    ///     case .receiptHandleIsInvalid, .messageNotInflight: break   // gone already
    ///     case .queueDoesNotExist: throw error
    ///     default: if !error.isRetryable { throw error }
    ///     }
    /// }
    /// ```
    ///
    /// The set is open: services add codes, so a `switch` needs a `default`. SQS answers our
    /// JSON-protocol requests with the code of its `x-amzn-query-error` header (the code the query
    /// protocol has always used, `AWS.SimpleQueueService.NonExistentQueue`), which is what the
    /// statics hold; a server that leaves the header out (some emulators) has its JSON error name
    /// (`QueueDoesNotExist`) mapped to the same code.
    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The code as the service sent it.
        public let rawValue: String

        /// The code `rawValue` (any code a service sends).
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The code `rawValue` (any code a service sends).
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public init(stringLiteral value: String) { self.rawValue = value }

        public var description: String { rawValue }

        // MARK: SQS

        /// SQS: the queue does not exist (or the caller may not see it); query code
        /// `AWS.SimpleQueueService.NonExistentQueue`, JSON error `QueueDoesNotExist`.
        public static let queueDoesNotExist: Code = "AWS.SimpleQueueService.NonExistentQueue"
        /// SQS: a queue of this name was deleted less than 60 seconds ago; wait before creating it again.
        public static let queueDeletedRecently: Code = "AWS.SimpleQueueService.QueueDeletedRecently"
        /// SQS `CreateQueue`: a queue of this name exists with other attribute values; query code
        /// `QueueAlreadyExists`, JSON error `QueueNameExists`.
        public static let queueNameExists: Code = "QueueAlreadyExists"
        /// SQS: the receipt handle is not valid (malformed, or from a receive whose visibility ended
        /// and was received again).
        public static let receiptHandleIsInvalid: Code = "ReceiptHandleIsInvalid"
        /// SQS `ChangeMessageVisibility`: the message is not in flight (its visibility timeout ended,
        /// or it was deleted).
        public static let messageNotInflight: Code = "AWS.SimpleQueueService.MessageNotInflight"
        /// SQS: the call breaks a limit, such as the most in-flight messages a queue may have
        /// (`ReceiveMessage`) or the most permissions (`AddPermission`).
        public static let overLimit: Code = "OverLimit"
        /// SQS (and other query services): a parameter value does not meet its constraints (a
        /// visibility timeout out of range, a stale receipt handle in some calls, ...).
        public static let invalidParameterValue: Code = "InvalidParameterValue"
        /// SQS: an attribute name is not one SQS knows.
        public static let invalidAttributeName: Code = "InvalidAttributeName"

        // MARK: SNS

        /// SNS: the topic, subscription or endpoint does not exist (HTTP 404).
        public static let notFound: Code = "NotFound"
        /// SNS: a parameter does not meet its constraints (a missing `MessageGroupId` for a FIFO
        /// topic, an attribute value SNS refuses, ...).
        public static let invalidParameter: Code = "InvalidParameter"
        /// SNS: the caller is not allowed the action on the resource (HTTP 403).
        public static let authorizationError: Code = "AuthorizationError"
        /// SNS: the account's request rate for the action is exceeded (HTTP 429).
        public static let throttled: Code = "Throttled"
        /// SNS: an internal error; another attempt may succeed (HTTP 500).
        public static let internalError: Code = "InternalError"

        // MARK: Common to AWS services

        /// The request was throttled (query protocol services: STS, SNS, SQS).
        public static let throttling: Code = "Throttling"
        /// The request was throttled (JSON protocol services).
        public static let throttlingException: Code = "ThrottlingException"
        /// SQS: the request was throttled (over the queue's or the account's request rate).
        public static let requestThrottled: Code = "RequestThrottled"
        /// The caller is not allowed the action (IAM policy, queue or topic policy, KMS key policy).
        public static let accessDenied: Code = "AccessDenied"
        /// The access key id is not known to AWS (a key from another partition, a deleted key, a
        /// wrong endpoint for the credentials).
        public static let invalidClientTokenId: Code = "InvalidClientTokenId"
        /// The signature AWS computed differs from the request's: usually a wrong secret access key.
        public static let signatureDoesNotMatch: Code = "SignatureDoesNotMatch"
        /// The session token in the request has expired: fetch new credentials.
        public static let expiredToken: Code = "ExpiredToken"
        /// The request reached AWS more than 15 minutes after its signing date: the clock is off
        /// (the client corrects its skew and retries once).
        public static let requestExpired: Code = "RequestExpired"
        /// The service is temporarily unavailable (HTTP 503); another attempt may succeed.
        public static let serviceUnavailable: Code = "ServiceUnavailable"
        /// The service failed for an unknown reason (HTTP 500); another attempt may succeed.
        public static let internalFailure: Code = "InternalFailure"
        /// The request took too long to arrive or to be served; another attempt may succeed.
        public static let requestTimeout: Code = "RequestTimeout"

        /// The code for the SQS error named `name`: the query code when the JSON protocol's name
        /// differs (`QueueDoesNotExist` -> ``queueDoesNotExist``), as SQS sends it in `x-amzn-query-error`.
        static func sqs(_ name: String) -> Code { sqsQueryCodes[name] ?? Code(name) }

        /// SQS error names of the JSON protocol whose query code differs.
        private static let sqsQueryCodes: [String: Code] = [
            "QueueDoesNotExist": .queueDoesNotExist,
            "QueueDeletedRecently": .queueDeletedRecently,
            "QueueNameExists": .queueNameExists,
            "MessageNotInflight": .messageNotInflight,
        ]
    }
}
