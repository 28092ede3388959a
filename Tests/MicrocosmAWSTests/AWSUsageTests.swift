import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// What the clients count for cost per message: every request sent (retries too) by action and
/// billing class, the 64 KiB request units AWS bills, empty receives, messages received and sent.
final class AWSUsageTests: XCTestCase {
    private func metered(_ service: String, _ transport: StubTransport, meter: AWSUsageMeter) throws -> AWSClient {
        try AWSClient(service: service, region: "us-east-1", endpoint: "https://\(service).us-east-1.amazonaws.com",
                      credentialProvider: FixedCredentialProvider(), transport: transport,
                      logger: Logger(label: "usage-test", level: .error, handler: InMemoryLogHandler()),
                      environment: ManualEnvironment().environment, usageMeter: meter)
    }

    private static func receiveReply(_ bodies: [String]) -> AWSHTTPResponse {
        let messages = bodies.enumerated().map { index, body in
            #"{"MessageId":"m\#(index)","ReceiptHandle":"r\#(index)","MD5OfBody":"\#(SQSMessageDigest.md5OfBody(body))","Body":"\#(body)"}"#
        }
        return AWSHTTPResponse(status: 200, headers: ["Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "req"],
                               body: Array(#"{"Messages":[\#(messages.joined(separator: ","))]}"#.utf8))
    }

    func testRequestUnits_areOnePer64KiBChunkOfPayload_andAtLeastOne() {
        XCTAssertEqual(AWSUsage.requestUnits(payloadBytes: 0), 1)
        XCTAssertEqual(AWSUsage.requestUnits(payloadBytes: 65_536), 1)
        XCTAssertEqual(AWSUsage.requestUnits(payloadBytes: 65_537), 2)
        XCTAssertEqual(AWSUsage.requestUnits(payloadBytes: 262_144), 4, "AWS: a 256 KiB payload is billed as 4 requests")
    }

    func testSQSClient_countsEveryAttemptSent_soARetriedReceiveIsTwoCalls_andCountsMessagesAndEmptyReceives() async throws {
        let meter = AWSUsageMeter()
        let transport = StubTransport(responses: [.success(.sqsError(500, "InternalError")), .success(Self.receiveReply(["a", "b"])),
                                                  .success(AWSHTTPResponse(status: 200, body: Array("{}".utf8)))])
        let sqs = SQSClient(client: try metered("sqs", transport, meter: meter))
        let request = ReceiveMessageRequest(queueURL: sqsTestQueue, maxNumberOfMessages: 10, waitTimeSeconds: 20)
        let first = try await sqs.receiveMessage(request)
        let second = try await sqs.receiveMessage(request)
        XCTAssertEqual([first.count, second.count], [2, 0])
        let usage = meter.usage
        XCTAssertEqual(usage.operations, [AWSUsage.Operation(.sqs, "ReceiveMessage"): AWSUsage.Requests(calls: 3, units: 3)])
        XCTAssertEqual(transport.requests.count, usage.calls, "one count per request sent")
        XCTAssertEqual(usage.receives, 2)
        XCTAssertEqual(usage.emptyReceives, 1)
        XCTAssertEqual(usage.messagesReceived, 2)
        XCTAssertEqual(usage.messages, 2)
        XCTAssertEqual(usage.callsPerMessage, 1.5)
        XCTAssertEqual(usage.emptyReceiveRatio, 0.5)
    }

    func testSQSClient_onAFIFOQueue_billsMessageActionsAsFIFO_andOtherActionsAsStandard() async throws {
        let meter = AWSUsageMeter()
        let transport = StubTransport { request, _ in
            let body = request.headers["X-Amz-Target"] == "AmazonSQS.DeleteMessageBatch" ? #"{"Successful":[{"Id":"1"}],"Failed":[]}"#
                : #"{"Attributes":{"VisibilityTimeout":"30"}}"#
            return AWSHTTPResponse(status: 200, body: Array(body.utf8))
        }
        let sqs = SQSClient(client: try metered("sqs", transport, meter: meter))
        let fifo = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"
        _ = try await sqs.deleteMessageBatch(queueURL: fifo, entries: [DeleteMessageBatchEntry(id: "1", receiptHandle: "r1")])
        _ = try await sqs.getQueueAttributes(queueURL: fifo, names: ["VisibilityTimeout"])
        XCTAssertEqual(meter.usage.operations, [AWSUsage.Operation(.sqsFIFO, "DeleteMessageBatch"): AWSUsage.Requests(calls: 1, units: 1),
                                                AWSUsage.Operation(.sqs, "GetQueueAttributes"): AWSUsage.Requests(calls: 1, units: 1)])
    }

    func testSNSClient_publishOfMoreThan64KiB_isBilledAsTwoRequests_andCountsAsSent() async throws {
        let meter = AWSUsageMeter()
        let reply = "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"
        let sns = SNSClient(client: try metered("sns", StubTransport(responses: [.success(.snsXML(reply))]), meter: meter))
        _ = try await sns.publish(PublishRequest(topicArn: snsTopicArn, message: String(repeating: "x", count: 70_000),
                                                 messageAttributes: ["media_type": .string("application/json")]))
        let usage = meter.usage
        XCTAssertEqual(usage.operations, [AWSUsage.Operation(.sns, "Publish"): AWSUsage.Requests(calls: 1, units: 2)])
        XCTAssertEqual(usage.messagesSent, 1)
        XCTAssertEqual(usage.messages, 1, "a producer's figures are per message sent")
        XCTAssertEqual(usage.estimatedCost(), 2 * 0.50 / 1_000_000, accuracy: 1e-15)
    }

    func testRequestsRefusedBeforeSending_areNotCounted() async throws {
        let meter = AWSUsageMeter()
        let transport = StubTransport(responses: [.success(.ok)])
        let sqs = SQSClient(client: try metered("sqs", transport, meter: meter))
        do {
            _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, maxNumberOfMessages: 11))
            XCTFail("expected a RequestValidationError")
        } catch is RequestValidationError {}
        XCTAssertEqual(transport.requests.count, 0)
        XCTAssertEqual(meter.usage, AWSUsage())
    }

    func testEstimatedCost_pricesEachBillingClass_andTheFiguresReadInOneLine() {
        var usage = AWSUsage()
        usage.operations = [AWSUsage.Operation(.sqs, "ReceiveMessage"): AWSUsage.Requests(calls: 14, units: 14),
                            AWSUsage.Operation(.sqs, "DeleteMessageBatch"): AWSUsage.Requests(calls: 12, units: 12),
                            AWSUsage.Operation(.sns, "Publish"): AWSUsage.Requests(calls: 2, units: 3)]
        usage.receives = 14
        usage.emptyReceives = 2
        usage.messagesReceived = 120
        usage.messagesSent = 2
        XCTAssertEqual(usage.calls, 28)
        XCTAssertEqual(usage.requestUnits, 29)
        XCTAssertEqual(usage.requestUnits(of: .sqs), 26)
        XCTAssertEqual(usage.estimatedCost(), (26 * 0.40 + 3 * 0.50) / 1_000_000, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(usage.costPerMillionMessages()), (26 * 0.40 + 3 * 0.50) / 120, accuracy: 1e-9)
        XCTAssertEqual(usage.description, "120 messages received, 2 sent; 28 calls (SNS Publish 2, SQS DeleteMessageBatch 12, "
                           + "SQS ReceiveMessage 14), 29 request units; 0.23 calls per message; empty receives 2 of 14 (14.3%); "
                           + "$0.099 per million messages (us-east-1 list prices of 2026-06, free tier ignored)")
        let eu = AWSRequestPrices(asOf: "2027-01", region: "eu-west-1", perMillion: [.sqs: 1])
        XCTAssertEqual(usage.estimatedCost(prices: eu), 26 / 1_000_000, accuracy: 1e-15, "a class without a price costs nothing")
        XCTAssertEqual(AWSUsage().description, "0 messages received, 0 sent; 0 calls, 0 request units")
    }

    func testSince_isWhatWasCountedAfterASnapshot() {
        let meter = AWSUsageMeter()
        meter.recordCall(AWSUsage.Operation(.sqs, "ReceiveMessage"))
        meter.recordReceive(AWSUsage.Operation(.sqs, "ReceiveMessage"), messages: 0, payloadBytes: 0)
        let before = meter.usage
        meter.recordCall(AWSUsage.Operation(.sqs, "ReceiveMessage"))
        meter.recordReceive(AWSUsage.Operation(.sqs, "ReceiveMessage"), messages: 10, payloadBytes: 200_000)
        meter.recordCall(AWSUsage.Operation(.sqs, "DeleteMessageBatch"))
        let delta = meter.usage.since(before)
        XCTAssertEqual(delta.operations, [AWSUsage.Operation(.sqs, "ReceiveMessage"): AWSUsage.Requests(calls: 1, units: 4),
                                          AWSUsage.Operation(.sqs, "DeleteMessageBatch"): AWSUsage.Requests(calls: 1, units: 1)])
        XCTAssertEqual([delta.receives, delta.emptyReceives, delta.messagesReceived], [1, 0, 10])
    }
}
