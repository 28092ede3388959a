import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// Where moto 5.2 and LocalStack 2026.3 answer the same request differently (from each other or from
/// AWS), the integration suite asserts only what AWS documents; these tests replay each emulator's
/// captured reply (trimmed of request ids) and pin what the clients make of it. The README's table of
/// emulator differences lists the same cases.
final class EmulatorReplyTests: XCTestCase {
    private struct NoError: Error {}

    private func snsError(_ reply: String, file: StaticString = #filePath, line: UInt = #line,
                          _ call: (SNSClient) async throws -> Void) async throws -> (AWSError, StubTransport) {
        let transport = StubTransport(responses: [.success(.snsXML(reply, status: 400))])
        do {
            try await call(try makeSNSClient(transport))
        } catch let error as AWSError {
            return (error, transport)
        }
        XCTFail("expected an AWSError", file: file, line: line)
        throw NoError()
    }

    // MARK: DeleteMessageBatch with a bad receipt handle

    /// The same DeleteMessageBatch (a good handle and "not-a-receipt-handle"): moto marks the bad
    /// entry as the sender's fault, as AWS does; LocalStack marks every failed entry SenderFault false.
    private let deleteBatchEntries = [DeleteMessageBatchEntry(id: "good", receiptHandle: "rh-good"),
                                      DeleteMessageBatchEntry(id: "bogus", receiptHandle: "not-a-receipt-handle")]

