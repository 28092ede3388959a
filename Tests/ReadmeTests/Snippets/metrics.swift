// The README.md block `swift metrics`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmMetrics
import MicrocosmPubSubTesting
import XCTest

final class ReadmeMetricsTests: XCTestCase {
    func testMetrics() async throws {
        let graph = try await Graph.pubsubTesting(name: "things", config: ["metrics": ["host": "statsd.example"]])
// begin README: metrics
let statsd = try graph.metrics                                  // import MicrocosmMetrics
statsd.increment("things.created", tags: ["kind:widget"])      // things.created:1|c|#kind:widget,service:things,...
statsd.histogram("things.size", 3.5)
statsd.timing("things.fetch", .milliseconds(12))
XCTAssertEqual(try graph.metrics.recordedLines.count, 3)        // in a testing graph with metrics.host set
// end README: metrics
    }
}
