import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

/// The codes callers switch on, read from error replies as AWS sends them (SQS AWS JSON 1.0 with
/// `x-amzn-query-error`, SNS/STS/SQS query XML) and from the clients' own failures.
final class AWSErrorCodeTests: XCTestCase {
    private func response(_ status: Int, _ headers: AWSHTTPHeaders, _ body: String) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    /// An SQS JSON error reply as AWS documents it (sqs-json-api-responses): the query code and the
    /// fault in `x-amzn-query-error`, the error's JSON name in `__type`.
    private func sqsJSON(_ status: Int, queryError: String?, name: String, message: String) -> AWSHTTPResponse {
        var headers: AWSHTTPHeaders = ["x-amzn-RequestId": "66916324-67ca-54bb-a410-3f567a7a0571",
                                       "Content-Type": "application/x-amz-json-1.0"]
        if let queryError { headers["x-amzn-query-error"] = queryError }
        return response(status, headers, #"{"__type": "com.amazonaws.sqs#\#(name)", "message": "\#(message)"}"#)
    }

    /// A query-protocol error reply (SNS, STS, SQS query) as AWS sends it.
    private func queryXML(_ status: Int, code: String, type: String = "Sender", message: String) -> AWSHTTPResponse {
        response(status, ["Content-Type": "text/xml"], """
            <?xml version="1.0"?><ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>\(type)</Type>\
            <Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>8c4e5b3b-0bd4-5e5a-9b6a-0c8c9c4b1f2d</RequestId></ErrorResponse>
            """)
    }

    /// What a caller's `switch error.code` picks for `error`.
    private func switched(_ error: AWSError) -> String {
        switch error.code {
        case .queueDoesNotExist: "queueDoesNotExist"
        case .queueDeletedRecently: "queueDeletedRecently"
        case .queueNameExists: "queueNameExists"
        case .receiptHandleIsInvalid: "receiptHandleIsInvalid"
        case .messageNotInflight: "messageNotInflight"
        case .overLimit: "overLimit"
        case .invalidParameterValue: "invalidParameterValue"
        case .invalidAttributeName: "invalidAttributeName"
        case .notFound: "notFound"
        case .invalidParameter: "invalidParameter"
        case .authorizationError: "authorizationError"
        case .throttled: "throttled"
        case .internalError: "internalError"
        case .throttling: "throttling"
        case .throttlingException: "throttlingException"
        case .requestThrottled: "requestThrottled"
        case .accessDenied: "accessDenied"
        case .invalidClientTokenId: "invalidClientTokenId"
        case .signatureDoesNotMatch: "signatureDoesNotMatch"
        case .expiredToken: "expiredToken"
        case .requestExpired: "requestExpired"
        case .serviceUnavailable: "serviceUnavailable"
        case .internalFailure: "internalFailure"
        case .requestTimeout: "requestTimeout"
        default: "other: \(error.code)"
        }
    }

    func testCode_ofSQSJSONReplies_isTheStaticACallerSwitchesOn() {
        let cases: [(AWSHTTPResponse, String)] = [
            (sqsJSON(400, queryError: "AWS.SimpleQueueService.NonExistentQueue;Sender", name: "QueueDoesNotExist",
                     message: "The specified queue does not exist."), "queueDoesNotExist"),
            (sqsJSON(400, queryError: "AWS.SimpleQueueService.QueueDeletedRecently;Sender", name: "QueueDeletedRecently",
                     message: "You must wait 60 seconds after deleting a queue before you can create another with the same name."),
             "queueDeletedRecently"),
            (sqsJSON(400, queryError: "QueueAlreadyExists;Sender", name: "QueueNameExists",
                     message: "A queue already exists with the same name and a different value for attribute VisibilityTimeout"),
             "queueNameExists"),
            (sqsJSON(400, queryError: "ReceiptHandleIsInvalid;Sender", name: "ReceiptHandleIsInvalid",
                     message: "The input receipt handle is invalid."), "receiptHandleIsInvalid"),
            (sqsJSON(400, queryError: "AWS.SimpleQueueService.MessageNotInflight;Sender", name: "MessageNotInflight",
                     message: "Message does not exist or is not available for visibility timeout change."), "messageNotInflight"),
            (sqsJSON(403, queryError: "OverLimit;Sender", name: "OverLimit", message: "Too many messages in flight."), "overLimit"),
            (sqsJSON(400, queryError: "InvalidParameterValue;Sender", name: "InvalidParameterValueException",
                     message: "Value 25 for parameter WaitTimeSeconds is invalid."), "invalidParameterValue"),
            (sqsJSON(400, queryError: "InvalidAttributeName;Sender", name: "InvalidAttributeName",
                     message: "Unknown Attribute Colour."), "invalidAttributeName"),
            (sqsJSON(400, queryError: "RequestThrottled;Sender", name: "RequestThrottled", message: "Rate exceeded"), "requestThrottled"),
        ]
        for (reply, expected) in cases {
            let error = AWSError(response: reply, service: "SQS", action: "ReceiveMessage")
            XCTAssertEqual(switched(error), expected, "\(error)")
            XCTAssertEqual(error.senderFault, true, "\(error)")
        }
    }

    func testCode_ofSQSJSONRepliesWithoutTheQueryErrorHeader_isTheSameStatic() {
        // Some emulators send only `__type`: the JSON name becomes the code AWS sends in the header.
        let cases: [(String, String)] = [
            ("QueueDoesNotExist", "queueDoesNotExist"), ("QueueDeletedRecently", "queueDeletedRecently"),
            ("QueueNameExists", "queueNameExists"), ("MessageNotInflight", "messageNotInflight"),
            ("ReceiptHandleIsInvalid", "receiptHandleIsInvalid"), ("OverLimit", "overLimit"),
            ("InvalidAttributeName", "invalidAttributeName"), ("RequestThrottled", "requestThrottled"),
        ]
        for (name, expected) in cases {
            XCTAssertEqual(switched(AWSError(response: sqsJSON(400, queryError: nil, name: name, message: "m"))), expected, name)
        }
        // Only SQS's names are mapped: another service's error of the same name keeps it.
        let other = AWSError(response: response(400, [:], #"{"__type": "com.amazonaws.other#QueueDoesNotExist"}"#))
        XCTAssertEqual(other.code, "QueueDoesNotExist")
    }

    func testCode_ofQueryXMLReplies_isTheStaticACallerSwitchesOn() {
        let cases: [(AWSHTTPResponse, String)] = [
            (queryXML(404, code: "NotFound", message: "Topic does not exist"), "notFound"),
            (queryXML(400, code: "InvalidParameter", message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"),
             "invalidParameter"),
            (queryXML(403, code: "AuthorizationError", message: "User is not authorized to perform: SNS:Publish"), "authorizationError"),
            (queryXML(429, code: "Throttled", message: "Rate exceeded"), "throttled"),
            (queryXML(500, code: "InternalError", type: "Receiver", message: "Internal error"), "internalError"),
            (queryXML(400, code: "Throttling", message: "Rate exceeded"), "throttling"),
            (queryXML(403, code: "AccessDenied", message: "User is not authorized to perform: sts:AssumeRole"), "accessDenied"),
            (queryXML(403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid."),
             "invalidClientTokenId"),
            (queryXML(403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature "
                          + "you provided."), "signatureDoesNotMatch"),
            (queryXML(400, code: "ExpiredToken", message: "The security token included in the request is expired"), "expiredToken"),
            (queryXML(400, code: "RequestExpired", message: "Request has expired."), "requestExpired"),
            (queryXML(503, code: "ServiceUnavailable", type: "Receiver", message: "Service is unavailable."), "serviceUnavailable"),
            (queryXML(500, code: "InternalFailure", type: "Receiver", message: "An internal error occurred."), "internalFailure"),
            (queryXML(400, code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist for this wsdl "
                          + "version."), "queueDoesNotExist"),
            (queryXML(400, code: "InvalidParameterValue", message: "Value -1 for parameter VisibilityTimeout is invalid."),
             "invalidParameterValue"),
        ]
        for (reply, expected) in cases {
            XCTAssertEqual(switched(AWSError(response: reply, service: "SNS", action: "Publish")), expected)
        }
    }

    func testCode_ofJSONProtocolThrottlingAndTimeouts_isTheStatic_andClassifiesAsRetryable() {
        let throttled = AWSError(response: response(400, ["x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/"],
                                                    #"{"message": "Rate exceeded"}"#))
        XCTAssertEqual(switched(throttled), "throttlingException")
        XCTAssertTrue(throttled.isThrottling)
        let timeout = AWSError(response: response(408, [:], #"{"__type": "RequestTimeout", "message": "Request timed out"}"#))
        XCTAssertEqual(switched(timeout), "requestTimeout")
        XCTAssertTrue(timeout.isTransient)
    }

    func testCode_ofFailingClientCalls_isTheStatic() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid","message":"The input receipt handle is invalid."}"#,
                                             status: 400, headers: ["x-amzn-query-error": "ReceiptHandleIsInvalid;Sender"]))
        do {
            try await sqs.deleteMessage(queueURL: sqsTestQueue, receiptHandle: "stale")
            XCTFail("expected an AWSError")
        } catch let error as AWSError {
            XCTAssertEqual(switched(error), "receiptHandleIsInvalid")
        }

        let sns = try makeSNSClient(StubTransport(responses: [.success(.snsXML("""
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code>\
            <Message>Topic does not exist</Message></Error><RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId></ErrorResponse>
            """, status: 404))]))
        do {
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
            XCTFail("expected an AWSError")
        } catch let error as AWSError {
            XCTAssertEqual(switched(error), "notFound")
        }
    }

    func testCode_isItsRawValue_andAnyCodeIsAStringLiteral() {
        XCTAssertEqual(AWSError.Code.queueDoesNotExist.rawValue, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertEqual(AWSError.Code.queueNameExists.rawValue, "QueueAlreadyExists")
        XCTAssertEqual("\(AWSError.Code.notFound)", "NotFound")
        let custom: AWSError.Code = "KMS.DisabledException"
        XCTAssertEqual(custom, AWSError.Code(rawValue: "KMS.DisabledException"))
        XCTAssertEqual(switched(AWSError(code: custom, message: "", statusCode: 400)), "other: KMS.DisabledException")
    }

    // MARK: SNSReplyError

    /// What a caller's `switch error.code` picks for the error an SNS call throws on `reply`.
    private func snsReplyCode(_ replies: String..., call: (SNSClient) async throws -> Void) async throws -> String {
        let sns = try makeSNSClient(StubTransport(responses: replies.map { .success(.snsXML($0)) }))
        do {
            try await call(sns)
            return "no error"
        } catch let error as SNSReplyError {
            switch error.code {
            case .notXML: return "notXML"
            case .unexpectedDocument: return "unexpectedDocument"
            case .missingValue: return "missingValue"
            case .repeatedNextToken: return "repeatedNextToken"
            default: return "another code: \(error.code)"
            }
        }
    }

    func testSNSReplyErrorCode_ofEachUnusableReply_isTheOneACallerSwitchesOn() async throws {
        let publish: (SNSClient) async throws -> Void = { _ = try await $0.publish(PublishRequest(topicArn: snsTopicArn, message: "hi")) }
        let notXML = try await snsReplyCode("<html><body>proxy error", call: publish)
        XCTAssertEqual(notXML, "notXML")
        let wrongDocument = try await snsReplyCode(SNSReplies.publish) { _ = try await $0.createTopic(name: "orders", attributes: [:]) }
        XCTAssertEqual(wrongDocument, "unexpectedDocument")
        let noMessageId = try await snsReplyCode("""
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult/></PublishResponse>
            """, call: publish)
        XCTAssertEqual(noMessageId, "missingValue")
        let loop = try await snsReplyCode(SNSReplies.listSubscriptions(["q1"], nextToken: "100"),
                                          SNSReplies.listSubscriptions(["q2"], nextToken: "100")) {
            _ = try await $0.listSubscriptionsByTopic(topicArn: snsTopicArn)
        }
        XCTAssertEqual(loop, "repeatedNextToken")
    }

    // MARK: AWSConfigError

    func testAWSConfigErrorCode_ofEachUnusableSetting_isTheOneACallerSwitchesOn() throws {
        let directory = try CredentialTestDirectory()
        let transport = StubTransport { request, _ in throw HTTPTransportError(.connectFailed, url: request.url, detail: "no network") }
        func switched(profile: String? = nil, _ extra: [String: String?] = [:]) -> String {
            do {
                _ = try AWSServiceSettings.resolve(service: "sqs", profileName: profile, configSection: "sqs_consumer",
                                                   environment: directory.environment(extra), transport: transport)
                return "no error"
            } catch {
                switch error.code {
                case .noRegion: return "noRegion"
                case .invalidRegion: return "invalidRegion"
                case .invalidEndpoint: return "invalidEndpoint"
                case .invalidValue: return "invalidValue"
                case .profileNotFound: return "profileNotFound"
                case .unreadableFile: return "unreadableFile"
                case .malformedFile: return "malformedFile"
                default: return "another code: \(error.code)"
                }
            }
        }
        XCTAssertEqual(switched(), "noRegion")
        XCTAssertEqual(switched(["AWS_REGION": "us east 1"]), "invalidRegion")
        XCTAssertEqual(switched(["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_SQS": "ftp://host"]), "invalidEndpoint")
        XCTAssertEqual(switched(["AWS_REGION": "us-east-1", "AWS_METADATA_SERVICE_TIMEOUT": "0"]), "invalidValue")
        XCTAssertEqual(switched(profile: "staging", ["AWS_REGION": "us-east-1"]), "profileNotFound")
        try directory.write("config", "[default]\nregion = us-east-1\nnot a setting\n")
        XCTAssertEqual(switched(), "malformedFile")
        try FileManager.default.createDirectory(atPath: directory.path + "/elsewhere", withIntermediateDirectories: true)
        XCTAssertEqual(switched(["AWS_CONFIG_FILE": directory.path + "/elsewhere"]), "unreadableFile")
    }
}
