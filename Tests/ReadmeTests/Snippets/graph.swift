// The README.md block `swift graph`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import XCTest

// begin README: graph
import Microcosm

struct ThingStore: Sendable {
    let baseURL: String
}

// end README: graph

final class ReadmeGraphTests: XCTestCase {
    func testGraph() throws {
// begin README: graph
var registry = Registry()
registry.bind("thing_store", defaults: ["base_url": "http://localhost:5000"]) { graph in
    ThingStore(baseURL: try graph.config.string("thing_store.base_url"))
}

let graph = try Graph(name: "things", registry: registry)   // defaults < settings file < env
try graph.use("thing_store")                                  // create now: bad config fails at start-up
graph.lock()                                                  // no more lazy creation
let store: ThingStore = try graph.resolve("thing_store")
// end README: graph
        XCTAssertEqual(store.baseURL, "http://localhost:5000")
    }
}
