import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization
import XCTest

/// The SNS/SQS emulator that integration tests run against: moto (`MOTO_ENDPOINT_URL`) or
/// LocalStack (`LOCALSTACK_ENDPOINT_URL`). `scripts/test` starts moto and sets its variable;
/// `scripts/test --localstack` does the same with LocalStack.
///
/// The tests assert what AWS documents, so they pass on either emulator: account ids come from the
/// ARNs the emulator returns, errors are compared by code, HTTP status and fault side, never by
/// wording. Where the emulators differ from AWS, the difference is tested with a stub transport
/// instead (see the README's table of emulator differences).
///
/// ```swift
/// func testSomething() async throws {
///     let endpoint = try Emulator.requireEndpoint()    // skips, saying why, when there is no emulator
///     let queue = Emulator.uniqueName("orders")
///     let account = try await Emulator.account()       // moto 123456789012, LocalStack 000000000000
/// }
/// ```
public enum Emulator {
    /// The variables naming an emulator's endpoint, and the emulator each names.
    private static let variables = [("MOTO_ENDPOINT_URL", "moto"), ("LOCALSTACK_ENDPOINT_URL", "LocalStack")]

    /// The emulators whose variable is set: (name, endpoint).
    private static var configured: [(name: String, endpoint: String)] {
        let environment = ProcessInfo.processInfo.environment
        return variables.compactMap { variable, name in
            environment[variable].flatMap { $0.isEmpty ? nil : (name, $0) }
        }
    }

    /// The emulator's URL, when one was started (and only one is named).
    public static var endpoint: String? {
        let configured = configured
        return configured.count == 1 ? configured[0].endpoint : nil
    }

    /// `moto` or `LocalStack`, for messages; nil without an emulator.
    public static var name: String? {
        let configured = configured
        return configured.count == 1 ? configured[0].name : nil
    }

    /// The emulator's URL; otherwise skips the test with a printed reason (or fails it when both
    /// variables are set, since the tests would not know which one they talk to).
    public static func requireEndpoint() throws -> String {
        let configured = configured
        switch configured.count {
        case 1:
            return configured[0].endpoint
        case 0:
            let reason = "neither MOTO_ENDPOINT_URL nor LOCALSTACK_ENDPOINT_URL is set, so this integration test is skipped "
                + "(scripts/test starts moto and sets the first; scripts/test --localstack starts LocalStack and sets the second)"
            print(reason)
            throw XCTSkip(reason)
        default:
            throw SetupError(description: "both MOTO_ENDPOINT_URL and LOCALSTACK_ENDPOINT_URL are set; "
                                     + "integration tests run against one emulator at a time: unset one")
        }
    }

    /// Emulators accept any credentials; these are obviously fake.
    public static let credentials = AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing", source: "emulator")

    /// The region the tests use.
    public static let region = "us-east-1"

    /// `prefix` plus a random suffix, so tests never share topics or queues.
    public static func uniqueName(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// The account field of an ARN (`arn:aws:sqs:us-east-1:123456789012:orders` gives `123456789012`).
    public static func account(of arn: String) -> String? {
        let fields = arn.split(separator: ":", omittingEmptySubsequences: false)
        return fields.count >= 6 && fields[0] == "arn" ? String(fields[4]) : nil
    }

    /// The test environment names emulators in a way the tests cannot use.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    private static let knownAccount = Mutex<String?>(nil)

    /// The account the emulator puts in ARNs and queue URLs (moto 123456789012, LocalStack
    /// 000000000000, AWS the caller's), read once from the ARN of a queue made for the purpose.
    public static func account() async throws -> String {
        if let account = knownAccount.withLock({ $0 }) { return account }
        let (_, sqs) = try clients(logLabel: "emulator-account")
        let queueURL = try await sqs.createQueue(name: uniqueName("account"), attributes: [:])
        let queueArn = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"]
        try await sqs.deleteQueue(queueURL: queueURL)
        let account = try XCTUnwrap(queueArn.flatMap(account(of:)), "no account in QueueArn \(queueArn ?? "(none)") of \(queueURL)")
        knownAccount.withLock { $0 = account }
        return account
    }
}

extension Emulator {
    /// SNS and SQS clients for the emulator, sharing one transport, with the fake credentials.
    public static func clients(logLabel: String = "emulator-it") throws -> (sns: SNSClient, sqs: SQSClient) {
        let endpoint = try requireEndpoint()
        let transport = CurlTransport()
        let logger = Logger(label: logLabel, level: .warning)
        let credentials = StaticCredentialProvider(Emulator.credentials)
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
