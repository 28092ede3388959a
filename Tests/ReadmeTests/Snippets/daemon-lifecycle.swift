// The README.md block `swift daemon-lifecycle`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

// begin README: daemon-lifecycle
struct Warehouse: Sendable {
    static func connect(to url: String) async throws -> Warehouse { Warehouse() }
    func close() async {}
}

struct StockDaemon: ConsumerDaemon {
    var name: String { "stock-daemon" }
    var handlers: MessageHandlers { MessageHandlers() }

    func prepare(_ graph: Graph) async throws {           // throws: the daemon exits 1 before any receive
        graph.assign("warehouse", try await Warehouse.connect(to: "https://warehouse.internal"))   // assign works on a locked graph
    }

    func shutDown(_ graph: Graph, report: ConsumerLoopReport) async throws {   // throws: logged, the daemon exits 1
        let warehouse: Warehouse = try graph.resolve("warehouse")
        await warehouse.close()
        graph.logger.info("handled \(report.handled) messages")
    }
}
// end README: daemon-lifecycle

final class ReadmeDaemonLifecycleTests: XCTestCase {
    func testDaemonLifecycle() async throws {
        let daemon = try await StockDaemon().start(arguments: ["--testing"])
        XCTAssertNoThrow(try daemon.graph.resolve("warehouse", as: Warehouse.self), "prepare assigned it")
        XCTAssertEqual(daemon.state, .running)
        let report = try await daemon.stop()
        XCTAssertEqual(report.handled, 0)
        XCTAssertEqual(daemon.state, .stopped)
    }
}
