import Microcosm
import XCTest

private struct Refused: Error {}

final class GraphErrorCodeTests: XCTestCase {
    /// What a caller's `switch error.code` picks for the error `body` throws.
    private func switchedCode(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as GraphError {
            switch error.code {
            case .notBound: return "notBound"
            case .cycle: return "cycle"
            case .locked: return "locked"
            case .alreadyBound: return "alreadyBound"
            case .factoryFailed: return "factoryFailed"
            case .typeMismatch: return "typeMismatch"
            default: return "another code: \(error.code)"
            }
        } catch {
            return "not a GraphError: \(error)"
        }
    }

    func testCode_ofEachFailingGraphCall_isTheOneACallerSwitchesOn() throws {
        var registry = Registry()
        registry.bind("a") { graph in try graph.resolveAny("b") }
        registry.bind("b") { graph in try graph.resolveAny("a") }
        registry.bind("fragile") { _ -> Int in throw Refused() }
        registry.bind("n") { _ in 5 }
        registry.bind("late") { _ in "late" }
        let graph = try Graph(name: "codes", registry: registry, loader: .empty)

        XCTAssertEqual(switchedCode { _ = try graph.resolveAny("sns_produce") }, "notBound")
        XCTAssertEqual(switchedCode { _ = try graph.resolveAny("a") }, "cycle")
        XCTAssertEqual(switchedCode { _ = try graph.resolveAny("fragile") }, "factoryFailed")
        XCTAssertEqual(switchedCode { _ = try graph.resolve("n", as: String.self) }, "typeMismatch")
        graph.lock()
        XCTAssertEqual(switchedCode { _ = try graph.resolveAny("late") }, "locked")

        var twice = Registry()
        twice.bind("thing") { _ in 1 }
        twice.bind("thing") { _ in 2 }
        XCTAssertEqual(switchedCode { _ = try Graph(name: "codes", registry: twice, loader: .empty) }, "alreadyBound")
    }

    func testCode_comparesAndPrintsAsItsName() throws {
        let graph = try Graph(name: "codes", registry: Registry(), loader: .empty)
        XCTAssertThrowsError(try graph.resolveAny("missing")) { error in
            let code = (error as? GraphError)?.code
            XCTAssertEqual(code, .notBound)
            XCTAssertNotEqual(code, .cycle)
            XCTAssertEqual(code.map { "\($0)" }, "notBound")
        }
    }
}
