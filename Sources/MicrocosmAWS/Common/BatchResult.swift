/// What a batch call did with each entry: nothing is silently dropped.
public struct BatchResult<Success: Sendable & Hashable>: Sendable, Hashable {
    /// Entries that succeeded.
    public var successful: [Success]
    /// Entries that failed, with the service's reason.
    public var failed: [BatchResultError]

    public init(successful: [Success] = [], failed: [BatchResultError] = []) {
        self.successful = successful
        self.failed = failed
    }

    /// True when no entry failed.
    public var allSucceeded: Bool { failed.isEmpty }
}

/// One failed batch entry (`BatchResultErrorEntry`).
public struct BatchResultError: Sendable, Hashable, CustomStringConvertible {
    /// The caller's entry id.
    public var id: String
    /// The AWS error code (`ReceiptHandleIsInvalid`, `InvalidParameter`, ...): compare it with the
    /// statics of ``AWSError/Code``.
    public var code: AWSError.Code
    public var message: String?
    /// True when the caller's entry was at fault (retrying it unchanged will fail again).
    public var senderFault: Bool

    public init(id: String, code: AWSError.Code, message: String? = nil, senderFault: Bool) {
        self.id = id
        self.code = code
        self.message = message
        self.senderFault = senderFault
    }

    public var description: String {
        "entry '\(id)': \(code)" + (message.map { ": \($0)" } ?? "") + (senderFault ? " (sender fault)" : "")
    }
}
