import AWSTestSupport
import MicrocosmAWS
import XCTest

/// Bad parameters fail with a ``RequestValidationError`` before any request is sent.
final class SQSClientValidationTests: XCTestCase {
    private func rejection(_ call: (SQSClient) async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let transport = sqsReply("{}")
        let sqs = try makeSQSClient(transport)
        var description = "no error"
        do {
            try await call(sqs)
        } catch let error as RequestValidationError {
            description = "\(error)"
        }
        XCTAssertEqual(transport.requests.count, 0, "nothing may be sent: \(description)", file: file, line: line)
        return description
    }

    func testReceiveMessage_outOfRangeParameters_areRejectedBeforeSending() async throws {
        var text = try await rejection { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, maxNumberOfMessages: 11)) }
        XCTAssertEqual(text, "SQS ReceiveMessage: MaxNumberOfMessages must be between 1 and 10, got 11")
        text = try await rejection { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, waitTimeSeconds: 21)) }
        XCTAssertEqual(text, "SQS ReceiveMessage: WaitTimeSeconds must be between 0 and 20, got 21")
        text = try await rejection { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, visibilityTimeout: -1)) }
        XCTAssertEqual(text, "SQS ReceiveMessage: VisibilityTimeout must be between 0 and 43200, got -1")
        text = try await rejection { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: "things")) }
        XCTAssertEqual(text, "SQS ReceiveMessage: QueueUrl must be an http(s) URL, got 'things'")
        text = try await rejection { _ = try await $0.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, attributeNames: [""])) }
        XCTAssertEqual(text, "SQS ReceiveMessage: attribute names must not contain an empty name")
    }

    func testSendCalls_emptyOversizeAndDelay_areRejectedBeforeSending() async throws {
        var text = try await rejection { _ = try await $0.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "")) }
        XCTAssertEqual(text, "SQS SendMessage: MessageBody must not be empty")
        let big = String(repeating: "a", count: RequestValidation.maximumSQSMessageBytes + 1)
        text = try await rejection { _ = try await $0.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: big)) }
        XCTAssertEqual(text, "SQS SendMessage: MessageBody is 1048577 bytes with attributes, over the 1048576-byte limit")
        text = try await rejection { _ = try await $0.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "x", delaySeconds: 901)) }
        XCTAssertEqual(text, "SQS SendMessage: DelaySeconds must be between 0 and 900, got 901")
        text = try await rejection {
            _ = try await $0.sendMessageBatch(queueURL: sqsTestQueue, entries: (0...10).map { SendMessageBatchEntry(id: "e\($0)", messageBody: "x") })
        }
        XCTAssertEqual(text, "SQS SendMessageBatch: entries must hold 1 to 10 entries, got 11")
        text = try await rejection {
            _ = try await $0.sendMessageBatch(queueURL: sqsTestQueue, entries: [SendMessageBatchEntry(id: "a", messageBody: "x"),
                                                                               SendMessageBatchEntry(id: "a", messageBody: "y")])
        }
        XCTAssertEqual(text, "SQS SendMessageBatch: entry id 'a' is used twice; batch entry ids must be distinct")
    }

    func testDeleteAndVisibilityCalls_badEntries_areRejectedBeforeSending() async throws {
        var text = try await rejection { _ = try await $0.deleteMessageBatch(queueURL: sqsTestQueue, entries: []) }
        XCTAssertEqual(text, "SQS DeleteMessageBatch: entries must hold 1 to 10 entries, got 0")
        text = try await rejection {
            _ = try await $0.deleteMessageBatch(queueURL: sqsTestQueue, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: "")])
        }
        XCTAssertEqual(text, "SQS DeleteMessageBatch: entry 'a' ReceiptHandle must not be empty")
        text = try await rejection { try await $0.deleteMessage(queueURL: sqsTestQueue, receiptHandle: "") }
        XCTAssertEqual(text, "SQS DeleteMessage: ReceiptHandle must not be empty")
        text = try await rejection { try await $0.changeMessageVisibility(queueURL: sqsTestQueue, receiptHandle: "rh", visibilityTimeout: 43201) }
        XCTAssertEqual(text, "SQS ChangeMessageVisibility: VisibilityTimeout must be between 0 and 43200, got 43201")
        text = try await rejection {
            _ = try await $0.changeMessageVisibilityBatch(queueURL: sqsTestQueue, entries: [
                ChangeMessageVisibilityBatchEntry(id: "bad id", receiptHandle: "rh", visibilityTimeout: 1)])
        }
        XCTAssertEqual(text, "SQS ChangeMessageVisibilityBatch: entry id 'bad id' must be 1 to 80 letters, digits, '-' or '_'")
        text = try await rejection {
            _ = try await $0.changeMessageVisibilityBatch(queueURL: sqsTestQueue, entries: [
                ChangeMessageVisibilityBatchEntry(id: "a", receiptHandle: "", visibilityTimeout: 1)])
        }
        XCTAssertEqual(text, "SQS ChangeMessageVisibilityBatch: entry 'a' ReceiptHandle must not be empty")
    }

    func testQueueCalls_badNamesURLsAndAttributes_areRejectedBeforeSending() async throws {
        var text = try await rejection { _ = try await $0.createQueue(name: "has space", attributes: [:]) }
        XCTAssertEqual(text, "SQS CreateQueue: QueueName must be 1 to 80 letters, digits, '-' or '_' (plus '.fifo' for a FIFO queue), got 'has space'")
        text = try await rejection { _ = try await $0.createQueue(name: String(repeating: "q", count: 81), attributes: [:]) }
        XCTAssertTrue(text.hasPrefix("SQS CreateQueue: QueueName must be 1 to 80"), text)
        text = try await rejection { _ = try await $0.createQueue(name: ".fifo", attributes: [:]) }
        XCTAssertTrue(text.hasPrefix("SQS CreateQueue: QueueName must be"), text)
        text = try await rejection { _ = try await $0.getQueueURL(queueName: "") }
        XCTAssertTrue(text.hasPrefix("SQS GetQueueUrl: QueueName must be"), text)
        text = try await rejection { try await $0.deleteQueue(queueURL: "sqs://things") }
        XCTAssertEqual(text, "SQS DeleteQueue: QueueUrl must be an http(s) URL, got 'sqs://things'")
        text = try await rejection { try await $0.purgeQueue(queueURL: "") }
        XCTAssertEqual(text, "SQS PurgeQueue: QueueUrl must be an http(s) URL, got ''")
        text = try await rejection { try await $0.setQueueAttributes(queueURL: sqsTestQueue, attributes: [:]) }
        XCTAssertEqual(text, "SQS SetQueueAttributes: Attributes must not be empty")
        text = try await rejection { _ = try await $0.getQueueAttributes(queueURL: sqsTestQueue, names: [""]) }
        XCTAssertEqual(text, "SQS GetQueueAttributes: AttributeNames must not contain an empty name")
    }

    func testQueueNames_fifoSuffixAndEightyCharacters_areAccepted() throws {
        XCTAssertNoThrow(try RequestValidation.checkQueueName("orders-1_a.fifo", action: "CreateQueue"))
        XCTAssertNoThrow(try RequestValidation.checkQueueName(String(repeating: "q", count: 75) + ".fifo", action: "CreateQueue"))
        XCTAssertThrowsError(try RequestValidation.checkQueueName(String(repeating: "q", count: 76) + ".fifo", action: "CreateQueue"))
        XCTAssertThrowsError(try RequestValidation.checkQueueName("a.b", action: "CreateQueue"))
    }
}
