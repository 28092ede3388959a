import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import PubSubDemo
import XCTest

/// `pubsub demo --endpoint-url` against a real emulator, moto or LocalStack (skipped, saying why,
/// when there is none): the same results as on the embedded broker, through the emulator's SNS
/// fan-out, redrive and visibility timeouts, and nothing left behind. Credentials are the fake
/// ones `scripts/test` puts in the environment.
final class DemoIntegrationTests: XCTestCase {
    func testDemo_againstTheEmulator_accountsForEveryMessage_andDeletesWhatItCreated() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let report = try await Demo(options: DemoOptions(endpointURL: endpoint, region: Emulator.region)).run()

        try DemoExpectations.check(report)
        XCTAssertGreaterThanOrEqual(report.deadLetters.first?.receiveCount ?? 0, 3, "received maxReceiveCount times, then moved")
        XCTAssertEqual(report.deadLetterListing, .received)
        XCTAssertEqual(report.endpoint, endpoint)
        XCTAssertTrue(report.queueURL.hasPrefix(endpoint), report.queueURL)
        let name = try XCTUnwrap(report.queueURL.split(separator: "/").last.map(String.init))
        XCTAssertTrue(name.hasPrefix("demo-orders-worker-") && name.count == "demo-orders-worker-".count + 8, "a unique name: \(name)")

        let sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                                             credentialProvider: StaticCredentialProvider(Emulator.credentials)),
                                transport: CurlTransport(), logger: Logger(label: "demo-it", level: .critical))
        let sns = try SNSClient(settings: AWSServiceSettings(service: "sns", region: Emulator.region, endpoint: endpoint,
                                                             credentialProvider: StaticCredentialProvider(Emulator.credentials)),
                                transport: CurlTransport(), logger: Logger(label: "demo-it", level: .critical))
        for url in [report.queueURL, report.deadLetterQueueURL] {
            let queueName = String(url.split(separator: "/").last!)
            do {
                let found = try await sqs.getQueueURL(queueName: queueName)
                XCTFail("queue \(found) is still there")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "AWS.SimpleQueueService.NonExistentQueue", "\(error)")
            }
        }
        do {
            _ = try await sns.getTopicAttributes(topicArn: report.topicArn)
            XCTFail("topic \(report.topicArn) is still there")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound", "\(error)")
        }
    }

    func testDemoCommand_againstTheEmulator_printsTheTable_andExits0() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let result = await DemoCommandResult.run(["demo", "--endpoint-url", endpoint, "--region", Emulator.region])

        XCTAssertEqual(result.status, 0, "\(result.standardError)")
        XCTAssertEqual(result.standardOutput.first, "pubsub demo on \(endpoint)")
        XCTAssertEqual(try result.tableRow("total"), DemoExpectations.total)
        XCTAssertTrue(result.standardOutput.contains("deleted the topic, the queues and the subscription from \(endpoint)"),
                      "\(result.standardOutput)")
    }
}
