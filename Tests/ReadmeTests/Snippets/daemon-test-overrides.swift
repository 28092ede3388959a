// The README.md block `swift daemon-test-overrides`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
import XCTest

final class ReadmeDaemonTestOverridesTests: XCTestCase {
    func testDaemonWithAFake_handlesWhatIsPublished() async throws {
        let environment = ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders"]
// begin README: daemon-test-overrides
let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: environment) { graph in
    graph.override(.orderStore) { _ in OrderStore(baseURL: "http://fake") }
}
try await daemon.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")
let results = try await daemon.waitForResults(count: 1, of: .created("Order"))   // not its follow-up's
XCTAssertEqual(results.map(\.kind), [.succeeded])
// end README: daemon-test-overrides
        XCTAssertEqual(try daemon.graph.resolve(.orderStore).baseURL, "http://fake")
        try await daemon.stop()
    }
}
