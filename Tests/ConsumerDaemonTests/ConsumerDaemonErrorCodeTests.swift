import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// A daemon whose SQS client is a broker that has no queues at all.
private struct NoQueuesDaemon: ConsumerDaemon {
    var name: String { "no-queues-daemon" }
    var registry: Registry {
        var registry = Registry.pubsub
        let broker = InMemoryBroker()
        registry.replace(.sqsClient) { _ in broker.sqs }
        return registry
    }
    var handlers: MessageHandlers { MessageHandlers() }
}

final class ConsumerDaemonErrorCodeTests: XCTestCase {
    func testStart_whenTheQueueDoesNotExist_throwsAnErrorWhoseCodeACallerSwitchesOn() async throws {
        let queueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/missing"
        do {
            _ = try await NoQueuesDaemon().start(arguments: ["--sqs-queue-url", queueURL, "--region", "us-east-1"],
                                                 environment: ["NO_QUEUES_DAEMON__LOGGING__LEVEL": "critical"])
            XCTFail("the daemon started on a queue that does not exist")
        } catch let error as ConsumerDaemonError {
            switch error.code {
            case .queueDoesNotExist:
                XCTAssertEqual(error.queueURL, queueURL)
                XCTAssertEqual((error.underlying as? AWSError)?.code, .queueDoesNotExist)
                XCTAssertEqual("\(error.code)", "queueDoesNotExist")
            default:
                XCTFail("another code: \(error.code)")
            }
        }
    }
}
