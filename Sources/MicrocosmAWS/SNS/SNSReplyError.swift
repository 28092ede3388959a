/// A successful (2xx) SNS reply that could not be read: not XML, the wrong document, a value missing,
/// or a page token that repeats. The call may have taken effect; the reply just does not say how.
///
/// ```
/// SNS Publish arn:aws:sns:us-east-1:123456789012:orders (request 5f1c...): reply has no PublishResult/MessageId
/// ```
public struct SNSReplyError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case notXML, unexpectedDocument, missingValue, repeatedNextToken }

    private let code: Code
    /// The API action (`Publish`).
    public let action: String
    /// What the call was about: the topic ARN, topic name or subscription ARN.
    public let resource: String
    /// What is wrong with the reply.
    public let detail: String
    /// The request id, when the reply or its headers had one.
    public let requestId: String?

    private init(_ code: Code, action: String, resource: String, detail: String, requestId: String?) {
        self.code = code
        self.action = action
        self.resource = resource
        self.detail = detail
        self.requestId = requestId
    }

    /// The body is not well-formed XML (`reason` says where).
    public static func notXML(action: String, resource: String, reason: String, requestId: String?) -> Self {
        Self(.notXML, action: action, resource: resource, detail: "reply is not XML: \(reason)", requestId: requestId)
    }

    /// The root element is not `<ActionResponse>`.
    public static func unexpectedDocument(action: String, resource: String, root: String, requestId: String?) -> Self {
        Self(.unexpectedDocument, action: action, resource: resource,
             detail: "reply is a <\(root)> document, expected <\(action)Response>", requestId: requestId)
    }

    /// A value the call needs is absent (`path` as in the reply, `PublishResult/MessageId`).
    public static func missingValue(action: String, resource: String, path: String, requestId: String?) -> Self {
        Self(.missingValue, action: action, resource: resource, detail: "reply has no \(path)", requestId: requestId)
    }

    /// A paged call returned the `NextToken` it was given, which would loop forever.
    public static func repeatedNextToken(action: String, resource: String, token: String, requestId: String?) -> Self {
        Self(.repeatedNextToken, action: action, resource: resource,
             detail: "reply repeats NextToken '\(token)'; stopped paging", requestId: requestId)
    }

    public var description: String {
        "SNS \(action) \(resource)" + (requestId.map { " (request \($0))" } ?? "") + ": \(detail)"
    }
}
