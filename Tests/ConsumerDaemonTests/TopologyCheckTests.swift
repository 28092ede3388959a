import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
@testable import MicrocosmPubSubDaemon
import XCTest

/// The daemon's start-up check (`topology.check_at_start_up`): one warning per difference, never a failure.
final class TopologyCheckTests: XCTestCase {
    private let service = DescribedService(name: "orders-daemon", mediaTypes: [.created("Order")])

    /// A graph configured for AWS whose SNS and SQS clients are `broker`'s, logging to `logs`.
    private func graph(_ broker: InMemoryBroker, logs: InMemoryLogHandler, config: JSONObject = [:]) throws -> Graph {
        let base: JSONObject = [
            "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-daemon"],
            "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders-events"],
            "topology": ["check_at_start_up": true],
        ]
        let graph = try Graph(name: "orders-daemon", registry: .pubsub, loader: .standard(environment: [:]), config: Configuration.merge(base, config))
        graph.assign(.snsClient, broker.sns as any SNSAPI)
        graph.assign(.sqsClient, broker.sqs as any SQSAPI)
        graph.assign("logger", Logger(label: "orders-daemon", level: .debug, handler: logs))
        return graph
    }

    func testDifferences_areOneWarningEach_namingTheApplyCommand() async throws {
        let broker = InMemoryBroker(), logs = InMemoryLogHandler()
        await TopologyCheck.atStartUp(service, graph: try graph(broker, logs: logs))
        let warnings = logs.records.filter { $0.level == .warning }.map(\.message)
        XCTAssertEqual(warnings.count, 6, "\(warnings)")
        XCTAssertEqual(warnings.first, "topology differs: create topic arn:aws:sns:us-east-1:123456789012:orders-events "
                           + "(`orders-daemon topology apply` makes it so)")
    }

    func testNoDifference_isOneInfoLine() async throws {
        let broker = InMemoryBroker(), logs = InMemoryLogHandler()
        let graph = try graph(broker, logs: logs)
        _ = try await TopologyPlanner(Topology(settings: try TopologySettings(config: graph.config), handling: service.handlers.mediaTypes),
                                      sns: broker.sns, sqs: broker.sqs).apply()
        await TopologyCheck.atStartUp(service, graph: graph)
        XCTAssertEqual(logs.records.filter { $0.level >= .warning }.map(\.message), [])
        XCTAssertTrue(logs.messages.contains("topology: 6 resources as needed"), "\(logs.messages)")
    }

    func testAFailureToCheck_isAWarning() async throws {
        let broker = InMemoryBroker(), logs = InMemoryLogHandler()
        broker.faults.fail(.getTopicAttributes, with: AWSError(code: "AccessDenied", message: "no", statusCode: 403, service: "SNS",
                                                                 action: "GetTopicAttributes"))
        await TopologyCheck.atStartUp(service, graph: try graph(broker, logs: logs))
        let warnings = logs.records.filter { $0.level == .warning }.map(\.message)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasPrefix("topology: cannot check at start-up: ") ?? false, "\(warnings)")
        XCTAssertTrue(warnings.first?.contains("AccessDenied") ?? false, "\(warnings)")
    }

    func testOff_orOnTheInMemoryBroker_checksNothing() async throws {
        for config: JSONObject in [["topology": ["check_at_start_up": false]], ["sqs_consumer": ["endpoint_url": "memory://"]]] {
            let broker = InMemoryBroker(), logs = InMemoryLogHandler()
            broker.faults.fail(.getTopicAttributes, with: AWSError(code: "AccessDenied", message: "no", statusCode: 403))
            await TopologyCheck.atStartUp(service, graph: try graph(broker, logs: logs, config: config))
            XCTAssertFalse(logs.messages.contains { $0.hasPrefix("topology") }, "\(config): \(logs.messages)")
        }
    }

    func testTheDaemonChecksAtStartUp_beforeItFindsItsQueueMissing() async throws {
        let broker = InMemoryBroker(), logs = InMemoryLogHandler()
        let graph = try graph(broker, logs: logs)
        graph.assign(.sqsMessageHandlers, service.handlers)
        do {
            _ = try await StartedConsumerDaemon.startUp(service, graph: graph, shutdown: ConsumerDaemonShutdown())
            XCTFail("started without its queue")
        } catch {
            XCTAssertTrue("\(error.underlying)".contains("orders-daemon"), "\(error.underlying)")
        }
        let warnings = logs.records.filter { $0.level == .warning }.map(\.message)
        XCTAssertTrue(warnings.contains { $0.hasPrefix("topology differs: create queue orders-daemon ") }, "\(warnings)")
    }
}
