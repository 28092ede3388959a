import Microcosm
import XCTest

final class ConfigurationTests: XCTestCase {
    func testMerge_objectsRecurseArraysAppendScalarsReplace() {
        var config = Configuration(["a": ["b": 1, "c": [1, 2]], "d": "x", "e": ["f": 1]])
        config.merge(["a": ["c": [3], "g": true], "d": "y", "e": "scalar"])
        XCTAssertEqual(config.values, ["a": ["b": 1, "c": [1, 2, 3], "g": true], "d": "y", "e": "scalar"])
    }

    func testMerge_objectReplacesScalar() {
        let merged = Configuration.merge(["a": 1], ["a": ["b": 2]])
        XCTAssertEqual(merged, ["a": ["b": 2]])
    }

    func testTypedAccess_convertsTextFromTheEnvironment() throws {
        let config = Configuration(["s": ["limit": "10", "ratio": "0.5", "on": "YES", "off": "off", "list": "a, b,,c ", "n": 3]])
        XCTAssertEqual(try config.int("s.limit"), 10)
        XCTAssertEqual(try config.double("s.ratio"), 0.5)
        XCTAssertEqual(try config.bool("s.on"), true)
        XCTAssertEqual(try config.bool("s.off"), false)
        XCTAssertEqual(try config.list("s.list"), ["a", "b", "c"])
        XCTAssertEqual(try config.string("s.n"), "3")
        XCTAssertEqual(try config.double("s.n"), 3)
    }

    func testTypedAccess_defaultsAndOptionals() throws {
        let config = Configuration(["a": ["x": nil]])
        XCTAssertEqual(try config.int("a.missing", default: 7), 7)
        XCTAssertEqual(try config.int("a.x", default: 7), 7)
        XCTAssertNil(try config.optionalString("a.x"))
        XCTAssertNil(try config.optionalString("nope.deeper"))
        XCTAssertEqual(try config.list("a.missing"), [])
        XCTAssertFalse(config.contains("a.x"))
    }

    func testBoolConverter_acceptsTheMicrocosmSpellings() {
        let truthy = ["true", "True", "TRUE", "yes", "Yes", "on", "ON", "1"]
        let falsy = ["false", "False", "no", "NO", "off", "Off", "0", ""]
        for text in truthy { XCTAssertEqual(ConfigType.bool.convert(.string(text)), true, text) }
        for text in falsy { XCTAssertEqual(ConfigType.bool.convert(.string(text)), false, text) }
        XCTAssertNil(ConfigType.bool.convert("maybe"))
        XCTAssertNil(ConfigType.bool.convert(2))
    }

    func testErrors_nameFullPathExpectedTypeAndValueSeen() {
        let config = Configuration(["sqs_consumer": ["limit": "ten", "nested": 5]])
        XCTAssertThrowsError(try config.int("sqs_consumer.limit")) { error in
            XCTAssertEqual("\(error)", #"config 'sqs_consumer.limit': expected int, got string "ten""#)
        }
        XCTAssertThrowsError(try config.string("sqs_consumer.sqs_queue_url")) { error in
            XCTAssertEqual("\(error)", "config 'sqs_consumer.sqs_queue_url': required string is missing")
        }
        XCTAssertThrowsError(try config.string("sqs_consumer.nested.deeper")) { error in
            XCTAssertEqual("\(error)", "config 'sqs_consumer.nested': expected object, got int 5")
        }
    }

    func testSection_keepsTheFullPathInErrors() throws {
        let config = Configuration(["sqs_consumer": ["limit": "ten"]])
        let section = try config.section("sqs_consumer")
        XCTAssertThrowsError(try section.int("limit")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.keyPath, "sqs_consumer.limit")
        }
    }

    func testKeyPath_componentsMayContainDots() {
        let mediaType = "application/vnd.globality.pubsub._.created.foo"
        let config = Configuration(["sns_topic_arns": ["mappings": [mediaType: "arn:topic"]]])
        XCTAssertEqual(config.value(at: ConfigKeyPath(["sns_topic_arns", "mappings", mediaType])), "arn:topic")
        XCTAssertNil(config.value(at: ConfigKeyPath(dotted: "sns_topic_arns.mappings.\(mediaType)")))
    }

    func testSetValue_createsIntermediateObjects() {
        var config = Configuration()
        config.setValue(5, at: "a.b.c")
        XCTAssertEqual(config.values, ["a": ["b": ["c": 5]]])
        config.setValue(nil, at: "a.b.c")
        XCTAssertEqual(config.values, ["a": ["b": [:]]])
    }
}
