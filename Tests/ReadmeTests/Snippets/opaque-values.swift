// The README.md block `swift opaque-values`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import XCTest

final class ReadmeOpaqueValuesTests: XCTestCase {
    func testOpaqueValues() throws {
        let graph = try Graph(name: "things", registry: .init(), loader: .empty, config: ["logging": ["level": "warning"]])
// begin README: opaque-values
graph.opaque.withValues(["X-Request-Id": "req-1"]) {
    let requestId = graph.opaque["x-request-id"]     // "req-1"
// end README: opaque-values
        XCTAssertEqual(requestId, "req-1")
// begin README: opaque-values
    graph.logger.info("working")     // the record's metadata carries x-request-id
}
// end README: opaque-values
    }
}
