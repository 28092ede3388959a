import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// How `SQSClient` reads replies: messages, digests, batch results (nothing dropped) and unusable replies.
final class SQSClientReplyTests: XCTestCase {
    // MARK: ReceiveMessage

    func testReceiveMessage_readsMessagesWithSystemAndMessageAttributes() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Messages": [{"MessageId": "m-1", "ReceiptHandle": "rh-1", "MD5OfBody": "49f68a5c8493ec2c0bf489821c21fc3b", "Body": "hi",
              "Attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1795965353320", "MessageGroupId": "g"},
              "MD5OfMessageAttributes": "88e85202274170abb5eef8b3c5a3551d",
              "MessageAttributes": {"b": {"BinaryValue": "SGVsbG8gYmluYXJ5IHdvcmxkIQ==", "DataType": "Binary"},
                                    "s": {"StringValue": "v", "DataType": "String"}}},
             {"MessageId": "m-2", "ReceiptHandle": "rh-2", "Body": "second"}]}
            """#))
        let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, maxNumberOfMessages: 10))
        XCTAssertEqual(messages.count, 2)
        let first = messages[0]
        XCTAssertEqual(first.messageId, "m-1")
        XCTAssertEqual(first.receiptHandle, "rh-1")
        XCTAssertEqual(first.body, "hi")
        XCTAssertEqual(first.md5OfBody, "49f68a5c8493ec2c0bf489821c21fc3b")
        XCTAssertEqual(first.receiveCount, 2)
        XCTAssertEqual(first.messageGroupId, "g")
        XCTAssertEqual(first.attributes["SentTimestamp"], "1795965353320")
        XCTAssertEqual(first.messageAttributes, ["b": .binary(Array("Hello binary world!".utf8)), "s": .string("v")])
        XCTAssertEqual(first.md5OfMessageAttributes, "88e85202274170abb5eef8b3c5a3551d")
        XCTAssertNoThrow(try first.verifyChecksums(), "the decoded attributes hash to what the service reported")
        XCTAssertEqual(messages[1], SQSMessage(messageId: "m-2", receiptHandle: "rh-2", body: "second"))
    }

    func testReceiveMessage_whenMessagesIsAbsent_returnsNoMessages() async throws {
        for reply in ["{}", "", #"{"Messages":null}"#, #"{"Messages":[]}"#] {
            let sqs = try makeSQSClient(sqsReply(reply))
            let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue))
            XCTAssertEqual(messages, [], "reply \(reply)")
        }
    }

    func testReceiveMessage_messageWithoutReceiptHandle_throwsNamingQueueAndMessage() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Messages":[{"MessageId":"m-1","Body":"hi"}]}"#))
        do {
            _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue))
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertEqual("\(error)", "SQS ReceiveMessage for QueueUrl '\(sqsTestQueue)': unusable reply: message m-1 has no ReceiptHandle")
        }
    }

    func testReceiveMessage_binaryValueThatIsNotBase64_throws() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Messages":[{"MessageId":"m-1","ReceiptHandle":"rh","Body":"hi","#
            + #""MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"***"}}}]}"#))
        do {
            _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue))
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertEqual(error.detail, "message m-1 message attribute b has a BinaryValue that is not base64")
        }
    }

    func testAnyCall_replyThatIsNotJSON_throwsResponseError() async throws {
        let sqs = try makeSQSClient(sqsReply("<html>proxy says hello</html>"))
        do {
            try await sqs.purgeQueue(queueURL: sqsTestQueue)
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertEqual(error.action, "PurgeQueue")
            XCTAssertEqual(error.subject, "QueueUrl '\(sqsTestQueue)'")
            XCTAssertTrue(error.detail.hasPrefix("not JSON ("), error.detail)
            XCTAssertTrue(error.detail.hasSuffix("<html>proxy says hello</html>"), error.detail)
        }
    }

    func testAnyCall_replyThatIsNotJSON_andEchoesTheAuthorization_quotesItWithoutSignatureOrKeyId() async throws {
        let echo = "<html>proxy saw Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7</html>"
        let sqs = try makeSQSClient(sqsReply(echo))
        do {
            try await sqs.purgeQueue(queueURL: sqsTestQueue)
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertTrue(error.detail.hasSuffix("Credential=<redacted>, SignedHeaders=host, Signature=<redacted></html>"), error.detail)
            XCTAssertFalse("\(error)".contains("AKIAIOSFODNN7EXAMPLE"))
        }
    }

    // MARK: SendMessage

    func testSendMessage_returnsIdsDigestsAndSequenceNumber() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"MD5OfMessageBody":"49f68a5c8493ec2c0bf489821c21fc3b","#
            + #""MD5OfMessageAttributes":"19e27d4e946b072f3f58da80d94fd778","MessageId":"m-1","SequenceNumber":"1000"}"#))
        let result = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "hi",
                                                                  messageAttributes: ["attribName1": .string("attribValue 1")]))
        XCTAssertEqual(result, SendMessageResult(messageId: "m-1", md5OfMessageBody: "49f68a5c8493ec2c0bf489821c21fc3b",
                                                 md5OfMessageAttributes: "19e27d4e946b072f3f58da80d94fd778", sequenceNumber: "1000"))
    }

    func testSendMessage_bodyDigestDiffers_throwsChecksumErrorNamingQueueAndMessage() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"MD5OfMessageBody":"d41d8cd98f00b204e9800998ecf8427e","MessageId":"m-1"}"#))
        do {
            _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "test"))
            XCTFail("expected an error")
        } catch let error as SQSChecksumError {
            XCTAssertEqual("\(error)", "SQS SendMessage to QueueUrl '\(sqsTestQueue)': MD5OfMessageBody of message m-1 is "
                + "'d41d8cd98f00b204e9800998ecf8427e', expected '098f6bcd4621d373cade4e832627b4f6'")
        }
    }

    func testSendMessage_attributesSentButNoAttributesDigest_throwsChecksumError() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"MD5OfMessageBody":"098f6bcd4621d373cade4e832627b4f6","MessageId":"m-1"}"#))
        do {
            _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "test",
                                                             messageAttributes: ["attribName1": .string("attribValue 1")]))
            XCTFail("expected an error")
        } catch let error as SQSChecksumError {
            XCTAssertEqual(error.field, "MD5OfMessageAttributes")
            XCTAssertNil(error.reported)
            XCTAssertEqual(error.expected, "19e27d4e946b072f3f58da80d94fd778")
            XCTAssertTrue("\(error)".hasSuffix("MD5OfMessageAttributes of message m-1 is missing from the reply, "
                + "expected '19e27d4e946b072f3f58da80d94fd778'"), "\(error)")
        }
    }

    func testSendMessage_noBodyDigestInReply_throwsChecksumError() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"MessageId":"m-1"}"#))
        do {
            _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "test"))
            XCTFail("expected an error")
        } catch let error as SQSChecksumError {
            XCTAssertEqual(error.field, "MD5OfMessageBody")
            XCTAssertNil(error.reported)
        }
    }

    func testSendMessage_replyWithoutMessageId_throwsResponseError() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"MD5OfMessageBody":"098f6bcd4621d373cade4e832627b4f6"}"#))
        do {
            _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "test"))
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertEqual(error.detail, #"no MessageId in {"MD5OfMessageBody":"098f6bcd4621d373cade4e832627b4f6"}"#)
        }
    }

    // MARK: Batches

    private let batch = [
        SendMessageBatchEntry(id: "one", messageBody: "test"),
        SendMessageBatchEntry(id: "two", messageBody: "hi", messageAttributes: ["attribName1": .string("attribValue 1")]),
        SendMessageBatchEntry(id: "three", messageBody: "abc"),
    ]

    func testSendMessageBatch_sortsEntriesIntoSuccessfulAndFailedInRequestOrder() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Successful": [{"Id": "three", "MessageId": "m-3", "MD5OfMessageBody": "900150983cd24fb0d6963f7d28e17f72"},
                            {"Id": "two", "MessageId": "m-2", "MD5OfMessageBody": "49f68a5c8493ec2c0bf489821c21fc3b",
                             "MD5OfMessageAttributes": "19e27d4e946b072f3f58da80d94fd778", "SequenceNumber": "7"}],
             "Failed": [{"Id": "one", "SenderFault": true, "Code": "InvalidParameterValue", "Message": "nope"}]}
            """#))
        let result = try await sqs.sendMessageBatch(queueURL: sqsTestQueue, entries: batch)
        XCTAssertEqual(result.successful, [
            SendMessageBatchResultEntry(id: "two", messageId: "m-2", md5OfMessageBody: "49f68a5c8493ec2c0bf489821c21fc3b",
                                        sequenceNumber: "7", md5OfMessageAttributes: "19e27d4e946b072f3f58da80d94fd778"),
            SendMessageBatchResultEntry(id: "three", messageId: "m-3", md5OfMessageBody: "900150983cd24fb0d6963f7d28e17f72"),
        ])
        XCTAssertEqual(result.failed, [BatchResultError(id: "one", code: "InvalidParameterValue", message: "nope", senderFault: true)])
        XCTAssertFalse(result.allSucceeded)
    }

    func testSendMessageBatch_entryTheReplyDoesNotMention_isReportedFailed() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Successful": [{"Id": "three", "MessageId": "m-3", "#
            + #""MD5OfMessageBody": "900150983cd24fb0d6963f7d28e17f72"}]}"#))
        let result = try await sqs.sendMessageBatch(queueURL: sqsTestQueue, entries: batch)
        XCTAssertEqual(result.successful.map(\.id), ["three"])
        XCTAssertEqual(result.failed.map(\.id), ["one", "two"])
        XCTAssertEqual(result.failed.first, BatchResultError(
            id: "one", code: SQSClient.missingFromReplyCode,
            message: "the SQS SendMessageBatch reply for QueueUrl '\(sqsTestQueue)' lists entry 'one' as neither successful nor failed; "
                + "its outcome is unknown", senderFault: false))
    }

    func testSendMessageBatch_entryWithAWrongDigest_isReportedFailedAsChecksumMismatch() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Successful": [{"Id": "one", "MessageId": "m-1", "MD5OfMessageBody": "098f6bcd4621d373cade4e832627b4f6"},
                            {"Id": "two", "MessageId": "m-2", "MD5OfMessageBody": "49f68a5c8493ec2c0bf489821c21fc3b",
                             "MD5OfMessageAttributes": "00000000000000000000000000000000"},
                            {"Id": "three", "MessageId": "m-3", "MD5OfMessageBody": "900150983cd24fb0d6963f7d28e17f72"}]}
            """#))
        let result = try await sqs.sendMessageBatch(queueURL: sqsTestQueue, entries: batch)
        XCTAssertEqual(result.successful.map(\.id), ["one", "three"])
        XCTAssertEqual(result.failed, [BatchResultError(
            id: "two", code: SQSClient.checksumMismatchCode,
            message: "SQS SendMessageBatch to QueueUrl '\(sqsTestQueue)': entry 'two': MD5OfMessageAttributes of message m-2 is "
                + "'00000000000000000000000000000000', expected '19e27d4e946b072f3f58da80d94fd778'", senderFault: false)])
    }

    func testSendMessageBatch_successfulEntryWithoutMessageId_isReportedFailed() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Successful": [{"Id": "one", "MD5OfMessageBody": "098f6bcd4621d373cade4e832627b4f6"}]}"#))
        let result = try await sqs.sendMessageBatch(queueURL: sqsTestQueue, entries: [batch[0]])
        XCTAssertEqual(result.successful, [])
        XCTAssertEqual(result.failed.map(\.code), [SQSClient.missingFromReplyCode])
        XCTAssertTrue(result.failed[0].message?.contains("gives no MessageId") == true)
    }

    func testDeleteMessageBatch_readsMotoSenderFaultAsStringAndBoolean() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Successful": [{"Id": "a"}],
             "Failed": [{"Id": "b", "SenderFault": "true", "Code": "ReceiptHandleIsInvalid", "Message": "bad handle"},
                        {"Id": "c", "SenderFault": false, "Code": "InternalError"}]}
            """#))
        let result = try await sqs.deleteMessageBatch(queueURL: sqsTestQueue, entries: ["a", "b", "c"].map {
            DeleteMessageBatchEntry(id: $0, receiptHandle: "rh-\($0)")
        })
        XCTAssertEqual(result.successful, ["a"])
        XCTAssertEqual(result.failed, [BatchResultError(id: "b", code: "ReceiptHandleIsInvalid", message: "bad handle", senderFault: true),
                                       BatchResultError(id: "c", code: "InternalError", senderFault: false)])
    }

    func testDeleteMessageBatch_emptyReply_failsEveryEntry() async throws {
        let sqs = try makeSQSClient(sqsReply("{}"))
        let result = try await sqs.deleteMessageBatch(queueURL: sqsTestQueue, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: "rh")])
        XCTAssertEqual(result.successful, [])
        XCTAssertEqual(result.failed.map(\.code), [SQSClient.missingFromReplyCode])
    }

    func testChangeMessageVisibilityBatch_replyEntriesForIdsNotSent_areLoggedAndIgnored() async throws {
        let logs = InMemoryLogHandler()
        let sqs = try makeSQSClient(sqsReply(#"{"Successful": [{"Id": "a"}, {"Id": "zzz"}], "Failed": [{"Code": "X"}]}"#), logs: logs)
        let result = try await sqs.changeMessageVisibilityBatch(
            queueURL: sqsTestQueue, entries: [ChangeMessageVisibilityBatchEntry(id: "a", receiptHandle: "rh", visibilityTimeout: 0)])
        XCTAssertEqual(result, BatchResult(successful: ["a"]))
        let warnings = logs.records.filter { $0.level == .warning }.map(\.message)
        XCTAssertEqual(warnings, ["SQS ChangeMessageVisibilityBatch for QueueUrl '\(sqsTestQueue)': ignored reply entries that match no "
            + #"entry sent: {"Code":"X"}, zzz"#])
    }

    func testBatch_entryBothFailedAndSuccessful_isReportedFailed() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Successful": [{"Id": "a"}], "Failed": [{"Id": "a", "SenderFault": true, "Code": "X"}]}"#))
        let result = try await sqs.deleteMessageBatch(queueURL: sqsTestQueue, entries: [DeleteMessageBatchEntry(id: "a", receiptHandle: "rh")])
        XCTAssertEqual(result.successful, [])
        XCTAssertEqual(result.failed.map(\.code), ["X"])
    }

    // MARK: Queues

    func testCreateQueueAndGetQueueURL_returnTheQueueURL() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"QueueUrl": "http://127.0.0.1:5000/123456789012/things"}"#))
        let created = try await sqs.createQueue(name: "things", attributes: [:])
        let found = try await sqs.getQueueURL(queueName: "things")
        XCTAssertEqual(created, "http://127.0.0.1:5000/123456789012/things")
        XCTAssertEqual(found, "http://127.0.0.1:5000/123456789012/things")
    }

    func testGetQueueURL_replyWithoutQueueUrl_throwsNamingTheQueueName() async throws {
        let sqs = try makeSQSClient(sqsReply("{}"))
        do {
            _ = try await sqs.getQueueURL(queueName: "things")
            XCTFail("expected an error")
        } catch let error as SQSResponseError {
            XCTAssertEqual("\(error)", "SQS GetQueueUrl for QueueName 'things': unusable reply: no QueueUrl in {}")
        }
    }

    func testGetQueueAttributes_readsTheMapAndAnEmptyReply() async throws {
        let sqs = try makeSQSClient(sqsReply(#"{"Attributes": {"VisibilityTimeout": "30", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:things"}}"#))
        let attributes = try await sqs.getQueueAttributes(queueURL: sqsTestQueue, names: ["All"])
        XCTAssertEqual(attributes, ["VisibilityTimeout": "30", "QueueArn": "arn:aws:sqs:us-east-1:123456789012:things"])
        let empty = try await makeSQSClient(sqsReply("{}")).getQueueAttributes(queueURL: sqsTestQueue, names: ["All"])
        XCTAssertEqual(empty, [:])
    }
}
