#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

extension AWSError {
    /// Decodes a non-2xx response of any AWS protocol into a typed error.
    ///
    /// - AWS JSON 1.0/1.1: `__type` (`com.amazonaws.sns#NotFound` -> `NotFound`) or `code`, with
    ///   `message` or `Message`; an SQS error whose query code differs (`com.amazonaws.sqs#QueueDoesNotExist`)
    ///   gets the query code (``Code/queueDoesNotExist``), as SQS sends it in `x-amzn-query-error`.
    /// - Query protocols (SNS, SQS query, STS): `<ErrorResponse><Error><Type/><Code/><Message/></Error>
    ///   <RequestId/></ErrorResponse>`; also a bare `<Error>` root and EC2's `<Response><Errors>`.
    /// - `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender` supplies the code and
    ///   the fault, and wins over the body (as botocore does for query-compatible services).
    /// - The request id comes from `x-amzn-RequestId` / `x-amz-request-id`, else from the body.
    /// - Any other body: the code is the HTTP status (`"503"`, as botocore) and the message a short
    ///   snippet of the body.
    /// - SigV4 signatures, credentials, tokens and access key ids the server echoes are taken out
    ///   (see ``Redaction``).
    ///
    /// ```swift
    /// let error = AWSError(response: response, service: "SQS", action: "ReceiveMessage")
    /// // SQS ReceiveMessage: AWS.SimpleQueueService.NonExistentQueue (HTTP 400, request 7a62...): The specified queue does not exist.
    /// ```
    public init(response: AWSHTTPResponse, service: String? = nil, action: String? = nil) {
        var code: Code?
        var message: String?
        var requestId = response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
        var senderFault: Bool?
        var understood = false

        switch response.body.first(where: { !AWSError.isWhitespace($0) }) {
        case UInt8(ascii: "{"):
            if let object = (try? JSONParser.parse(response.body))?.objectValue {
                understood = true
                if let type = object["__type"]?.stringValue ?? object["code"]?.stringValue ?? object["Code"]?.stringValue {
                    let name = AWSError.shapeName(type)
                    code = type.hasPrefix("com.amazonaws.sqs#") ? Code.sqs(name) : Code(name)
                }
                message = object["message"]?.stringValue ?? object["Message"]?.stringValue ?? object["errorMessage"]?.stringValue
            }
        case UInt8(ascii: "<"):
            if let root = try? XMLNode.parse(response.body) {
                let error: XMLNode? = switch root.name {
                case "ErrorResponse": root.child("Error")
                case "Error": root
                case "Response": root["Errors/Error"]
                default: nil
                }
                if let error {
                    understood = true
                    code = error.value("Code").map { Code(AWSError.trimmed($0)) }
                    message = error.value("Message").map(AWSError.trimmed)
                    senderFault = error.value("Type").flatMap { AWSError.fault(AWSError.trimmed($0)) }
                    if requestId == nil {
                        requestId = (root.value("RequestId") ?? root.value("RequestID") ?? error.value("RequestId"))
                            .map(AWSError.trimmed)
                    }
                }
            }
        default:
            break
        }

        if code == nil, let errorType = response.headers["x-amzn-ErrorType"] {
            code = Code(AWSError.shapeName(String(errorType.prefix { $0 != ":" })))
        }
        if let queryError = response.headers["x-amzn-query-error"] {
            let parts = queryError.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            let queryCode = AWSError.trimmed(String(parts[0]))
            if !queryCode.isEmpty { code = Code(queryCode) }
            if parts.count > 1, let fault = AWSError.fault(AWSError.trimmed(String(parts[1]))) { senderFault = fault }
        }
        if !understood, message == nil {
            message = AWSError.snippet(response.body)
        }
        // A server may echo the request: no SigV4 signature, credential or token survives into the error.
        func scrub(_ text: String) -> String { Redaction.scrub(text, secrets: []) }
        let codeText = code.map(\.rawValue).flatMap { $0.isEmpty ? nil : $0 } ?? String(response.status)
        self.init(code: Code(scrub(codeText)), message: scrub(message ?? ""),
                  statusCode: response.status, requestId: requestId.flatMap { $0.isEmpty ? nil : scrub($0) }, service: service,
                  action: action, senderFault: senderFault)
    }

    /// The longest body snippet quoted in a message.
    static let snippetLength = 200

    /// `com.amazonaws.sqs#QueueDoesNotExist` -> `QueueDoesNotExist`.
    private static func shapeName(_ type: String) -> String {
        let afterHash = type.split(separator: "#", omittingEmptySubsequences: false).last.map(String.init) ?? type
        return trimmed(String(afterHash.prefix { $0 != ":" }))
    }

    /// `Sender` -> true, `Receiver` -> false, anything else nil.
    private static func fault(_ type: String) -> Bool? {
        switch type {
        case "Sender", "Client": true
        case "Receiver", "Server": false
        default: nil
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingWhitespace()
    }

    /// The body's text with whitespace runs collapsed, cut to ``snippetLength`` characters.
    private static func snippet(_ body: [UInt8]) -> String {
        let window = snippetLength * 4
        let text = String(decoding: body.prefix(window), as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if text.count > snippetLength { return String(text.prefix(snippetLength)) + "…" }
        return body.count > window ? text + "…" : text
    }
}
