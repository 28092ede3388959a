import AWSTestSupport
import MicrocosmAWS
import XCTest

/// The exact requests `SQSClient` sends: AWS JSON 1.0 with botocore's member names
/// (botocore `sqs/2012-11-05/service-2.json`).
final class SQSClientRequestTests: XCTestCase {
    private let attributes: [String: MessageAttributeValue] = [
        "media_type": .string("application/vnd.globality.pubsub._.created.foo"),
        "count": .number("3"),
        "blob": .binary(Array("Hello binary world!".utf8)),
    ]

    private func sent(_ transport: StubTransport, file: StaticString = #filePath, line: UInt = #line) throws -> AWSHTTPRequest {
        XCTAssertEqual(transport.requests.count, 1, "one request", file: file, line: line)
        return try XCTUnwrap(transport.requests.first, file: file, line: line)
    }

    func testEveryRequest_isAJSONPostToTheEndpointWithTargetQueryModeAndSQSSignature() async throws {
        let transport = sqsReply("{}")
        let sqs = try makeSQSClient(transport)
        try await sqs.purgeQueue(queueURL: sqsTestQueue)
        let request = try sent(transport)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://sqs.us-east-1.amazonaws.com/")
        XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.PurgeQueue")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-1.0")
        XCTAssertEqual(request.headers["x-amzn-query-mode"], "true")
        let authorization = try XCTUnwrap(request.headers["Authorization"])
        XCTAssertTrue(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, Signature="), authorization)
    }

