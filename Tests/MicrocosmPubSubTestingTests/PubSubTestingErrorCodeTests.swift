import Microcosm
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

final class PubSubTestingErrorCodeTests: XCTestCase {
    /// What a caller's `switch error.code` picks for the error `body` throws.
    private func switchedCode(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "no error"
        } catch let error as PubSubTestingError {
            switch error.code {
            case .notRecording: return "notRecording"
            case .notThroughBroker: return "notThroughBroker"
            case .unreadable: return "unreadable"
            case .timedOut: return "timedOut"
            case .badTopicArn: return "badTopicArn"
            case .otherAccount: return "otherAccount"
            default: return "another code: \(error.code)"
            }
        } catch {
            return "not a PubSubTestingError: \(error)"
        }
    }

    func testCode_ofEachFailingTestingCall_isTheOneACallerSwitchesOn() async throws {
        let notTesting = try Graph(name: "orders", registry: .pubsub, loader: .empty, config: ["sns_producer": ["endpoint_url": "memory://"]])
        let notRecording = await switchedCode { _ = try await notTesting.published }
        XCTAssertEqual(notRecording, "notRecording")

        let overridden = try await ordersGraph()
        let elsewhere = InMemoryBroker()
        overridden.override(.snsClient) { _ in ForwardingSNS(wrapped: elsewhere.sns) }
        _ = try overridden.snsClient
        let notThroughBroker = await switchedCode { _ = try await overridden.published }
        XCTAssertEqual(notThroughBroker, "notThroughBroker")

        let graph = try await ordersGraph()
        let nothingPublished = await switchedCode { _ = try await graph.waitForPublished(count: 1, timeout: .zero) }
        XCTAssertEqual(nothingPublished, "timedOut")
        try await publish(graph, text: "hello", to: auditTopic)
        let unreadable = await switchedCode { _ = try await graph.published }
        XCTAssertEqual(unreadable, "unreadable")

        let badArn = await switchedCode { _ = try await Graph.pubsubTesting(name: "orders", config: ["sns_topic_arns": ["default": "orders"]]) }
        XCTAssertEqual(badArn, "badTopicArn")
        let otherAccount = await switchedCode {
            _ = try await Graph.pubsubTesting(name: "orders", config: [
                "sns_topic_arns": ["default": .string(ordersTopic), "mappings": ["m": "arn:aws:sns:us-east-1:000000000000:audit"]],
            ])
        }
        XCTAssertEqual(otherAccount, "otherAccount")
    }
}
