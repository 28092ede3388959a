import MicrocosmJSON
import XCTest

final class JSONObjectTests: XCTestCase {
    /// Sizes on both sides of the point where an object starts indexing its keys.
    private let sizes = [0, 1, 2, 15, 16, 17, 18, 40, 1000]

    private func object(_ count: Int, prefix: String = "key") -> JSONObject {
        JSONObject((0..<count).map { ("\(prefix)\($0)", JSONValue.int($0)) })
    }

    func testInsert_keepsInsertionOrderAtEverySize() {
        for size in sizes {
            let keys = (0..<size).map { "k\(($0 * 7919) % 1009)-\($0)" }   // not sorted
            var object = JSONObject()
            for (index, key) in keys.enumerated() { object[key] = .int(index) }
            XCTAssertEqual(object.count, size)
            XCTAssertEqual(object.keys, keys, "size \(size)")
            XCTAssertEqual(object.map(\.key), keys, "size \(size)")
            XCTAssertEqual(object.map(\.value), (0..<size).map { JSONValue.int($0) }, "size \(size)")
            for (index, key) in keys.enumerated() { XCTAssertEqual(object[key], .int(index), "size \(size), \(key)") }
            XCTAssertNil(object["missing"])
        }
    }

    func testRepeatedKey_keepsFirstPositionAndLastValue() {
        for size in sizes where size > 2 {
            var object = self.object(size)
            object["key1"] = "again"
            object["key\(size - 1)"] = nil
            object["key\(size - 1)"] = "last"
            XCTAssertEqual(object.count, size)
            XCTAssertEqual(object.keys[1], "key1")
            XCTAssertEqual(object["key1"], "again")
            XCTAssertEqual(object.keys.last, "key\(size - 1)")
            XCTAssertEqual(object["key\(size - 1)"], "last")
        }
        let parsed = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        XCTAssertEqual(parsed.keys, ["a", "b"])
        XCTAssertEqual(parsed["a"], 3)
    }

    func testRemove_keepsTheOthersInOrderAndFindable() {
        for size in sizes where size > 0 {
            var object = self.object(size)
            var expected = (0..<size).map { "key\($0)" }
            for index in stride(from: 0, to: size, by: 3) {
                XCTAssertEqual(object.removeValue(forKey: "key\(index)"), .int(index))
                expected.removeAll { $0 == "key\(index)" }
            }
            XCTAssertNil(object.removeValue(forKey: "key0"))
            XCTAssertEqual(object.keys, expected, "size \(size)")
            XCTAssertEqual(object.count, expected.count)
            for key in expected { XCTAssertEqual(object[key], .int(Int(key.dropFirst(3))!), "size \(size), \(key)") }
            for index in stride(from: 0, to: size, by: 3) { XCTAssertNil(object["key\(index)"]) }

            object["key0"] = "back"
            XCTAssertEqual(object.keys.last, "key0", "a removed key comes back at the end")
            XCTAssertEqual(object["key0"], "back")
        }
    }

    func testShrinkingAndGrowingAcrossTheIndexingSize() {
        var object = self.object(40)
        for index in 0..<35 { object["key\(index)"] = nil }
        XCTAssertEqual(object.keys, ["key35", "key36", "key37", "key38", "key39"])
        for index in 0..<30 { object["new\(index)"] = .int(index) }
        XCTAssertEqual(object.count, 35)
        XCTAssertEqual(Array(object.keys.prefix(6)), ["key35", "key36", "key37", "key38", "key39", "new0"])
        for index in 0..<30 { XCTAssertEqual(object["new\(index)"], .int(index)) }
        XCTAssertEqual(object["key37"], 37)
        while let key = object.keys.first { object[key] = nil }
        XCTAssertTrue(object.isEmpty)
        XCTAssertNil(object["key37"])
    }

    func testEquality_ignoresOrder_andHashAgrees() {
        for size in sizes {
            let forward = object(size)
            let backward = JSONObject((0..<size).reversed().map { ("key\($0)", JSONValue.int($0)) })
            XCTAssertEqual(forward, backward, "size \(size)")
            XCTAssertEqual(forward.hashValue, backward.hashValue, "size \(size)")
            XCTAssertEqual(Set([forward, backward]).count, 1)
            if size > 0 {
                var other = backward
                other["key0"] = "changed"
                XCTAssertNotEqual(forward, other)
                var missing = backward
                missing["key0"] = nil
                missing["other"] = 0
                XCTAssertNotEqual(forward, missing)
            }
        }
        // The same members, one object indexed (it was large once) and one never indexed.
        var shrunk = object(30)
        for index in 10..<30 { shrunk["key\(index)"] = nil }
        XCTAssertEqual(shrunk, object(10))
        XCTAssertEqual(shrunk.hashValue, object(10).hashValue)
        XCTAssertNotEqual(object(3), object(4))
    }

    func testDictionaryAndNestedValues() {
        let object = self.object(20)
        XCTAssertEqual(object.dictionary.count, 20)
        XCTAssertEqual(object.dictionary["key19"], 19)

        var value: JSONValue = ["outer": ["inner": 1]]
        value["outer"]?["inner"] = 2
        value["outer"]?["added"] = "yes"
        XCTAssertEqual(value.description, #"{"outer":{"inner":2,"added":"yes"}}"#)
    }
}
