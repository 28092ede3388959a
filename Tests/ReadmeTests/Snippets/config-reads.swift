// The README.md block `swift config-reads`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import XCTest

final class ReadmeConfigReadsTests: XCTestCase {
    func testConfigReads() throws {
        let graph = try Graph(name: "things", registry: .init(), loader: .empty,
                              config: ["sqs_consumer": ["limit": "10"], "things": ["hosts": "a, b"]])
        let mediaType = "application/vnd.acme.pubsub.created.order"
// begin README: config-reads
let limit = try graph.config.int("sqs_consumer.limit")                    // 10 or "10"
let verbose = try graph.config.bool("things.verbose", default: false)     // true/yes/on/1, any case
let hosts = try graph.config.list("things.hosts")                         // "a, b" or ["a", "b"]
let mapping = graph.config[ConfigKeyPath(["sns_topic_arns", "mappings", mediaType])]  // keys with dots
// end README: config-reads
        XCTAssertEqual(limit, 10)
        XCTAssertEqual(verbose, false)
        XCTAssertEqual(hosts, ["a", "b"])
        XCTAssertNil(mapping)
    }
}
