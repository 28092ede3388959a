import AWSTestSupport
import Microcosm
import MicrocosmAWS
import XCTest

/// The usage meter against a real emulator (moto or LocalStack; skipped without one): what the
/// clients count is what they sent and what came back.
final class AWSUsageIntegrationTests: XCTestCase {
    func testMeteredClients_countPublishesReceivesDeletesAndEmptyReceives_asSent() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let (setupSNS, setupSQS) = try Emulator.clients(logLabel: "usage-it")
        let (topicArn, queueURL, _) = try await Emulator.subscribedQueue("usage", sns: setupSNS, sqs: setupSQS, raw: true, in: self)
        let meter = AWSUsageMeter()
        let transport = CurlTransport()
        let logger = Logger(label: "usage-it", level: .warning)
        let credentials = StaticCredentialProvider(Emulator.credentials)
        let sns = try SNSClient(settings: AWSServiceSettings(service: "sns", region: Emulator.region, endpoint: endpoint,
                                                             credentialProvider: credentials),
                                transport: transport, logger: logger, usageMeter: meter)
        let sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                                             credentialProvider: credentials),
                                transport: transport, logger: logger, usageMeter: meter)

        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: #"{"n": 1}"#))
        let batch = try await sns.publishBatch(topicArn: topicArn, entries: [PublishBatchEntry(id: "2", message: #"{"n": 2}"#),
                                                                             PublishBatchEntry(id: "3", message: #"{"n": 3}"#)])
        XCTAssertEqual(batch.successful.count, 2)
        var received: [SQSMessage] = []
        for _ in 0..<10 where received.count < 3 {
            received += try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1))
        }
        XCTAssertEqual(received.count, 3)
        let deleted = try await sqs.deleteMessageBatch(queueURL: queueURL, entries: received.enumerated().map {
            DeleteMessageBatchEntry(id: String($0.offset), receiptHandle: $0.element.receiptHandle)
        })
        XCTAssertEqual(deleted.successful.count, 3)
        let empty = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 0))
        XCTAssertEqual(empty.count, 0)

        let usage = meter.usage
        XCTAssertEqual(usage.operations[AWSUsage.Operation(.sns, "Publish")], AWSUsage.Requests(calls: 1, units: 1))
        XCTAssertEqual(usage.operations[AWSUsage.Operation(.sns, "PublishBatch")], AWSUsage.Requests(calls: 1, units: 1))
        XCTAssertEqual(usage.operations[AWSUsage.Operation(.sqs, "DeleteMessageBatch")], AWSUsage.Requests(calls: 1, units: 1))
        let receiveCalls = try XCTUnwrap(usage.operations[AWSUsage.Operation(.sqs, "ReceiveMessage")]).calls
        XCTAssertGreaterThanOrEqual(receiveCalls, usage.receives, "every receive answered was sent")
        XCTAssertEqual(usage.messagesSent, 3)
        XCTAssertEqual(usage.messagesReceived, 3)
        XCTAssertGreaterThanOrEqual(usage.emptyReceives, 1)
        XCTAssertEqual(usage.messages, 3)
        XCTAssertEqual(usage.calls, 3 + receiveCalls)
        XCTAssertEqual(try XCTUnwrap(usage.costPerMillionMessages()),
                       (Double(2) * 0.50 + Double(1 + receiveCalls) * 0.40) / 3, accuracy: 1e-9)
    }
}
