/// A successful (2xx) SNS reply that could not be read: not XML, the wrong document, a value missing,
/// or a page token that repeats. The call may have taken effect; the reply just does not say how.
///
/// ```
/// SNS Publish for TopicArn 'arn:aws:sns:us-east-1:123456789012:orders' (request 5f1c...): unusable reply: no PublishResult/MessageId
/// ```
public struct SNSReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the reply, to compare or switch on (`error.code == .missingValue`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case notXML, unexpectedDocument, missingValue, repeatedNextToken }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The body is not well-formed XML.
        public static let notXML = Code(.notXML)
        /// The root element is not `<ActionResponse>`.
        public static let unexpectedDocument = Code(.unexpectedDocument)
        /// A value the call needs is absent.
        public static let missingValue = Code(.missingValue)
        /// A paged call returned the `NextToken` it was given.
        public static let repeatedNextToken = Code(.repeatedNextToken)

        public var description: String { "\(value)" }
    }

    /// What is wrong with the reply.
    public let code: Code
    /// The API action (`Publish`).
    public let action: String
    /// What the call was about, as the API names it (`TopicArn 'arn:…'`, `Name 'orders'`, `SubscriptionArn 'arn:…'`).
    public let subject: String
    /// What is wrong with the reply.
    public let detail: String
    /// The request id, when the reply or its headers had one.
    public let requestId: String?

    private init(_ code: Code, action: String, subject: String, detail: String, requestId: String?) {
        self.code = code
        self.action = action
        self.subject = subject
        self.detail = detail
        self.requestId = requestId
    }

    /// The body is not well-formed XML (`reason` says where).
    public static func notXML(action: String, subject: String, reason: String, requestId: String?) -> Self {
        Self(.notXML, action: action, subject: subject, detail: "not XML: \(reason)", requestId: requestId)
    }

    /// The root element is not `<ActionResponse>`.
    public static func unexpectedDocument(action: String, subject: String, root: String, requestId: String?) -> Self {
        Self(.unexpectedDocument, action: action, subject: subject,
             detail: "a <\(root)> document, expected <\(action)Response>", requestId: requestId)
    }

    /// A value the call needs is absent (`path` as in the reply, `PublishResult/MessageId`).
    public static func missingValue(action: String, subject: String, path: String, requestId: String?) -> Self {
        Self(.missingValue, action: action, subject: subject, detail: "no \(path)", requestId: requestId)
    }

    /// A paged call returned the `NextToken` it was given, which would loop forever.
    public static func repeatedNextToken(action: String, subject: String, token: String, requestId: String?) -> Self {
        Self(.repeatedNextToken, action: action, subject: subject,
             detail: "NextToken '\(token)' again; stopped paging", requestId: requestId)
    }

    public var description: String {
        "SNS \(action) for \(subject)" + (requestId.map { " (request \($0))" } ?? "") + ": unusable reply: \(detail)"
    }
}