    func testDeleteMessageBatch_motoBadHandle_isReportedFailedAsTheSendersFault() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Successful": [{"Id": "good"}], "Failed": [{"Id": "bogus", "SenderFault": true, "Code": "ReceiptHandleIsInvalid", "Message": "The input receipt handle \"not-a-receipt-handle\" is not a valid receipt handle."}]}
            """#))
        let result = try await sqs.deleteMessageBatch(queueURL: sqsTestQueue, entries: deleteBatchEntries)
        XCTAssertEqual(result.successful, ["good"])
        XCTAssertEqual(result.failed.map(\.id), ["bogus"])
        XCTAssertEqual(result.failed.first?.code, "ReceiptHandleIsInvalid")
        XCTAssertEqual(result.failed.first?.senderFault, true)
    }

    func testDeleteMessageBatch_localStackBadHandle_isReportedFailedWithTheFaultSideItGives() async throws {
        let sqs = try makeSQSClient(sqsReply(#"""
            {"Successful": [{"Id": "good"}], "Failed": [{"Id": "bogus", "SenderFault": false, "Code": "ReceiptHandleIsInvalid", "Message": "The input receipt handle \"not-a-receipt-handle\" is not a valid receipt handle."}]}
            """#))
        let result = try await sqs.deleteMessageBatch(queueURL: sqsTestQueue, entries: deleteBatchEntries)
        XCTAssertEqual(result.successful, ["good"])
        XCTAssertEqual(result.failed.map(\.id), ["bogus"])
        XCTAssertEqual(result.failed.first?.code, "ReceiptHandleIsInvalid")
        XCTAssertEqual(result.failed.first?.senderFault, false, "reported as the service gave it")
    }

    // MARK: PublishBatch, FIFO entry without a deduplication id

    /// A FIFO topic without content-based deduplication, entries "good" (with a deduplication id) and
    /// "bad" (without).
    private let fifoTopicArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo"
    private var fifoEntries: [PublishBatchEntry] {
        [PublishBatchEntry(id: "good", message: "one", messageGroupId: "g", messageDeduplicationId: "d-1"),
         PublishBatchEntry(id: "bad", message: "two", messageGroupId: "g")]
    }

    func testPublishBatch_fifoEntryWithoutDeduplicationId_motoFailsTheEntryAlone() async throws {
        let transport = StubTransport(responses: [.success(.snsXML("""
            <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>good</Id><MessageId>e93b374f-fca3-42b9-b596-00eddd5f64cb</MessageId></member></Successful><Failed><member><Id>bad</Id><Code>InvalidParameter</Code><Message>The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly</Message><SenderFault>true</SenderFault></member></Failed></PublishBatchResult><ResponseMetadata><RequestId>moto</RequestId></ResponseMetadata></PublishBatchResponse>
            """))])
        let result = try await makeSNSClient(transport).publishBatch(topicArn: fifoTopicArn, entries: fifoEntries)
        XCTAssertEqual(result.successful.map(\.id), ["good"])
        XCTAssertEqual(result.failed, [BatchResultError(id: "bad", code: "InvalidParameter", message: "The topic should either have "
            + "ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", senderFault: true)])
    }

    /// What AWS does (LocalStack's snapshot tests recorded it against AWS) and LocalStack does too.
    func testPublishBatch_fifoEntryWithoutDeduplicationId_localStackAndAWSRefuseTheWholeCall() async throws {
        let (error, transport) = try await snsError("""
            <?xml version='1.0' encoding='utf-8'?>
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Code>InvalidParameter</Code><Message>Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly</Message><Type>Sender</Type></Error><RequestId>c22479d5-5de1-4ab3-a907-f7afd80d7ecc</RequestId></ErrorResponse>
            """) { _ = try await $0.publishBatch(topicArn: self.fifoTopicArn, entries: self.fifoEntries) }
        XCTAssertEqual(error.code, "InvalidParameter")
        XCTAssertEqual(error.statusCode, 400)
        XCTAssertEqual(error.senderFault, true)
        XCTAssertEqual(error.action, "PublishBatch")
        XCTAssertTrue(error.message.hasSuffix("(TopicArn '\(fifoTopicArn)')"), error.message)
        XCTAssertEqual(transport.requests.count, 1, "a sender fault is not retried")
    }

    // MARK: Publish, FIFO topic without MessageGroupId

    func testPublish_fifoWithoutMessageGroupId_eachEmulatorsCode_isASenderFault() async throws {
        let replies = [
            ("InvalidParameter", """
                <?xml version='1.0' encoding='utf-8'?>
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Code>InvalidParameter</Code><Message>Invalid parameter: The MessageGroupId parameter is required for FIFO topics</Message><Type>Sender</Type></Error><RequestId>63766b2a-971a-4163-8f96-ccedc2a8acf4</RequestId></ErrorResponse>
                """),   // AWS and LocalStack
            ("MissingParameter", """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>MissingParameter</Code><Message>The request must contain the parameter MessageGroupId.</Message></Error><RequestId>moto</RequestId></ErrorResponse>
                """),   // moto
        ]
        for (code, reply) in replies {
            let (error, transport) = try await snsError(reply) {
                _ = try await $0.publish(PublishRequest(topicArn: self.fifoTopicArn, message: "no group", messageDeduplicationId: "d-2"))
            }
            XCTAssertEqual(error.code.rawValue, code)
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.senderFault, true, code)
            XCTAssertEqual(transport.requests.count, 1, "\(code): a sender fault is not retried")
        }
    }

    // MARK: Publish, a Number attribute that is not a number

    /// moto refuses it, as AWS documents Number values; LocalStack publishes it (see the README table).
    func testPublish_nonNumericNumberAttribute_motoRefusesItAsTheSendersFault() async throws {
        let (error, _) = try await snsError("""
            <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>An error occurred (ParameterValueInvalid) when calling the Publish operation: Could not cast message attribute 'count' value to number.</Message><message>An error occurred (ParameterValueInvalid) when calling the Publish operation: Could not cast message attribute 'count' value to number.</message></Error><RequestId>moto</RequestId></ErrorResponse>
            """) { _ = try await $0.publish(PublishRequest(topicArn: snsTopicArn, message: "hi", messageAttributes: ["count": .number("not a number")])) }
        XCTAssertEqual(error.code, "InvalidParameter")
        XCTAssertEqual(error.statusCode, 400)
        XCTAssertEqual(error.senderFault, true)
        XCTAssertTrue(error.message.contains("'count'"), error.message)
    }
}
