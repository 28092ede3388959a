import AWSTestSupport
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// The graph's clients against a real emulator, moto or LocalStack (skipped, saying why, without one).
final class ClientBindingsIntegrationTests: XCTestCase {
    func testAgainstTheEmulator_theGraphsClientsTalkToTheServer() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sqs_consumer": ["endpoint_url": .string(endpoint), "region_name": .string(Emulator.region)],
        ])
        let name = Emulator.uniqueName("bindings")
        let queueURL = try await graph.sqsClient.createQueue(name: name, attributes: [:])
        XCTAssertTrue(queueURL.hasSuffix("/\(name)"), queueURL)
        try await graph.sqsClient.deleteQueue(queueURL: queueURL)
    }
}
