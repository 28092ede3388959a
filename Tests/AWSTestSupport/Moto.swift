import Foundation
import Microcosm
import MicrocosmAWS
import XCTest

/// The moto server that `scripts/test` starts for integration tests (`MOTO_ENDPOINT_URL`).
///
/// ```swift
/// func testSomething() async throws {
///     let endpoint = try Moto.requireEndpoint()    // skips, saying why, when there is no server
///     let queue = Moto.uniqueName("orders")
/// }
/// ```
public enum Moto {
    /// The server's URL, when one was started.
    public static var endpoint: String? {
        ProcessInfo.processInfo.environment["MOTO_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The server's URL; otherwise skips the test with a printed reason.
    public static func requireEndpoint() throws -> String {
        guard let endpoint else {
            let reason = "MOTO_ENDPOINT_URL is not set, so this integration test is skipped (scripts/test starts moto_server and sets it)"
            print(reason)
            throw XCTSkip(reason)
        }
        return endpoint
    }

    /// moto accepts any credentials; these are obviously fake.
    public static let credentials = AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing", source: "moto")

    /// The region the tests use.
    public static let region = "us-east-1"

    /// moto's default account.
    public static let account = "123456789012"

    /// `prefix` plus a random suffix, so tests never share topics or queues.
    public static func uniqueName(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.prefix(8).lowercased()
    }
}

extension Moto {
    /// SNS and SQS clients for the moto server, sharing one transport, with the fake credentials.
    public static func clients(logLabel: String = "moto-it") throws -> (sns: SNSClient, sqs: SQSClient) {
        let endpoint = try requireEndpoint()
        let transport = CurlTransport()
        let logger = Logger(label: logLabel, level: .warning)
        let credentials = StaticCredentialProvider(Moto.credentials)
        let sns = try SNSClient(settings: AWSServiceSettings(service: "sns", region: region, endpoint: endpoint, credentialProvider: credentials),
                                transport: transport, logger: logger)
        let sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: region, endpoint: endpoint, credentialProvider: credentials),
                                transport: transport, logger: logger)
        return (sns, sqs)
    }

    /// A uniquely named topic and a queue subscribed to it (SNS's envelope, or raw delivery), all
    /// removed when `testCase` ends.
    public static func subscribedQueue(_ prefix: String, sns: SNSClient, sqs: SQSClient, raw: Bool = false,
                                       in testCase: XCTestCase) async throws -> (topicArn: String, queueURL: String, queueArn: String) {
        let topicArn = try await sns.createTopic(name: uniqueName(prefix), attributes: [:])
        testCase.addTeardownBlock { try await sns.deleteTopic(topicArn: topicArn) }
        let queueURL = try await sqs.createQueue(name: uniqueName(prefix), attributes: [:])
        testCase.addTeardownBlock { try await sqs.deleteQueue(queueURL: queueURL) }
        let attributes = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])
        let queueArn = try XCTUnwrap(attributes["QueueArn"], "no QueueArn for \(queueURL)")
        let subscription = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn,
                                                   attributes: raw ? ["RawMessageDelivery": "true"] : [:])
        testCase.addTeardownBlock { try await sns.unsubscribe(subscriptionArn: subscription) }
        return (topicArn, queueURL, queueArn)
    }
}