    func testReceiveMessage_sendsEveryParameterUnderItsModelName() async throws {
        let transport = sqsReply("{}")
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, maxNumberOfMessages: 10, waitTimeSeconds: 20,
                                                               visibilityTimeout: 30, attributeNames: ["ApproximateReceiveCount", "MessageGroupId"],
                                                               messageAttributeNames: ["All"]))
        let request = try sent(transport)
        XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.ReceiveMessage")
        XCTAssertEqual(request.sqsBodyText, #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","#
            + #""MessageSystemAttributeNames":["ApproximateReceiveCount","MessageGroupId"],"MessageAttributeNames":["All"],"#
            + #""MaxNumberOfMessages":10,"VisibilityTimeout":30,"WaitTimeSeconds":20}"#)
    }

    func testReceiveMessage_withDefaults_asksForAllAttributesAndOmitsUnsetParameters() async throws {
        let transport = sqsReply("{}")
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue))
        XCTAssertEqual(try sent(transport).sqsBodyText, #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","#
            + #""MessageSystemAttributeNames":["All"],"MessageAttributeNames":["All"],"MaxNumberOfMessages":1}"#)
    }

    func testReceiveMessage_withNoAttributeNames_omitsTheLists() async throws {
        let transport = sqsReply("{}")
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, attributeNames: [], messageAttributeNames: []))
        XCTAssertEqual(try sent(transport).sqsBodyText,
                       #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","MaxNumberOfMessages":1}"#)
    }

    func testReceiveMessage_givesTheTransportTheReadTimeoutPlusTheLongestWait() async throws {
        let transport = SQSTimeoutRecordingTransport()
        let sqs = try makeSQSClient(transport, readTimeout: .seconds(5))
        _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, waitTimeSeconds: 20))
        try await sqs.deleteMessage(queueURL: sqsTestQueue, receiptHandle: "rh")
        let timeouts = transport.timeouts
        XCTAssertEqual(timeouts.map(\.target), ["AmazonSQS.ReceiveMessage", "AmazonSQS.DeleteMessage"])
        XCTAssertEqual(timeouts.first?.timeout, .seconds(25))
        XCTAssertGreaterThan(try XCTUnwrap(timeouts.first?.timeout), .seconds(20), "longer than WaitTimeSeconds")
        XCTAssertEqual(timeouts.last?.timeout, .seconds(5), "other calls keep the read timeout")
        XCTAssertEqual(sqs.receiveTimeout, .seconds(25))
    }

    func testSendMessage_sendsBodyDelayFIFOIdsAndAttributesSortedWithBase64Binary() async throws {
        let body = "{\"uri\": \"http://things/1\"}"
        let transport = sqsReply(#"{"MessageId":"m-1","MD5OfMessageBody":"\#(SQSMessageDigest.md5OfBody(body))","#
            + #""MD5OfMessageAttributes":"\#(SQSMessageDigest.md5OfMessageAttributes(attributes))"}"#)
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: body, delaySeconds: 5,
                                                         messageAttributes: attributes, messageGroupId: "g-1",
                                                         messageDeduplicationId: "d-1"))
        let request = try sent(transport)
        XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.SendMessage")
        XCTAssertEqual(request.sqsBodyText, #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","#
            + #""MessageBody":"{\"uri\": \"http://things/1\"}","DelaySeconds":5,"MessageAttributes":{"#
            + #""blob":{"DataType":"Binary","BinaryValue":"SGVsbG8gYmluYXJ5IHdvcmxkIQ=="},"#
            + #""count":{"DataType":"Number","StringValue":"3"},"#
            + #""media_type":{"DataType":"String","StringValue":"application/vnd.globality.pubsub._.created.foo"}},"#
            + #""MessageDeduplicationId":"d-1","MessageGroupId":"g-1"}"#)
    }

    func testSendMessage_minimal_sendsOnlyQueueAndBody() async throws {
        let transport = sqsReply(#"{"MessageId":"m-1","MD5OfMessageBody":"49f68a5c8493ec2c0bf489821c21fc3b"}"#)
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "hi"))
        XCTAssertEqual(try sent(transport).sqsBodyText,
                       #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","MessageBody":"hi"}"#)
    }

    func testSendMessageBatch_sendsEntriesInOrderWithTheirOptions() async throws {
        let transport = sqsReply(#"{"Successful":[],"Failed":[]}"#)
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.sendMessageBatch(queueURL: sqsTestQueue, entries: [
            SendMessageBatchEntry(id: "b", messageBody: "second", delaySeconds: 0, messageAttributes: ["k": .string("v")],
                                  messageGroupId: "g", messageDeduplicationId: "d"),
            SendMessageBatchEntry(id: "a", messageBody: "first"),
        ])
        let request = try sent(transport)
        XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.SendMessageBatch")
        XCTAssertEqual(request.sqsBodyText, #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things","Entries":["#
            + #"{"Id":"b","MessageBody":"second","DelaySeconds":0,"MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}},"#
            + #""MessageDeduplicationId":"d","MessageGroupId":"g"},"#
            + #"{"Id":"a","MessageBody":"first"}]}"#)
    }

    func testDeleteAndVisibilityCalls_sendReceiptHandlesAndTimeouts() async throws {
        let queue = #""QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things""#
        let cases: [(target: String, body: String, call: @Sendable (SQSClient) async throws -> Void)] = [
            ("DeleteMessage", "{\(queue),\"ReceiptHandle\":\"rh-1\"}",
             { try await $0.deleteMessage(queueURL: sqsTestQueue, receiptHandle: "rh-1") }),
            ("DeleteMessageBatch", "{\(queue),\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"rh-1\"},{\"Id\":\"b\",\"ReceiptHandle\":\"rh-2\"}]}",
             { _ = try await $0.deleteMessageBatch(queueURL: sqsTestQueue, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: "rh-1"),
                                                                                     DeleteMessageBatchEntry(id: "b", receiptHandle: "rh-2")]) }),
            ("ChangeMessageVisibility", "{\(queue),\"ReceiptHandle\":\"rh-1\",\"VisibilityTimeout\":0}",
             { try await $0.changeMessageVisibility(queueURL: sqsTestQueue, receiptHandle: "rh-1", visibilityTimeout: 0) }),
            ("ChangeMessageVisibilityBatch",
             "{\(queue),\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"rh-1\",\"VisibilityTimeout\":43200}]}",
             { _ = try await $0.changeMessageVisibilityBatch(
                 queueURL: sqsTestQueue, entries: [ChangeMessageVisibilityBatchEntry(id: "a", receiptHandle: "rh-1", visibilityTimeout: 43200)]) }),
        ]
        for (target, body, call) in cases {
            let transport = sqsReply(#"{"Successful":[{"Id":"a"},{"Id":"b"}]}"#)
            try await call(makeSQSClient(transport))
            let request = try sent(transport)
            XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.\(target)")
            XCTAssertEqual(request.sqsBodyText, body, target)
        }
    }

    func testQueueCalls_sendNamesURLsAndSortedAttributes() async throws {
        let queue = #""QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things""#
        let redrive = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:things-dlq","maxReceiveCount":"3"}"#
        let cases: [(target: String, body: String, call: @Sendable (SQSClient) async throws -> Void)] = [
            ("CreateQueue", #"{"QueueName":"things.fifo","Attributes":{"ContentBasedDeduplication":"true","FifoQueue":"true","#
                + #""RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:things-dlq\",\"maxReceiveCount\":\"3\"}","#
                + #""VisibilityTimeout":"30"}}"#,
             { _ = try await $0.createQueue(name: "things.fifo", attributes: ["VisibilityTimeout": "30", "FifoQueue": "true",
                                                                              "ContentBasedDeduplication": "true", "RedrivePolicy": redrive]) }),
            ("CreateQueue", #"{"QueueName":"things"}"#, { _ = try await $0.createQueue(name: "things", attributes: [:]) }),
            ("DeleteQueue", "{\(queue)}", { try await $0.deleteQueue(queueURL: sqsTestQueue) }),
            ("PurgeQueue", "{\(queue)}", { try await $0.purgeQueue(queueURL: sqsTestQueue) }),
            ("GetQueueUrl", #"{"QueueName":"things"}"#, { _ = try await $0.getQueueURL(queueName: "things") }),
            ("GetQueueAttributes", "{\(queue),\"AttributeNames\":[\"QueueArn\",\"VisibilityTimeout\"]}",
             { _ = try await $0.getQueueAttributes(queueURL: sqsTestQueue, names: ["QueueArn", "VisibilityTimeout"]) }),
            ("SetQueueAttributes", "{\(queue),\"Attributes\":{\"DelaySeconds\":\"1\",\"VisibilityTimeout\":\"5\"}}",
             { try await $0.setQueueAttributes(queueURL: sqsTestQueue, attributes: ["VisibilityTimeout": "5", "DelaySeconds": "1"]) }),
        ]
        for (target, body, call) in cases {
            let transport = sqsReply(#"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/things"}"#)
            try await call(makeSQSClient(transport))
            let request = try sent(transport)
            XCTAssertEqual(request.headers["X-Amz-Target"], "AmazonSQS.\(target)")
            XCTAssertEqual(request.sqsBodyText, body, target)
        }
    }
}
