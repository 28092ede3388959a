import Microcosm
import MicrocosmJSON
import XCTest

final class OpaqueTests: XCTestCase {
    func testValues_keysAreCaseInsensitiveAndStoredLowercased() {
        var values: OpaqueValues = ["X-Request-Id": "1"]
        XCTAssertEqual(values["x-request-id"], "1")
        XCTAssertEqual(values["X-REQUEST-ID"], "1")
        values["x-REQUEST-id"] = "2"
        XCTAssertEqual(values.dictionary, ["x-request-id": "2"])
    }

    func testGraphOpaque_isSeededFromConfig_keepingJSONTypes() throws {
        let graph = try Graph(name: "things", loader: .empty, config: ["opaque": ["X-Service": "things", "n": 3, "bad": ["nested": 1]]])
        XCTAssertEqual(graph.opaque.values.dictionary, ["x-service": "things", "n": "3", "bad": #"{"nested":1}"#])
        XCTAssertEqual(graph.opaque[json: "n"], .int(3))
        XCTAssertEqual(graph.opaque[json: "bad"], ["nested": 1])
    }

    func testValues_keepJSONTypesAndInsertionOrder() {
        let count = 3
        var values: OpaqueValues = ["X-Request-Id": "req-1", "Count": count, "flags": ["a": [1, true]] as JSONValue, "none": JSONValue.null]
        XCTAssertEqual(values.keys, ["x-request-id", "count", "flags", "none"])
        XCTAssertEqual(values[json: "count"], .int(3))
        XCTAssertEqual(values["count"], "3")
        XCTAssertEqual(values[json: "none"], .null)
        XCTAssertEqual(values["flags"], #"{"a":[1,true]}"#)
        values[json: "x-request-id"] = .int(7)
        XCTAssertEqual(values.keys, ["x-request-id", "count", "flags", "none"], "a replaced value keeps its place")
        let merged = values.merging(["new": "n", "COUNT": 4])
        XCTAssertEqual(merged.keys, ["x-request-id", "count", "flags", "none", "new"])
        XCTAssertEqual(merged[json: "count"], .int(4))
    }

    func testWithValues_scopesNestAndEnd() async throws {
        let opaque = Opaque(base: ["x-service": "things"])
        XCTAssertNil(opaque["x-request-id"])
        await opaque.withValues(["X-Request-Id": "outer"]) {
            XCTAssertEqual(opaque["x-request-id"], "outer")
            XCTAssertEqual(opaque["x-service"], "things")
            await opaque.withValues(["x-request-id": "inner", "x-other": "o"]) {
                await Task.yield()
                XCTAssertEqual(opaque.values.dictionary, ["x-service": "things", "x-request-id": "inner", "x-other": "o"])
            }
            XCTAssertEqual(opaque.values.dictionary, ["x-service": "things", "x-request-id": "outer"])
        }
        XCTAssertEqual(opaque.values.dictionary, ["x-service": "things"])
    }

    func testWithValues_doNotLeakToSiblingTasks() async {
        let opaque = Opaque()
        let seen = await withTaskGroup(of: (Int, String?, String?).self) { group in
            for index in 0..<50 {
                group.addTask {
                    await opaque.withValues(["x-request-id": "req-\(index)"]) {
                        await Task.yield()
                        return (index, opaque["x-request-id"], opaque["x-sibling"])
                    }
                }
            }
            group.addTask { (-1, opaque["x-request-id"], nil) }
            return await group.reduce(into: [(Int, String?, String?)]()) { $0.append($1) }
        }
        for (index, requestId, sibling) in seen {
            XCTAssertEqual(requestId, index < 0 ? nil : "req-\(index)")
            XCTAssertNil(sibling)
        }
    }

    func testWithValues_synchronousVariant() {
        let opaque = Opaque()
        let value = opaque.withValues(["k": "v"]) { opaque["K"] }
        XCTAssertEqual(value, "v")
        XCTAssertNil(opaque["k"])
    }
}
