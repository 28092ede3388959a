import MicrocosmAWS
import XCTest

final class RequestValidationTests: XCTestCase {
    private let queue = "http://127.0.0.1:5000/123456789012/things"
    private let topic = "arn:aws:sns:us-east-1:123456789012:things"

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testReceive_limits() {
        XCTAssertNil(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: queue, maxNumberOfMessages: 10, waitTimeSeconds: 20, visibilityTimeout: 43200)) })
        XCTAssertEqual(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: queue, maxNumberOfMessages: 11)) },
                       "SQS ReceiveMessage: MaxNumberOfMessages must be between 1 and 10, got 11")
        XCTAssertEqual(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: queue, maxNumberOfMessages: 0)) },
                       "SQS ReceiveMessage: MaxNumberOfMessages must be between 1 and 10, got 0")
        XCTAssertEqual(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: queue, waitTimeSeconds: 21)) },
                       "SQS ReceiveMessage: WaitTimeSeconds must be between 0 and 20, got 21")
        XCTAssertEqual(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: queue, visibilityTimeout: 43201)) },
                       "SQS ReceiveMessage: VisibilityTimeout must be between 0 and 43200, got 43201")
        XCTAssertEqual(message { try RequestValidation.check(ReceiveMessageRequest(queueURL: "things")) },
                       "SQS ReceiveMessage: QueueUrl must be an http(s) URL, got 'things'")
    }

    func testSend_sizesAndEmptiness() {
        XCTAssertEqual(message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: "")) },
                       "SQS SendMessage: MessageBody must not be empty")
        let limit = RequestValidation.maximumSQSMessageBytes
        XCTAssertNil(message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: String(repeating: "a", count: limit))) })
        XCTAssertEqual(message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: String(repeating: "a", count: limit - 3),
                                                                                messageAttributes: ["k": .string("v")])) },
                       "SQS SendMessage: MessageBody is 1048581 bytes with attributes, over the 1048576-byte limit")
        XCTAssertEqual(message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: "x", messageAttributes: ["k": MessageAttributeValue(dataType: "Blob")])) },
                       "SQS SendMessage: message attribute 'k' has unknown DataType 'Blob'")
        XCTAssertNil(message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: "x", messageAttributes: ["n": MessageAttributeValue(dataType: "Number.float", stringValue: "1.5")])) })
    }

    func testBatches_countAndDistinctIds() {
        let eleven = (0..<11).map { DeleteMessageBatchEntry(id: "e\($0)", receiptHandle: "r") }
        XCTAssertEqual(message { try RequestValidation.checkDeleteBatch(queueURL: queue, entries: eleven) },
                       "SQS DeleteMessageBatch: entries must hold 1 to 10 entries, got 11")
        XCTAssertEqual(message { try RequestValidation.checkDeleteBatch(queueURL: queue, entries: []) },
                       "SQS DeleteMessageBatch: entries must hold 1 to 10 entries, got 0")
        XCTAssertEqual(message { try RequestValidation.checkDeleteBatch(queueURL: queue, entries: [.init(id: "a", receiptHandle: "1"), .init(id: "a", receiptHandle: "2")]) },
                       "SQS DeleteMessageBatch: entry id 'a' is used twice; batch entry ids must be distinct")
        XCTAssertEqual(message { try RequestValidation.checkDeleteBatch(queueURL: queue, entries: [.init(id: "a b", receiptHandle: "1")]) },
                       "SQS DeleteMessageBatch: entry id 'a b' must be 1 to 80 letters, digits, '-' or '_'")
        XCTAssertEqual(message { try RequestValidation.checkChangeVisibilityBatch(queueURL: queue, entries: [.init(id: "a", receiptHandle: "1", visibilityTimeout: -1)]) },
                       "SQS ChangeMessageVisibilityBatch: VisibilityTimeout must be between 0 and 43200, got -1")
    }

    func testSendBatch_totalSizeIsLimited() {
        let big = String(repeating: "a", count: 200_000)
        let entries = (0..<6).map { SendMessageBatchEntry(id: "e\($0)", messageBody: big) }
        XCTAssertEqual(message { try RequestValidation.checkSendBatch(queueURL: queue, entries: entries) },
                       "SQS SendMessageBatch: entries total 1200000 bytes exceeds 1048576")
    }

    func testPublish_sizesTopicAndBatch() {
        XCTAssertEqual(message { try RequestValidation.check(PublishRequest(topicArn: topic, message: "")) },
                       "SNS Publish: Message must not be empty")
        XCTAssertEqual(message { try RequestValidation.check(PublishRequest(topicArn: "things", message: "x")) },
                       "SNS Publish: TopicArn must be a topic ARN (arn:aws:sns:region:account:name), got 'things'")
        let limit = RequestValidation.maximumSNSMessageBytes
        XCTAssertNil(message { try RequestValidation.check(PublishRequest(topicArn: topic, message: String(repeating: "a", count: limit))) })
        XCTAssertEqual(message { try RequestValidation.check(PublishRequest(topicArn: topic, message: String(repeating: "a", count: limit + 1))) },
                       "SNS Publish: Message is 262145 bytes with attributes, over the 262144-byte limit")
        let entries = (0..<2).map { PublishBatchEntry(id: "e\($0)", message: String(repeating: "a", count: 200_000)) }
        XCTAssertEqual(message { try RequestValidation.checkPublishBatch(topicArn: topic, entries: entries) },
                       "SNS PublishBatch: PublishBatchRequestEntries total 400000 bytes exceeds 262144")
    }

    func testTopicArn_needsArnPrefixAndSixColonSeparatedParts() {
        XCTAssertNil(message { try RequestValidation.checkTopicArn("arn:aws:sns:us-east-1:123456789012:things.fifo", action: "Publish") })
        XCTAssertNil(message { try RequestValidation.checkTopicArn("arn:::::", action: "Publish") })
        XCTAssertNil(message { try RequestValidation.checkTopicArn("arn:aws:sns:us-east-1:123456789012:things:extra", action: "Publish") })
        XCTAssertEqual(message { try RequestValidation.checkTopicArn("arn:aws:sns:us-east-1:things", action: "DeleteTopic") },
                       "SNS DeleteTopic: TopicArn must be a topic ARN (arn:aws:sns:region:account:name), got 'arn:aws:sns:us-east-1:things'")
        XCTAssertEqual(message { try RequestValidation.checkTopicArn("urn:aws:sns:us-east-1:123456789012:things", action: "Publish") },
                       "SNS Publish: TopicArn must be a topic ARN (arn:aws:sns:region:account:name), got 'urn:aws:sns:us-east-1:123456789012:things'")
    }

    func testAttributes_typeIsTheFirstSegment() {
        func check(_ dataType: String, service: String) -> String? {
            let attributes = ["k": MessageAttributeValue(dataType: dataType, stringValue: "v", binaryValue: [1])]
            if service == "SNS" { return message { try RequestValidation.check(PublishRequest(topicArn: topic, message: "x", messageAttributes: attributes)) } }
            return message { try RequestValidation.check(SendMessageRequest(queueURL: queue, messageBody: "x", messageAttributes: attributes)) }
        }
        for service in ["SNS", "SQS"] {
            for dataType in ["String", "Number", "Binary", "String.Array", "Number.float", "Binary.png", "String.a.b"] {
                XCTAssertNil(check(dataType, service: service), "\(service) \(dataType)")
            }
            let action = service == "SNS" ? "Publish" : "SendMessage"
            for dataType in ["", "string", "Strings", "Blob.String", "."] {
                XCTAssertEqual(check(dataType, service: service), "\(service) \(action): message attribute 'k' has unknown DataType '\(dataType)'")
            }
        }
        XCTAssertEqual(message { try RequestValidation.check(PublishRequest(topicArn: topic, message: "x", messageAttributes: ["b": MessageAttributeValue(dataType: "Binary.png", stringValue: "v")])) },
                       "SNS Publish: message attribute 'b' has no BinaryValue")
        XCTAssertEqual(message { try RequestValidation.check(PublishRequest(topicArn: topic, message: "x", messageAttributes: ["s": MessageAttributeValue(dataType: "String.Array", binaryValue: [1])])) },
                       "SNS Publish: message attribute 's' has no StringValue")
    }

    func testBaseDataType_equalsSplittingByCharacter() {
        for dataType in ["String", "Number", "Binary", "String.Array", "Number.float", "Binary.png", "String.a.b", "", ".", "..String",
                         "string", "Strings", "String ", " String", "Blob.String", "String.\u{301}x", "Str\u{301}ing", ".\u{301}String",
                         "Ñumber", "String\u{0}", "Number.", "Binary..x"] {
            XCTAssertEqual(RequestValidation.baseDataType(dataType), RequestValidation.baseDataTypeByCharacter(dataType), dataType)
        }
        XCTAssertEqual(RequestValidation.baseDataType("String.Array"), "String")
        XCTAssertEqual(RequestValidation.baseDataType("String.\u{301}x"), "String.\u{301}x")   // a combining mark makes ".\u{301}" no dot
    }

    func testARNPrefix_equalsHasPrefix() {
        for text in ["arn:aws:sns:us-east-1:123456789012:things", "arn:", "arn", "", "ARN:aws", "xarn:", "arn\u{301}:", "arn:\u{301}aws",
                     "arn:é", "arn:🙂", "arn:\r\n", "arn\r\n:", "a\u{301}rn:", "arn:\u{0}", "\u{212A}arn:", "arn;aws", "ar"] {
            XCTAssertEqual(RequestValidation.hasARNPrefix(text), text.hasPrefix("arn:"), text.debugDescription)
        }
    }
}
