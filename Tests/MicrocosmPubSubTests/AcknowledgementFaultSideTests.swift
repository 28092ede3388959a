import AWSTestSupport
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// What a batch ack does with a refused entry depends on the fault side the service reports: AWS and
/// moto blame the sender for a bad receipt handle (not retried), LocalStack reports every refused
/// entry as SenderFault false (so a daemon retries it, up to `acknowledgement_attempts`, before
/// logging it). The replies are the ones captured from each emulator, with the entry ids the
/// consumer sends (positions in the batch).
final class AcknowledgementFaultSideTests: XCTestCase {
    private let queueURL = "http://127.0.0.1:4566/000000000000/things-worker"

    /// A consumer of `queueURL` whose SQS answers one message to ReceiveMessage and `deleteReply` to DeleteMessageBatch.
    private func consumer(deleteReply: String) throws -> SQSConsumer {
        let body = #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#
        let receive = #"{"Messages": [{"MessageId": "m-1", "ReceiptHandle": "not-a-receipt-handle", "MD5OfBody": ""#
            + SQSMessageDigest.md5OfBody(body) + #"", "Body": "# + JSONSerializer.compact.string(.string(body))
            + #", "Attributes": {"ApproximateReceiveCount": "1"}}]}"#
        let transport = StubTransport { request, _ in
            let reply = request.headers["X-Amz-Target"] == "AmazonSQS.ReceiveMessage" ? receive : deleteReply
            return AWSHTTPResponse(status: 200, headers: ["Content-Type": "application/x-amz-json-1.0"], body: Array(reply.utf8))
        }
        let sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: "us-east-1", endpoint: "http://127.0.0.1:4566",
                                                             credentialProvider: StaticCredentialProvider(Emulator.credentials)),
                                transport: transport, logger: Logger(label: "ack-fault-side", level: .critical))
        return SQSConsumer(source: .queue(queueURL, client: sqs), envelope: SQSEnvelope(strategy: .raw, schemaRegistry: PubSubMessageSchemaRegistry()))
    }

    private func refusal(_ deleteReply: String) async throws -> AcknowledgementFailure {
        let consumer = try consumer(deleteReply: deleteReply)
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 1)
        let report = await consumer.ack(messages)
        XCTAssertEqual(report.succeeded.count, 0)
        return try XCTUnwrap(report.failed.first)
    }

    func testAck_badHandleRefusedAsTheSendersFault_asOnAWSAndMoto_isNotRetryable() async throws {
        let failure = try await refusal(#"""
            {"Failed": [{"Id": "0", "SenderFault": true, "Code": "ReceiptHandleIsInvalid", "Message": "The input receipt handle \"not-a-receipt-handle\" is not a valid receipt handle."}]}
            """#)
        XCTAssertEqual(failure.entry?.code, "ReceiptHandleIsInvalid")
        XCTAssertEqual(failure.action, "DeleteMessageBatch")
        XCTAssertFalse(failure.isRetryable)
    }

    func testAck_badHandleRefusedWithoutSenderFault_asOnLocalStack_isRetryable() async throws {
        let failure = try await refusal(#"""
            {"Successful": [], "Failed": [{"Id": "0", "SenderFault": false, "Code": "ReceiptHandleIsInvalid", "Message": "The input receipt handle \"not-a-receipt-handle\" is not a valid receipt handle."}]}
            """#)
        XCTAssertEqual(failure.entry?.code, "ReceiptHandleIsInvalid")
        XCTAssertTrue(failure.isRetryable, "the service did not blame the entry")
    }
}
