/// A parsed SNS reply, `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...`:
/// the result element plus what errors about it should name.
///
/// Values are read as written (not trimmed: a topic attribute may start with a space); an empty
/// element (`<value/>`) is the empty string.
struct SNSReply {
    /// The API action (`Publish`).
    let action: String
    /// What the call was about (`TopicArn 'arn:…'`).
    let subject: String
    /// `ResponseMetadata/RequestId`, else the `x-amzn-RequestId` header.
    let requestId: String?
    /// The `<ActionResult>` element; empty for actions whose reply has none (`DeleteTopic`).
    let result: XMLNode

    /// Reads `response` as the reply to `action`; throws ``SNSReplyError`` when it is not one.
    /// (A Publish reply of the usual shape is scanned instead: ``SNSClient/publishResult(_:subject:scanning:)``.)
    init(_ response: AWSHTTPResponse, action: String, subject: String) throws(SNSReplyError) {
        self.action = action
        self.subject = subject
        let headerRequestId = response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
        let root: XMLNode
        do {
            root = try XMLNode.parse(response.body)
        } catch {
            throw .notXML(action: action, subject: subject, reason: error.description, requestId: headerRequestId)
        }
        requestId = root.value("ResponseMetadata/RequestId") ?? headerRequestId
        guard root.name == action + "Response" else {
            throw .unexpectedDocument(action: action, subject: subject, root: root.name, requestId: requestId)
        }
        result = root.child(action + "Result") ?? XMLNode(name: action + "Result")
    }

    /// The text at `path` under the result; throws when absent.
    func required(_ path: String) throws(SNSReplyError) -> String {
        try required(path, in: result, described: "\(action)Result/\(path)")
    }

    /// The text at `path` under `node`; throws naming `described` (only then built) when absent.
    func required(_ path: String, in node: XMLNode, described: @autoclosure () -> String) throws(SNSReplyError) -> String {
        guard let value = node.value(path) else {
            throw .missingValue(action: action, subject: subject, path: described(), requestId: requestId)
        }
        return value
    }

    /// The text at `path` under the result, or nil.
    func optional(_ path: String) -> String? {
        result.value(path)
    }

    /// Every element at `path` under the result (`Successful/member`).
    func nodes(_ path: String) -> [XMLNode] {
        result.nodes(path)
    }
}
