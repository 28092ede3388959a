// The README.md block `swift logging-in-memory`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import XCTest

final class ReadmeLoggingInMemoryTests: XCTestCase {
    func testLoggingInMemory() throws {
        let graph = try Graph(name: "things", registry: .init(), loader: .empty)
// begin README: logging-in-memory
let logs = InMemoryLogHandler()
graph.assign("logger", Logger(label: "test", level: .trace, handler: logs))
// end README: logging-in-memory
        graph.logger.debug("captured")
        XCTAssertEqual(logs.records.map(\.message), ["captured"])
    }
}
