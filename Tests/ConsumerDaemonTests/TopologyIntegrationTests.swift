import AWSTestSupport
import Foundation
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import Synchronization
import XCTest

/// `topology plan` / `apply` against a real emulator, moto or LocalStack (skipped, saying why,
/// when there is none): what apply makes is read back with the clients and checked against what
/// AWS documents, and a message published to the topic reaches the queue through it.
final class TopologyIntegrationTests: XCTestCase {
    private var endpoint = ""
    private var sns: SNSClient!
    private var sqs: SQSClient!
    private var account = ""

    override func setUp() async throws {
        endpoint = try Emulator.requireEndpoint()
        (sns, sqs) = try Emulator.clients(logLabel: "topology-it")
        account = try await Emulator.account()
    }

    private struct Names {
        let topicArn: String
        let queue: String
        var deadLetterQueue: String { queue + "-dlq" }
    }

    /// Unique names; whatever exists of them when the test ends is deleted.
    private func names() -> Names {
        let names = Names(topicArn: "arn:aws:sns:\(Emulator.region):\(account):\(Emulator.uniqueName("topology-events"))",
                          queue: Emulator.uniqueName("topology-daemon"))
        let (sns, sqs) = (sns!, sqs!)
        addTeardownBlock {
            try? await sns.deleteTopic(topicArn: names.topicArn)
            for queue in [names.queue, names.deadLetterQueue] {
                if let url = try? await sqs.getQueueURL(queueName: queue) { try? await sqs.deleteQueue(queueURL: url) }
            }
        }
        return names
    }

    private func run(_ arguments: [String], _ names: Names, handling: [MediaType]) async -> (status: Int32, output: [String], errors: [String]) {
        let output = Mutex<[String]>([]), errors = Mutex<[String]>([])
        let environment = [
            "ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": "\(endpoint)/\(account)/\(names.queue)",
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": names.topicArn,
        ]
        let invocation = ServiceToolInvocation(
            command: "orders-daemon topology", arguments: arguments + ["--endpoint-url", endpoint, "--region", Emulator.region],
            daemon: DescribedService(name: "orders-daemon", mediaTypes: handling), environment: environment,
            output: { text in output.withLock { $0 += text.split(separator: "\n").map(String.init) } },
            errorOutput: { line in errors.withLock { $0.append(line) } })
        let status = await ServiceTool.topology.main(invocation)
        return (status, output.withLock { $0 }, errors.withLock { $0 })
    }

    func testPlanApplyPlan_makesEverything_thenAllFine_andAHandledMessageArrives() async throws {
        let names = names()
        let handled = MediaType.created("Order")
        let planned = await run(["plan"], names, handling: [handled])
        XCTAssertEqual(planned.status, 2, "\(planned)")
        XCTAssertEqual(planned.output.count, 6, "\(planned)")
        XCTAssertTrue(planned.output.allSatisfy { $0.hasPrefix("create ") }, "\(planned.output)")

        let applied = await run(["apply"], names, handling: [handled])
        XCTAssertEqual(applied.status, 0, "\(applied)")
        let again = await run(["plan"], names, handling: [handled])
        XCTAssertEqual(again.status, 0, "\(again)")
        XCTAssertTrue(again.output.allSatisfy { $0.hasPrefix("fine ") }, "\(again.output)")

        // What apply made, as SQS and SNS report it.
        let queueURL = try await sqs.getQueueURL(queueName: names.queue)
        let deadLetterURL = try await sqs.getQueueURL(queueName: names.deadLetterQueue)
        let deadLetterAttributes = try await sqs.getQueueAttributes(queueURL: deadLetterURL, names: ["QueueArn", "MessageRetentionPeriod"])
        XCTAssertEqual(deadLetterAttributes["MessageRetentionPeriod"], "1209600")
        let attributes = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn", "RedrivePolicy", "Policy"])
        let redrive = try XCTUnwrap(JSONParser.parse(try XCTUnwrap(attributes["RedrivePolicy"])).objectValue)
        XCTAssertEqual(redrive["deadLetterTargetArn"]?.stringValue, deadLetterAttributes["QueueArn"])
        XCTAssertEqual(redrive["maxReceiveCount"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }, 10)
        XCTAssertTrue(attributes["Policy"]?.contains(names.topicArn) ?? false, "\(attributes)")
        let subscriptions = try await sns.listSubscriptionsByTopic(topicArn: names.topicArn)
        XCTAssertEqual(subscriptions.map(\.endpoint), [attributes["QueueArn"]])
        let subscription = try await sns.getSubscriptionAttributes(subscriptionArn: try XCTUnwrap(subscriptions.first).subscriptionArn)
        let filter = try XCTUnwrap(subscription["FilterPolicy"])
        XCTAssertEqual(try JSONParser.parse(filter).objectValue?["media_type"]?.arrayValue?.compactMap(\.stringValue).sorted(),
                       [BatchMessage.mediaType.rawValue, handled.rawValue].sorted())

        // An unhandled media type is filtered out; the handled one arrives.
        for mediaType in [MediaType.created("Invoice"), handled] {
            _ = try await sns.publish(PublishRequest(topicArn: names.topicArn, message: #"{"mediaType": "\#(mediaType)"}"#,
                                                     messageAttributes: ["media_type": .string(mediaType.rawValue)]))
        }
        var bodies: [String] = []
        for _ in 0..<5 where bodies.isEmpty {
            bodies += try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1)).map(\.body)
        }
        bodies += try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1)).map(\.body)
        XCTAssertEqual(bodies.count, 1, "\(bodies)")
        XCTAssertTrue(bodies.first?.contains(handled.rawValue) ?? false, "\(bodies)")
    }

    func testRawEnvelope_changesTheExistingSubscription() async throws {
        let names = names()
        let handled = MediaType.created("Order")
        _ = await run(["apply"], names, handling: [handled])
        let planned = await run(["plan", "--envelope", "RawSQSEnvelope"], names, handling: [handled])
        XCTAssertEqual(planned.status, 2, "\(planned)")
        XCTAssertTrue(planned.output.contains { $0.hasPrefix("change subscription") && $0.contains("RawMessageDelivery false -> true") },
                      "\(planned.output)")
        let applied = await run(["apply", "--envelope", "RawSQSEnvelope"], names, handling: [handled])
        XCTAssertEqual(applied.status, 0, "\(applied)")
        let subscriptions = try await sns.listSubscriptionsByTopic(topicArn: names.topicArn)
        let subscriptionArn = try XCTUnwrap(subscriptions.first).subscriptionArn
        let attributes = try await sns.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        XCTAssertEqual(attributes["RawMessageDelivery"], "true")
        XCTAssertNil(attributes["FilterPolicy"].flatMap { $0.isEmpty || $0 == "{}" ? nil : $0 }, "\(attributes)")
        let again = await run(["plan", "--envelope", "RawSQSEnvelope"], names, handling: [handled])
        XCTAssertEqual(again.status, 0, "\(again)")
    }
}
