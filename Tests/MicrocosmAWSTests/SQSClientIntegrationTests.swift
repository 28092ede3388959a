import AWSTestSupport
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import XCTest

/// `SQSClient` against a real emulator, moto or LocalStack (`scripts/test` starts one and sets its
/// endpoint variable; without one every test here skips, saying why). Each test makes its own
/// uniquely named queues and deletes them when it ends. What is asserted is what AWS documents:
/// codes, HTTP status and fault side of errors, not one emulator's wording or account.
final class SQSClientIntegrationTests: XCTestCase {
    private static let transport = CurlTransport(connectTimeout: .seconds(5))
    private var sqs: SQSClient!

    override func setUp() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let settings = AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                          credentialProvider: StaticCredentialProvider(Emulator.credentials))
        sqs = try SQSClient(settings: settings, transport: SQSClientIntegrationTests.transport,
                            logger: Logger(label: "sqs-integration", handler: InMemoryLogHandler()), readTimeout: .seconds(30))
    }

    /// Creates a uniquely named queue that is deleted when the test ends.
    private func makeQueue(_ prefix: String, fifo: Bool = false, attributes: [String: String] = [:]) async throws -> (name: String, url: String) {
        let name = Emulator.uniqueName(prefix) + (fifo ? ".fifo" : "")
        let url = try await sqs.createQueue(name: name, attributes: attributes)
        let sqs = self.sqs!
        addTeardownBlock { try? await sqs.deleteQueue(queueURL: url) }
        return (name, url)
    }

    private func receive(_ url: String, max: Int = 10, wait: Int = 1, visibility: Int? = nil) async throws -> [SQSMessage] {
        try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: max, waitTimeSeconds: wait,
                                                           visibilityTimeout: visibility))
    }

    private func awsError(_ call: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async -> AWSError? {
        do {
            try await call()
            XCTFail("expected an AWSError", file: file, line: line)
        } catch let error as AWSError {
            return error
        } catch {
            XCTFail("expected an AWSError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// Checks what AWS documents of a client error: the code, HTTP 400 and the sender's fault.
    private func assertSenderFault(_ error: AWSError?, _ code: AWSError.Code, action: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(error?.code, code, file: file, line: line)
        XCTAssertEqual(error?.statusCode, 400, file: file, line: line)
        XCTAssertEqual(error?.senderFault, true, file: file, line: line)
        XCTAssertEqual(error?.action, action, file: file, line: line)
    }

    // MARK: Queues

    func testQueueLifecycle_createWithAttributesGetURLGetAndSetAttributesPurgeAndDelete() async throws {
        let (name, url) = try await makeQueue("lifecycle", attributes: ["VisibilityTimeout": "45", "MessageRetentionPeriod": "3600"])
        let found = try await sqs.getQueueURL(queueName: name)
        XCTAssertEqual(found, url)

        var attributes = try await sqs.getQueueAttributes(queueURL: url, names: ["All"])
        XCTAssertEqual(attributes["VisibilityTimeout"], "45")
        XCTAssertEqual(attributes["MessageRetentionPeriod"], "3600")
        let queueArn = try XCTUnwrap(attributes["QueueArn"])
        let account = try XCTUnwrap(Emulator.account(of: queueArn), queueArn)
        XCTAssertNotNil(account.wholeMatch(of: /\d{12}/), "a 12-digit account id: \(queueArn)")
        XCTAssertEqual(queueArn, "arn:aws:sqs:\(Emulator.region):\(account):\(name)")
        XCTAssertTrue(url.hasSuffix("/\(account)/\(name)"), "the queue URL ends in account/name: \(url)")

        try await sqs.setQueueAttributes(queueURL: url, attributes: ["VisibilityTimeout": "10", "DelaySeconds": "0"])
        attributes = try await sqs.getQueueAttributes(queueURL: url, names: ["VisibilityTimeout"])
        XCTAssertEqual(attributes, ["VisibilityTimeout": "10"])

        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "to be purged"))
        try await sqs.purgeQueue(queueURL: url)
        let afterPurge = try await receive(url, wait: 0)
        XCTAssertEqual(afterPurge, [])

        try await sqs.deleteQueue(queueURL: url)
        let error = await awsError { _ = try await self.sqs.getQueueURL(queueName: name) }
        XCTAssertEqual(error?.code, .queueDoesNotExist)
    }

    func testFIFOQueue_createdWithAttributes_deliversAGroupInOrder() async throws {
        let (_, url) = try await makeQueue("fifo", fifo: true, attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        let attributes = try await sqs.getQueueAttributes(queueURL: url, names: ["FifoQueue", "ContentBasedDeduplication"])
        XCTAssertEqual(attributes, ["FifoQueue": "true", "ContentBasedDeduplication": "true"])

        var sequenceNumbers: [String] = []
        for index in 0..<3 {
            let result = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "message \(index)", messageGroupId: "g1",
                                                                      messageDeduplicationId: "d\(index)"))
            sequenceNumbers.append(try XCTUnwrap(result.sequenceNumber, "FIFO sends get a sequence number"))
        }
        XCTAssertEqual(Set(sequenceNumbers).count, 3)
        let batch = try await sqs.sendMessageBatch(queueURL: url, entries: (3..<6).map {
            SendMessageBatchEntry(id: "e\($0)", messageBody: "message \($0)", messageGroupId: "g1")
        })
        XCTAssertEqual(batch.failed, [])
        XCTAssertEqual(batch.successful.map(\.id), ["e3", "e4", "e5"])
        // Content-based deduplication: the same body again within the window is accepted but not enqueued twice.
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "message 5", messageGroupId: "g1"))

        let messages = try await receive(url)
        XCTAssertEqual(messages.map(\.body), (0..<6).map { "message \($0)" })
        XCTAssertEqual(Set(messages.compactMap(\.messageGroupId)), ["g1"])
    }

    // MARK: Messages

    func testSendReceiveDelete_roundTripsBodyAndAttributesWithMatchingDigests() async throws {
        let (_, url) = try await makeQueue("roundtrip")
        let attributes: [String: MessageAttributeValue] = [
            "media_type": .string("application/vnd.globality.pubsub._.created.foo"),
            "count": .number("42"),
            "blob": .binary([0, 1, 2, 255]),
            "price": MessageAttributeValue(dataType: "Number.float", stringValue: "1.5"),
        ]
        let body = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo", "uri": "http://things/é"}"#
        let sent = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: body, messageAttributes: attributes))
        XCTAssertEqual(sent.md5OfMessageBody, SQSMessageDigest.md5OfBody(body))
        XCTAssertEqual(sent.md5OfMessageAttributes, SQSMessageDigest.md5OfMessageAttributes(attributes))

        let messages = try await receive(url)
        let message = try XCTUnwrap(messages.first)
        XCTAssertEqual(messages.count, 1)
        XCTAssertEqual(message.messageId, sent.messageId)
        XCTAssertEqual(message.body, body)
        XCTAssertEqual(message.messageAttributes, attributes)
        XCTAssertEqual(message.receiveCount, 1)
        XCTAssertNotNil(message.attributes["SentTimestamp"])
        XCTAssertNoThrow(try message.verifyChecksums(queueURL: url))

        try await sqs.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)
        let afterDelete = try await receive(url, wait: 0, visibility: 0)
        XCTAssertEqual(afterDelete, [])
    }

    func testReceiveMessage_emptyQueue_returnsNoMessagesAfterTheWait() async throws {
        let (_, url) = try await makeQueue("empty")
        let messages = try await receive(url, wait: 1)
        XCTAssertEqual(messages, [])
    }

    func testSendMessageBatch_thenDeleteMessageBatch_reportsTheBadReceiptHandleAlone() async throws {
        let (_, url) = try await makeQueue("batch")
        let sent = try await sqs.sendMessageBatch(queueURL: url, entries: [
            SendMessageBatchEntry(id: "a", messageBody: "first"),
            SendMessageBatchEntry(id: "b", messageBody: "second", messageAttributes: ["k": .string("v")]),
            SendMessageBatchEntry(id: "c", messageBody: "third"),
        ])
        XCTAssertEqual(sent.successful.map(\.id), ["a", "b", "c"])
        XCTAssertEqual(sent.failed, [])
        XCTAssertNotNil(sent.successful[1].md5OfMessageAttributes)

        let messages = try await receive(url)
        XCTAssertEqual(Set(messages.map(\.body)), ["first", "second", "third"])
        var entries = messages.enumerated().map { DeleteMessageBatchEntry(id: "m\($0.offset)", receiptHandle: $0.element.receiptHandle) }
        entries.append(DeleteMessageBatchEntry(id: "bogus", receiptHandle: "not-a-receipt-handle"))
        let deleted = try await sqs.deleteMessageBatch(queueURL: url, entries: entries)
        XCTAssertEqual(deleted.successful, ["m0", "m1", "m2"])
        XCTAssertEqual(deleted.failed.map(\.id), ["bogus"])
        // The fault side of a batch entry is not asserted: LocalStack reports every failed entry as
        // SenderFault false (AWS and moto: true). EmulatorReplyTests keeps both replies.
        XCTAssertEqual(deleted.failed.first?.code, "ReceiptHandleIsInvalid")
        let attributes = try await sqs.getQueueAttributes(queueURL: url, names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        XCTAssertEqual(attributes, ["ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"])
    }

    func testChangeMessageVisibilityBatch_nacksGoodHandlesAndReportsTheBadOne() async throws {
        let (_, url) = try await makeQueue("visibility-batch", attributes: ["VisibilityTimeout": "60"])
        _ = try await sqs.sendMessageBatch(queueURL: url, entries: [SendMessageBatchEntry(id: "a", messageBody: "one"),
                                                                    SendMessageBatchEntry(id: "b", messageBody: "two")])
        let first = try await receive(url)
        XCTAssertEqual(first.count, 2)
        let result = try await sqs.changeMessageVisibilityBatch(queueURL: url, entries: [
            ChangeMessageVisibilityBatchEntry(id: "good0", receiptHandle: first[0].receiptHandle, visibilityTimeout: 0),
            ChangeMessageVisibilityBatchEntry(id: "bad", receiptHandle: "not-a-receipt-handle", visibilityTimeout: 0),
            ChangeMessageVisibilityBatchEntry(id: "good1", receiptHandle: first[1].receiptHandle, visibilityTimeout: 0),
        ])
        XCTAssertEqual(result.successful, ["good0", "good1"])
        XCTAssertEqual(result.failed.map(\.id), ["bad"])
        XCTAssertEqual(result.failed.first?.code, "ReceiptHandleIsInvalid")
        let again = try await receive(url)
        XCTAssertEqual(Set(again.map(\.messageId)), Set(first.map(\.messageId)), "both came back at once")
        XCTAssertEqual(again.compactMap(\.receiveCount), [2, 2])
    }

    func testNack_visibilityZero_messageComesBackWithReceiveCountTwo() async throws {
        let (_, url) = try await makeQueue("nack", attributes: ["VisibilityTimeout": "60"])
        let sent = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "retry me"))
        let firstReceive = try await receive(url)
        let first = try XCTUnwrap(firstReceive.first)
        XCTAssertEqual(first.receiveCount, 1)
        let hidden = try await receive(url, wait: 0)
        XCTAssertEqual(hidden, [], "invisible for the queue's 60 s")

        try await sqs.changeMessageVisibility(queueURL: url, receiptHandle: first.receiptHandle, visibilityTimeout: 0)
        let secondReceive = try await receive(url)
        let second = try XCTUnwrap(secondReceive.first)
        XCTAssertEqual(second.messageId, sent.messageId)
        XCTAssertEqual(second.receiveCount, 2)
        XCTAssertNotEqual(second.receiptHandle, first.receiptHandle, "each receive gets its own handle")
    }

    func testRedrive_afterMaxReceiveCount_movesTheMessageToTheDeadLetterQueue() async throws {
        let (_, dlq) = try await makeQueue("dlq")
        let dlqAttributes = try await sqs.getQueueAttributes(queueURL: dlq, names: ["QueueArn"])
        let dlqArn = try XCTUnwrap(dlqAttributes["QueueArn"])
        let policy = #"{"deadLetterTargetArn":"\#(dlqArn)","maxReceiveCount":"2"}"#
        let (_, url) = try await makeQueue("redriven", attributes: ["RedrivePolicy": policy, "VisibilityTimeout": "60"])
        let redrive = try await sqs.getQueueAttributes(queueURL: url, names: ["RedrivePolicy"])["RedrivePolicy"]
        let parsed = try JSONParser.parse(try XCTUnwrap(redrive))
        XCTAssertEqual(parsed["deadLetterTargetArn"]?.stringValue, dlqArn)
        XCTAssertEqual(parsed["maxReceiveCount"]?.intValue ?? parsed["maxReceiveCount"]?.stringValue.flatMap(Int.init), 2)

        let sent = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "poison"))
        for expectedCount in 1...2 {
            let received = try await receive(url, visibility: 0)
            let message = try XCTUnwrap(received.first, "receive \(expectedCount)")
            XCTAssertEqual(message.receiveCount, expectedCount)
        }
        let afterMax = try await receive(url, wait: 0)
        XCTAssertEqual(afterMax, [], "the third receive moves the message to the dead-letter queue")
        let fromDLQ = try await receive(dlq)
        let deadLettered = try XCTUnwrap(fromDLQ.first)
        XCTAssertEqual(deadLettered.messageId, sent.messageId)
        XCTAssertEqual(deadLettered.body, "poison")
    }

    // MARK: Errors

    func testMissingQueue_throwsNonExistentQueueNamingTheQueue() async throws {
        let name = Emulator.uniqueName("missing")
        let byName = await awsError { _ = try await self.sqs.getQueueURL(queueName: name) }
        assertSenderFault(byName, "AWS.SimpleQueueService.NonExistentQueue", action: "GetQueueUrl")
        XCTAssertTrue(byName?.message.hasSuffix("(QueueName '\(name)')") == true, byName?.message ?? "")

        let url = try Emulator.requireEndpoint() + "/\(try await Emulator.account())/\(name)"
        let byURL = await awsError { _ = try await self.sqs.receiveMessage(ReceiveMessageRequest(queueURL: url)) }
        assertSenderFault(byURL, "AWS.SimpleQueueService.NonExistentQueue", action: "ReceiveMessage")
        XCTAssertTrue(byURL?.message.hasSuffix("(QueueUrl '\(url)')") == true, byURL?.message ?? "")
    }

    func testBadParameters_areReportedByTheServiceAsTypedErrors() async throws {
        let (_, url) = try await makeQueue("bad-params", fifo: true, attributes: ["FifoQueue": "true"])
        let noGroup = await awsError { _ = try await self.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "x")) }
        assertSenderFault(noGroup, "MissingParameter", action: "SendMessage")
        XCTAssertTrue(noGroup?.message.hasSuffix("(QueueUrl '\(url)')") == true, noGroup?.message ?? "")

        let notFIFOName = Emulator.uniqueName("not-fifo")
        let fifoWithoutSuffix = await awsError { _ = try await self.sqs.createQueue(name: notFIFOName, attributes: ["FifoQueue": "true"]) }
        assertSenderFault(fifoWithoutSuffix, "InvalidParameterValue", action: "CreateQueue")
        XCTAssertTrue(fifoWithoutSuffix?.message.hasSuffix("(QueueName '\(notFIFOName)')") == true, fifoWithoutSuffix?.message ?? "")

        let unknownAttribute = await awsError { _ = try await self.sqs.getQueueAttributes(queueURL: url, names: ["Nope"]) }
        assertSenderFault(unknownAttribute, "InvalidAttributeName", action: "GetQueueAttributes")

        let badHandle = await awsError {
            try await self.sqs.changeMessageVisibility(queueURL: url, receiptHandle: "not-a-receipt-handle", visibilityTimeout: 0)
        }
        assertSenderFault(badHandle, "ReceiptHandleIsInvalid", action: "ChangeMessageVisibility")
        XCTAssertTrue(badHandle?.message.hasSuffix("(QueueUrl '\(url)')") == true, badHandle?.message ?? "")
    }
}
