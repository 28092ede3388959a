// The README.md block `swift config-requirements`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import XCTest

final class ReadmeConfigRequirementsTests: XCTestCase {
    func testConfigRequirements() throws {
        var registry = Registry()
// begin README: config-requirements
registry.bind("thing_store", defaults: [
    "base_url": .required(.string, mock: "http://things.test"),   // mock: only when testing
    "timeout": .typed(.seconds(in: 0.001...3600), default: 5),   // checked at creation
    "verbose": .typed(.bool, default: false),
    "retry": ["attempts": .typed(.int, default: 3)],              // nested sections
]) { graph in ThingStore(baseURL: try graph.config.string("thing_store.base_url")) }
// end README: config-requirements
        let graph = try Graph(name: "things", testing: true, registry: registry, loader: .empty)
        XCTAssertEqual(try graph.resolve("thing_store", as: ThingStore.self).baseURL, "http://things.test")
        XCTAssertEqual(try graph.config.int("thing_store.retry.attempts"), 3)
    }
}
