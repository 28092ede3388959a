import Foundation
import Microcosm
import MicrocosmJSON
import XCTest

final class ConfigLoaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("microcosm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, _ contents: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    // MARK: Environment naming (microcosm's load_from_environ table)

    func testEnvironment_namingTable() throws {
        let cases: [(service: String, variable: String, expected: JSONObject)] = [
            ("foo", "FOO__BAR", ["bar": "value"]),
            ("foo", "FOO__BAZ__BAR", ["baz": ["bar": "value"]]),
            ("foo-bar", "FOO_BAR__BAZ", ["baz": "value"]),
            ("foo_bar", "FOO_BAR__BAZ", ["baz": "value"]),
            ("foo", "FOO_BAR__BAZ", [:]),          // another service's variable
            ("bar", "FOO_BAR__BAZ", [:]),
            ("foo", "foo__bar", [:]),              // prefix must be upper-case
            ("foo", "FOO", [:]),                   // no key below the prefix
            ("foo", "FOO_BAR", [:]),               // single underscore is not a level separator
            ("foo", "FOO__SQS_CONSUMER__SQS_QUEUE_URL", ["sqs_consumer": ["sqs_queue_url": "value"]]),
            ("foo", "FOO__Mixed__CASE", ["mixed": ["case": "value"]]),
        ]
        for (service, variable, expected) in cases {
            let loaded = try ConfigLoader.environment([variable: "value", "PATH": "/bin"]).load(Metadata(name: service))
            XCTAssertEqual(loaded, expected, "\(service) / \(variable)")
        }
    }

    func testEnvironment_combinesLevels() throws {
        let environment = ["THINGS__SQS_CONSUMER__LIMIT": "5", "THINGS__SQS_CONSUMER__WAIT_SECONDS": "2", "THINGS__DEBUG": "true"]
        let loaded = try ConfigLoader.environment(environment).load(Metadata(name: "things"))
        XCTAssertEqual(loaded, ["sqs_consumer": ["limit": "5", "wait_seconds": "2"], "debug": "true"])
    }

    func testEnvironmentJSON_parsesValues() throws {
        let environment = ["THINGS__LIMIT": "5", "THINGS__FLAGS": #"["a", "b"]"#, "THINGS__NAME": #""x""#]
        let loaded = try ConfigLoader.environmentJSON(environment).load(Metadata(name: "things"))
        XCTAssertEqual(loaded, ["limit": 5, "flags": ["a", "b"], "name": "x"])
    }

    func testEnvironmentJSON_whenValueIsNotJSON_namesTheVariable() {
        XCTAssertThrowsError(try ConfigLoader.environmentJSON(["THINGS__LIMIT": "five"]).load(Metadata(name: "things"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("environment variable THINGS__LIMIT is not valid JSON: invalid JSON at line 1, column 1"), "\(error)")
        }
    }

    // MARK: Settings file

    func testSettingsFile_loadsTheFileNamedByTheVariable() throws {
        let path = try file("settings.json", #"{"sqs_consumer": {"limit": 3}}"#)
        let loaded = try ConfigLoader.settingsFile(environment: ["THINGS_API__SETTINGS": path]).load(Metadata(name: "things-api"))
        XCTAssertEqual(loaded, ["sqs_consumer": ["limit": 3]])
    }

    func testSettingsFile_whenVariableUnset_loadsNothing() throws {
        XCTAssertEqual(try ConfigLoader.settingsFile(environment: [:]).load(Metadata(name: "things")), [:])
    }

    func testSettingsFile_whenMissing_namesVariableAndPath() {
        let path = directory.appendingPathComponent("absent.json").path
        XCTAssertThrowsError(try ConfigLoader.settingsFile(environment: ["THINGS__SETTINGS": path]).load(Metadata(name: "things"))) { error in
            XCTAssertEqual("\(error)", "THINGS__SETTINGS names '\(path)', which does not exist")
        }
    }

    func testSettingsFile_whenInvalidJSON_reportsLineAndColumn() throws {
        let path = try file("bad.json", "{\n  \"a\": 1\n  \"b\": 2\n}")
        XCTAssertThrowsError(try ConfigLoader.settingsFile(environment: ["THINGS__SETTINGS": path]).load(Metadata(name: "things"))) { error in
            XCTAssertEqual("\(error)", "THINGS__SETTINGS names '\(path)': invalid JSON at line 3, column 3: expected ',' or '}', found '\"'")
        }
    }

    func testSettingsFile_whenNotAnObject_saysSo() throws {
        let path = try file("list.json", "[1, 2]")
        XCTAssertThrowsError(try ConfigLoader.settingsFile(environment: ["THINGS__SETTINGS": path]).load(Metadata(name: "things"))) { error in
            XCTAssertEqual("\(error)", "THINGS__SETTINGS names '\(path)': expected a JSON object at the top level, found array")
        }
    }

    // MARK: Composition

    func testEach_laterLoadersWin() throws {
        let loader = ConfigLoader.each(.dictionary(["a": 1, "b": ["c": 1, "l": [1]]]), .dictionary(["a": 2, "b": ["d": 2, "l": [2]]]))
        XCTAssertEqual(try loader.load(Metadata(name: "x")), ["a": 2, "b": ["c": 1, "d": 2, "l": [1, 2]]])
    }

    func testTwoStage_secondStageSeesTheFirst() throws {
        let loader = ConfigLoader.twoStage(.dictionary(["secrets_path": "/s", "a": 1])) { _, first in
            ["loaded_from": .string(try first.string("secrets_path")), "a": 2]
        }
        XCTAssertEqual(try loader.load(Metadata(name: "x")), ["secrets_path": "/s", "a": 1, "loaded_from": "/s"])
        let preferring = ConfigLoader.twoStage(.dictionary(["a": 1]), preferSecondary: true) { _, _ in ["a": 2] }
        XCTAssertEqual(try preferring.load(Metadata(name: "x")), ["a": 2])
    }

    func testPartitioned_recordsWhichLoaderSuppliedEachKey() throws {
        let partitioned = PartitionedLoader.configAndSecrets(
            config: .dictionary(["sns_producer": ["endpoint_url": "http://x"], "db": ["host": "h", "password": "public"]]),
            secrets: .dictionary(["db": ["password": "s3cret"]]))
        let graph = try Graph(name: "things", loader: partitioned.loader)
        XCTAssertEqual(try graph.config.string("db.password"), "s3cret")
        XCTAssertEqual(partitioned.source(of: "db.password"), "secrets")
        XCTAssertEqual(partitioned.source(of: "db.host"), "config")
        XCTAssertEqual(partitioned.source(of: "sns_producer.endpoint_url"), "config")
        XCTAssertNil(partitioned.source(of: "nowhere"))
        XCTAssertEqual(partitioned.partition("secrets"), ["db": ["password": "s3cret"]])
    }

    // MARK: Default order

    func testStandardOrder_defaultsThenFileThenEnvironmentThenExplicit() throws {
        let path = try file("settings.json", #"{"store": {"a": "file", "b": "file", "c": "file"}}"#)
        var registry = Registry()
        registry.bind("store", defaults: ["a": "default", "b": "default", "c": "default", "d": "default"]) { _ in 0 }
        let environment = ["THINGS__SETTINGS": path, "THINGS__STORE__B": "env", "THINGS__STORE__C": "env"]
        let graph = try Graph(name: "things", registry: registry, loader: .standard(environment: environment),
                              config: ["store": ["c": "explicit"]])
        XCTAssertEqual(try graph.config.section("store").values, ["a": "file", "b": "env", "c": "explicit", "d": "default"])
    }
}
