// The README.md block `swift testing-handlers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

final class ReadmeTestingHandlersTests: XCTestCase {
    func testDispatch_runsTheDaemonsHandler() async throws {
// begin README: testing-handlers
let graph = try await OrdersDaemon().testingGraph(config: [
    "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
])
graph.override(.orderStore) { _ in OrderStore(baseURL: "http://fake") }
let result = try await graph.dispatch(.created("Order"), uri: "http://orders/1")   // a MessageHandlingResult
XCTAssertEqual(result.kind, .succeeded)
await XCTAssertPublished(graph, [.message(.created("Invoice"), uri: "http://orders/1/invoice")])
// end README: testing-handlers
        XCTAssertEqual(try graph.resolve(.orderStore).baseURL, "http://fake")
    }
}
