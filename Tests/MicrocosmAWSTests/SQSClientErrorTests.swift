import AWSTestSupport
import MicrocosmAWS
import XCTest

/// Error replies as AWS, moto and ElasticMQ write them become a typed `AWSError` naming the queue.
final class SQSClientErrorTests: XCTestCase {
    private struct NoError: Error {}

    /// The `AWSError` that `call` throws; the test fails when it throws none.
    private func error(from transport: StubTransport, file: StaticString = #filePath, line: UInt = #line,
                       _ call: (SQSClient) async throws -> Void) async throws -> AWSError {
        let sqs = try makeSQSClient(transport)
        do {
            try await call(sqs)
        } catch let error as AWSError {
            return error
        }
        XCTFail("expected an AWSError", file: file, line: line)
        throw NoError()
    }

    func testError_awsDocumentedShape_usesTheLegacyCodeAndNamesTheQueue() async throws {
        // AWS doc sqs-json-api-responses.html
        let transport = sqsReply(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
                                 status: 400, headers: ["x-amzn-RequestId": "7a62c49f", "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"])
        let error = try await error(from: transport) { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue)) }
        XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertEqual(error.message, "The specified queue does not exist. (QueueUrl '\(sqsTestQueue)')")
        XCTAssertEqual(error.statusCode, 400)
        XCTAssertEqual(error.requestId, "7a62c49f")
        XCTAssertEqual(error.senderFault, true)
        XCTAssertEqual(error.service, "SQS")
        XCTAssertEqual(error.action, "ReceiveMessage")
        XCTAssertEqual("\(error)", "SQS ReceiveMessage: AWS.SimpleQueueService.NonExistentQueue (HTTP 400, request 7a62c49f): "
            + "The specified queue does not exist. (QueueUrl '\(sqsTestQueue)')")
        XCTAssertEqual(transport.requests.count, 1, "a sender fault is not retried")
    }

    func testError_motoShape_withBothMessageKeysAndErrorTypeHeader() async throws {
        // What moto 5.2 sends (captured): X-Amzn-Errortype, x-amzn-query-error, "message" and "Message".
        let transport = sqsReply(#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist.", "#
            + #""Message": "The specified queue does not exist."}"#, status: 400,
            headers: ["X-Amzn-Errortype": "com.amazonaws.sqs#QueueDoesNotExist",
                      "x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender", "x-amzn-requestid": "moto-1"])
        let error = try await error(from: transport) { _ = try await $0.getQueueURL(queueName: "missing") }
        XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue")
        XCTAssertEqual(error.message, "The specified queue does not exist. (QueueName 'missing')")
        XCTAssertEqual(error.requestId, "moto-1")
        XCTAssertEqual(error.action, "GetQueueUrl")
    }

    func testError_motoReceiptHandleIsInvalid() async throws {
        let transport = sqsReply(#"{"__type": "com.amazonaws.sqs#ReceiptHandleIsInvalid", "message": "The input receipt handle is invalid.", "#
            + #""Message": "The input receipt handle is invalid."}"#, status: 400,
            headers: ["x-amzn-query-error": "ReceiptHandleIsInvalid;Sender"])
        let error = try await error(from: transport) { try await $0.deleteMessage(queueURL: sqsTestQueue, receiptHandle: "bogus") }
        XCTAssertEqual(error.code, "ReceiptHandleIsInvalid")
        XCTAssertEqual(error.senderFault, true)
        XCTAssertEqual(error.message, "The input receipt handle is invalid. (QueueUrl '\(sqsTestQueue)')")
    }

    func testError_elasticMQShape_withoutQueryErrorHeader_hasTheQueryCode() async throws {
        let transport = sqsReply(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","Message":"The specified queue does not exist."}"#,
                                 status: 400)
        let error = try await error(from: transport) { try await $0.deleteQueue(queueURL: sqsTestQueue) }
        XCTAssertEqual(error.code, .queueDoesNotExist)
        XCTAssertNil(error.senderFault)
        XCTAssertEqual(error.message, "The specified queue does not exist. (QueueUrl '\(sqsTestQueue)')")
    }

    func testError_withoutAMessage_stillNamesTheQueue() async throws {
        let transport = sqsReply(#"{"__type":"com.amazonaws.sqs#OverLimit"}"#, status: 403)
        let error = try await error(from: transport) { try await $0.purgeQueue(queueURL: sqsTestQueue) }
        XCTAssertEqual(error.code, "OverLimit")
        XCTAssertEqual(error.message, "QueueUrl '\(sqsTestQueue)'")
    }

    func testError_throttled_isRetriedThenSucceeds() async throws {
        let throttled = AWSHTTPResponse(status: 400, headers: ["x-amzn-query-error": "RequestThrottled;Receiver"],
                                     body: Array(#"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded"}"#.utf8))
        let transport = StubTransport(responses: [.success(throttled), .success(AWSHTTPResponse(status: 200, body: Array("{}".utf8)))])
        let environment = ManualEnvironment(jitter: 0.5)
        let sqs = try makeSQSClient(transport, environment: environment)
        try await sqs.purgeQueue(queueURL: sqsTestQueue)
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(environment.sleeps, [.milliseconds(500)])
    }
}
