// The README.md block `swift config-checked`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import XCTest

final class ReadmeConfigCheckedTests: XCTestCase {
    func testConfigChecked() throws {
        let graph = try Graph(name: "things", registry: .init(), loader: .empty,
                              config: ["thing_store": ["timeout": "2.5", "retries": 3]])
// begin README: config-checked
let timeout = try graph.config.seconds("thing_store.timeout", in: 0.001...3600)   // a Duration
let retries = try graph.config.int("thing_store.retries", in: 0...10)
// end README: config-checked
        XCTAssertEqual(timeout, .milliseconds(2500))
        XCTAssertEqual(retries, 3)
    }
}
