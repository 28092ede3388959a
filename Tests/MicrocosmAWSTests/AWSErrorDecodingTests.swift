import MicrocosmAWS
import XCTest

final class AWSErrorDecodingTests: XCTestCase {
    private func response(_ status: Int, _ headers: AWSHTTPHeaders = [:], _ body: String) -> AWSHTTPResponse {
        AWSHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    func testSQSJSON_queryErrorHeaderCodeWinsAndGivesTheFault() {
        let error = AWSError(response: response(400, [
            "x-amzn-RequestId": "7a62c49f-347e-4fc4-9331-6e8e7a96aa73",
            "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender",
            "Content-Type": "application/x-amz-json-1.0",
        ], #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#),
        service: "SQS", action: "ReceiveMessage")
        XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertEqual(error.message, "The specified queue does not exist.")
        XCTAssertEqual(error.statusCode, 400)
        XCTAssertEqual(error.requestId, "7a62c49f-347e-4fc4-9331-6e8e7a96aa73")
        XCTAssertEqual(error.senderFault, true)
        XCTAssertFalse(error.isRetryable)
        XCTAssertEqual("\(error)", "SQS ReceiveMessage: AWS.SimpleQueueService.NonExistentQueue (HTTP 400, "
            + "request 7a62c49f-347e-4fc4-9331-6e8e7a96aa73): The specified queue does not exist.")
    }

    func testSQSJSON_withoutQueryErrorHeader_givesTheQueryCodeAWSSendsInTheHeader() {
        let error = AWSError(response: response(400, ["x-amzn-RequestId": "r-1"],
            #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#))
        XCTAssertEqual(error.code, .queueDoesNotExist)
        XCTAssertEqual(error.code.rawValue, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertNil(error.senderFault)
        XCTAssertNil(error.service)
        XCTAssertNil(error.action)
    }

    func testSQSJSON_motoAndElasticMQCapitalizedMessage() {
        // moto: {"__type": "com.amazonaws.sqs#...", "message"...}; ElasticMQ and older moto write "Message".
        let error = AWSError(response: response(400, ["x-amzn-query-error": "InvalidParameterValue;Sender"],
            #"{"__type": "com.amazonaws.sqs#InvalidParameterValueException", "Message": "Value 25 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."}"#))
        XCTAssertEqual(error.code, "InvalidParameterValue")
        XCTAssertEqual(error.message, "Value 25 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")
        XCTAssertEqual(error.senderFault, true)
    }

    func testSQSJSON_throttlingIsRetryable() {
        let error = AWSError(response: response(400, ["x-amzn-query-error": "RequestThrottled;Receiver"],
            #"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded"}"#))
        XCTAssertEqual(error.code, "RequestThrottled")
        XCTAssertEqual(error.senderFault, false)
        XCTAssertTrue(error.isThrottling)
        XCTAssertTrue(error.isRetryable)
    }

    func testSQSQuery_xmlErrorResponse() {
        let error = AWSError(response: response(400, ["Content-Type": "text/xml"], """
            <?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
                <Error>
                    <Type>Sender</Type>
                    <Code>AWS.SimpleQueueService.NonExistentQueue</Code>
                    <Message>The specified queue does not exist for this wsdl version.</Message>
                    <Detail/>
                </Error>
                <RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId>
            </ErrorResponse>
            """), service: "SQS", action: "GetQueueUrl")
        XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertEqual(error.message, "The specified queue does not exist for this wsdl version.")
        XCTAssertEqual(error.requestId, "42d59b56-7407-4c4a-be0f-4c88daeea257")
        XCTAssertEqual(error.senderFault, true)
    }

    func testSNS_motoXMLWithoutPrologue() {
        let error = AWSError(response: response(404, ["Content-Type": "text/xml"], """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>NotFound</Code>\
            <Message>Topic does not exist</Message></Error><RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId></ErrorResponse>
            """), service: "SNS", action: "Publish")
        XCTAssertEqual(error.code, "NotFound")
        XCTAssertEqual(error.message, "Topic does not exist")
        XCTAssertEqual(error.statusCode, 404)
        XCTAssertEqual(error.requestId, "9dd01905-5012-5f99-8663-4b3ecd0dfaef")
        XCTAssertEqual(error.senderFault, true)
        XCTAssertEqual("\(error)", "SNS Publish: NotFound (HTTP 404, request 9dd01905-5012-5f99-8663-4b3ecd0dfaef): Topic does not exist")
    }

    func testSNS_throttledAndInternalErrorAreRetryable() {
        let throttled = AWSError(response: response(429, [:], """
            <ErrorResponse><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error>\
            <RequestId>r</RequestId></ErrorResponse>
            """))
        XCTAssertTrue(throttled.isThrottling)
        XCTAssertTrue(throttled.isRetryable)
        let internalError = AWSError(response: response(500, [:], """
            <ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error></ErrorResponse>
            """))
        XCTAssertEqual(internalError.senderFault, false)
        XCTAssertTrue(internalError.isTransient)
        XCTAssertTrue(internalError.isRetryable)
    }

    func testSTS_xmlErrorAndHeaderRequestIdWins() {
        let error = AWSError(response: response(403, ["x-amzn-RequestId": "from-header"], """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error>
                <Type>Sender</Type>
                <Code>InvalidIdentityToken</Code>
                <Message>Couldn't retrieve verification key from your identity provider</Message>
              </Error>
              <RequestId>from-body</RequestId>
            </ErrorResponse>
            """), service: "STS", action: "AssumeRoleWithWebIdentity")
        XCTAssertEqual(error.code, "InvalidIdentityToken")
        XCTAssertEqual(error.message, "Couldn't retrieve verification key from your identity provider")
        XCTAssertEqual(error.requestId, "from-header")
    }

    func testRequestId_fromAmzRequestIdHeader() {
        let error = AWSError(response: response(400, ["x-amz-request-id": "amz-id"], #"{"__type":"X","message":"m"}"#))
        XCTAssertEqual(error.requestId, "amz-id")
    }

    func testS3StyleBareErrorRoot() {
        let error = AWSError(response: response(403, [:], """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>\
            <RequestId>4442587FB7D0A2F9</RequestId></Error>
            """))
        XCTAssertEqual(error.code, "SignatureDoesNotMatch")
        XCTAssertEqual(error.requestId, "4442587FB7D0A2F9")
        XCTAssertNil(error.senderFault)
    }

    func testNeitherJSONNorXML_codeIsTheStatusAndMessageASnippet() {
        let html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>"
        let error = AWSError(response: response(502, [:], html), service: "SQS", action: "SendMessage")
        XCTAssertEqual(error.code, "502")
        XCTAssertEqual(error.message, "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>")
        XCTAssertTrue(error.isRetryable)

        let text = AWSError(response: response(503, [:], "Service Unavailable"))
        XCTAssertEqual(text.code, "503")
        XCTAssertEqual(text.message, "Service Unavailable")

        let empty = AWSError(response: response(403, [:], ""))
        XCTAssertEqual(empty.code, "403")
        XCTAssertEqual(empty.message, "")
        XCTAssertFalse(empty.isRetryable)
    }

    func testNeitherJSONNorXML_longBodiesAreCut() {
        let error = AWSError(response: response(500, [:], String(repeating: "x", count: 5000)))
        XCTAssertEqual(error.message, String(repeating: "x", count: AWSErrorDecodingTests.snippetLength) + "…")
    }

    func testBrokenJSON_fallsBackToTheSnippet() {
        let error = AWSError(response: response(500, [:], #"{"__type": "#))
        XCTAssertEqual(error.code, "500")
        XCTAssertEqual(error.message, #"{"__type":"#)
    }

    func testQueryErrorHeader_overridesAnUnreadableBody() {
        let error = AWSError(response: response(400, ["x-amzn-query-error": "AWS.SimpleQueueService.QueueDeletedRecently;Sender"], ""))
        XCTAssertEqual(error.code, "AWS.SimpleQueueService.QueueDeletedRecently")
        XCTAssertEqual(error.senderFault, true)
    }

    func testRESTJSON_errorTypeHeaderGivesTheCodeWhenTheBodyHasNone() {
        let error = AWSError(response: response(404, ["x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/"],
                                                #"{"message":"Function not found"}"#))
        XCTAssertEqual(error.code, "ResourceNotFoundException")
        XCTAssertEqual(error.message, "Function not found")
    }

    func testEC2StyleResponseErrors() {
        let error = AWSError(response: response(503, [:], """
            <Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>            <RequestID>ec2-request</RequestID></Response>
            """))
        XCTAssertEqual(error.code, "RequestLimitExceeded")
        XCTAssertEqual(error.requestId, "ec2-request")
        XCTAssertTrue(error.isThrottling)
    }

    func testXMLOfAnotherShape_fallsBackToTheSnippet() {
        let error = AWSError(response: response(500, [:], "<html><body>Internal Server Error</body></html>"))
        XCTAssertEqual(error.code, "500")
        XCTAssertEqual(error.message, "<html><body>Internal Server Error</body></html>")
    }

    private static let snippetLength = 200
}
