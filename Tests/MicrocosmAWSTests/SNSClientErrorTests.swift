import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// SNS error replies become typed ``AWSError``s; bad parameters fail before any request is sent.
final class SNSClientErrorTests: XCTestCase {
    // MARK: XML error replies

    func testPublish_notFoundReply_throwsTypedAWSErrorWithoutRetrying() async throws {
        let transport = StubTransport(responses: [.success(AWSHTTPResponse(status: 404, headers: ["Content-Type": "text/xml"],
                                                                        body: Array(SNSReplies.notFound.utf8)))])
        do {
            _ = try await makeSNSClient(transport).publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
            XCTAssertEqual(error.message, "Topic does not exist (TopicArn '\(snsTopicArn)')")
            XCTAssertEqual(error.statusCode, 404)
            XCTAssertEqual(error.requestId, "kY0KfrLkgpVUNLdXC31fgrSDIe8lhMPEy3OQ1Sn1LQ1Z5ghLFUKq", "from the body when no header has it")
            XCTAssertEqual(error.senderFault, true)
            XCTAssertEqual(error.service, "SNS")
            XCTAssertEqual(error.action, "Publish")
            XCTAssertFalse(error.isRetryable)
            XCTAssertEqual(error.description, "SNS Publish: NotFound (HTTP 404, request kY0KfrLkgpVUNLdXC31fgrSDIe8lhMPEy3OQ1Sn1LQ1Z5ghLFUKq): "
                + "Topic does not exist (TopicArn '\(snsTopicArn)')")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testCreateTopic_invalidParameterReply_throwsSenderFaultWithTheHeaderRequestId() async throws {
        let transport = StubTransport(responses: [.success(.snsXML(SNSReplies.invalidParameter, status: 400, requestId: "hdr-1"))])
        do {
            _ = try await makeSNSClient(transport).createTopic(name: "orders", attributes: [:])
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InvalidParameter")
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.requestId, "hdr-1")
            XCTAssertEqual(error.senderFault, true)
            XCTAssertEqual(error.action, "CreateTopic")
            XCTAssertTrue(error.message.hasPrefix("Topic names must be made up of only"), error.message)
            XCTAssertTrue(error.message.hasSuffix("256 characters long. (Name 'orders')"), error.message)
        }
    }

    func testGetTopicAttributes_internalErrorEveryTime_isRetriedThenThrownAsAReceiverFault() async throws {
        let environment = ManualEnvironment(jitter: 0.5)
        let transport = StubTransport(responses: [.success(AWSHTTPResponse(status: 500, body: Array(SNSReplies.internalError.utf8)))])
        do {
            _ = try await makeSNSClient(transport, environment: environment).getTopicAttributes(topicArn: snsTopicArn)
            XCTFail("expected an error")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InternalError")
            XCTAssertEqual(error.message, "An internal service error has occurred. (TopicArn '\(snsTopicArn)')")
            XCTAssertEqual(error.statusCode, 500)
            XCTAssertEqual(error.senderFault, false)
            XCTAssertEqual(error.requestId, "9d1b4e3a-2f6c-5a7d-8e9f-0a1b2c3d4e5f")
        }
        XCTAssertEqual(transport.requests.count, 3)
        XCTAssertEqual(environment.sleeps, [.milliseconds(500), .milliseconds(1000)])
    }

    func testPublish_throttledThenAccepted_retriesAndReturnsTheMessageId() async throws {
        let throttled = """
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttled</Code>\
            <Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>
            """
        let transport = StubTransport(responses: [.success(.snsXML(throttled, status: 429)), .success(.snsXML(SNSReplies.publish))])
        let result = try await makeSNSClient(transport).publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
        XCTAssertEqual(result.messageId, "8ed628a0-d7f9-4e62-b909-47845c5d862b")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(transport.requests[0].formText, transport.requests[1].formText, "the retry sends the same form")
    }

    func testPublish_failure_keepsTheSecretOutOfErrorsAndLogs() async throws {
        let sentinel = "SENTINEL-sns-secret-5f1c"
        let logs = InMemoryLogHandler()
        let transport = StubTransport(responses: [.success(.snsXML(SNSReplies.notFound, status: 404))])
        let sns = SNSClient(client: try AWSClient(
            service: "sns", region: "us-east-1", endpoint: "https://sns.us-east-1.amazonaws.com",
            credentialProvider: FixedCredentialProvider(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: sentinel,
                                                                       sessionToken: sentinel + "-token")),
            transport: transport, logger: Logger(label: "test", level: .trace, handler: logs),
            environment: ManualEnvironment().environment))
        var text = ""
        do {
            _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: "hi"))
        } catch {
            text += "\(error) \(String(reflecting: error))"
        }
        text += logs.records.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        XCTAssertFalse(text.isEmpty)
        XCTAssertFalse(text.contains(sentinel), "the secret or session token leaked")
    }

    // MARK: Validation before I/O

    /// Runs `call` and returns the validation error it threw, checking that nothing was sent.
    private func rejected(_ call: (SNSClient) async throws -> Void, file: StaticString = #filePath,
                          line: UInt = #line) async throws -> RequestValidationError? {
        let transport = StubTransport(responses: [.success(.snsXML(SNSReplies.publish))])
        defer { XCTAssertEqual(transport.requests.count, 0, "a request was sent", file: file, line: line) }
        do {
            try await call(try makeSNSClient(transport))
            XCTFail("expected a RequestValidationError", file: file, line: line)
            return nil
        } catch let error as RequestValidationError {
            XCTAssertEqual(error.service, "SNS", file: file, line: line)
            return error
        }
    }

    func testPublish_invalidRequests_areRejectedBeforeSending() async throws {
        var error = try await rejected { _ = try await $0.publish(PublishRequest(topicArn: snsTopicArn, message: "")) }
        XCTAssertEqual(error?.description, "SNS Publish: Message must not be empty")
        error = try await rejected { _ = try await $0.publish(PublishRequest(topicArn: "orders", message: "hi")) }
        XCTAssertEqual(error?.description, "SNS Publish: TopicArn must be a topic ARN (arn:aws:sns:region:account:name), got 'orders'")
        error = try await rejected {
            _ = try await $0.publish(PublishRequest(topicArn: snsTopicArn, message: String(repeating: "x", count: 262_140),
                                                    messageAttributes: ["media_type": .string("x")]))
        }
        XCTAssertEqual(error?.description, "SNS Publish: Message is 262157 bytes with attributes, over the 262144-byte limit")
        error = try await rejected {
            _ = try await $0.publish(PublishRequest(topicArn: snsTopicArn, message: "hi",
                                                    messageAttributes: ["blob": MessageAttributeValue(dataType: "Binary")]))
        }
        XCTAssertEqual(error?.description, "SNS Publish: message attribute 'blob' has no BinaryValue")
    }

    func testPublishBatch_invalidBatches_areRejectedBeforeSending() async throws {
        var error = try await rejected { _ = try await $0.publishBatch(topicArn: snsTopicArn, entries: []) }
        XCTAssertEqual(error?.description, "SNS PublishBatch: entries must hold 1 to 10 entries, got 0")
        error = try await rejected {
            _ = try await $0.publishBatch(topicArn: snsTopicArn, entries: (0...10).map { PublishBatchEntry(id: "e\($0)", message: "m") })
        }
        XCTAssertEqual(error?.description, "SNS PublishBatch: entries must hold 1 to 10 entries, got 11")
        error = try await rejected {
            _ = try await $0.publishBatch(topicArn: snsTopicArn, entries: [PublishBatchEntry(id: "same", message: "1"),
                                                                           PublishBatchEntry(id: "same", message: "2")])
        }
        XCTAssertEqual(error?.description, "SNS PublishBatch: entry id 'same' is used twice; batch entry ids must be distinct")
        error = try await rejected {
            _ = try await $0.publishBatch(topicArn: snsTopicArn, entries: [PublishBatchEntry(id: "a", message: "1"),
                                                                           PublishBatchEntry(id: "b", message: "")])
        }
        XCTAssertEqual(error?.description, "SNS PublishBatch: entry 'b' Message must not be empty")
        error = try await rejected {
            _ = try await $0.publishBatch(topicArn: snsTopicArn, entries: (0..<2).map {
                PublishBatchEntry(id: "e\($0)", message: String(repeating: "x", count: 140_000))
            })
        }
        XCTAssertEqual(error?.description, "SNS PublishBatch: PublishBatchRequestEntries total 280000 bytes exceeds 262144")
    }

    func testCreateTopic_invalidNamesAndFifoMismatches_areRejectedBeforeSending() async throws {
        var error = try await rejected { _ = try await $0.createTopic(name: "bad name!", attributes: [:]) }
        XCTAssertEqual(error?.description, "SNS CreateTopic: Name must be 1 to 256 letters, digits, '-' or '_' "
            + "(FIFO topics: ending in '.fifo'), got 'bad name!'")
        for name in ["", ".fifo", String(repeating: "a", count: 257), String(repeating: "a", count: 252) + ".fifo", "a.b"] {
            error = try await rejected { _ = try await $0.createTopic(name: name, attributes: [:]) }
            XCTAssertEqual(error?.parameter, "Name", name)
        }
        error = try await rejected { _ = try await $0.createTopic(name: "orders", attributes: ["FifoTopic": "true"]) }
        XCTAssertEqual(error?.description, "SNS CreateTopic: attribute 'FifoTopic' is 'true' but topic name 'orders' does not end in '.fifo'")
        error = try await rejected { _ = try await $0.createTopic(name: "orders.fifo", attributes: ["FifoTopic": "false"]) }
        XCTAssertEqual(error?.description, "SNS CreateTopic: attribute 'FifoTopic' is 'false' but topic name 'orders.fifo' ends in '.fifo'")
    }

    func testCreateTopic_longestNames_areAccepted() async throws {
        let transport = StubTransport(responses: [.success(.snsXML(SNSReplies.createTopic))])
        let sns = try makeSNSClient(transport)
        _ = try await sns.createTopic(name: String(repeating: "a", count: 256), attributes: [:])
        _ = try await sns.createTopic(name: String(repeating: "a", count: 251) + ".fifo", attributes: [:])
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testSubscribe_queueURLInsteadOfQueueArn_isRejectedBeforeSending() async throws {
        var error = try await rejected {
            _ = try await $0.subscribe(topicArn: snsTopicArn, protocol: "sqs",
                                       endpoint: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker", attributes: [:])
        }
        XCTAssertEqual(error?.description, "SNS Subscribe: Endpoint must be a queue ARN (arn:aws:sqs:region:account:name) for protocol sqs, "
            + "got 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker'")
        error = try await rejected {
            _ = try await $0.subscribe(topicArn: snsTopicArn, protocol: "", endpoint: "arn:aws:sqs:us-east-1:1:q", attributes: [:])
        }
        XCTAssertEqual(error?.description, "SNS Subscribe: Protocol must not be empty")
        error = try await rejected {
            _ = try await $0.subscribe(topicArn: "arn:aws:sns", protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:1:q", attributes: [:])
        }
        XCTAssertEqual(error?.parameter, "TopicArn")
    }

    func testTopicAndSubscriptionCalls_malformedArns_areRejectedBeforeSending() async throws {
        var error = try await rejected { try await $0.deleteTopic(topicArn: "orders") }
        XCTAssertEqual(error?.action, "DeleteTopic")
        error = try await rejected { _ = try await $0.getTopicAttributes(topicArn: "orders") }
        XCTAssertEqual(error?.action, "GetTopicAttributes")
        error = try await rejected { _ = try await $0.listSubscriptionsByTopic(topicArn: "orders") }
        XCTAssertEqual(error?.action, "ListSubscriptionsByTopic")
        error = try await rejected { try await $0.unsubscribe(subscriptionArn: snsTopicArn) }
        XCTAssertEqual(error?.description, "SNS Unsubscribe: SubscriptionArn must be a subscription ARN "
            + "(arn:aws:sns:region:account:topic:id), got '\(snsTopicArn)'")
    }
}
