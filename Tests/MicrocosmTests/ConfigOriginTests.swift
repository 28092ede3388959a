import Foundation
import Microcosm
import XCTest

/// Where configuration values come from, and the checked readers that name it in their errors.
final class ConfigOriginTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("microcosm-origins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func settingsFile(_ contents: String) throws -> String {
        let url = directory.appendingPathComponent("settings.json")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private var timeoutRegistry: Registry {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["read_timeout": .typed(.double, default: 60)]) { graph in
            try graph.config.seconds("sqs_consumer.read_timeout", in: 0.001...86_400)
        }
        return registry
    }

    // MARK: Origins

    func testOrigin_namesTheLastSourceThatSetEachKey() throws {
        let path = try settingsFile(#"{"store": {"a": "file", "b": "file"}}"#)
        var registry = Registry()
        registry.bind("store", defaults: ["a": "default", "b": "default", "c": "default", "d": "default"]) { _ in 0 }
        let environment = ["THINGS__SETTINGS": path, "THINGS__STORE__B": "env", "THINGS__STORE__D": "env"]
        let graph = try Graph(name: "things", registry: registry, loader: .standard(environment: environment),
                              config: ["store": ["d": "explicit"]])
        let store = try graph.config.section("store")
        XCTAssertEqual(store.origin(of: "a"), .settingsFile(path, variable: "THINGS__SETTINGS"))
        XCTAssertEqual(store.origin(of: "b"), .environmentVariable("THINGS__STORE__B"))
        XCTAssertEqual(store.origin(of: "c"), .defaults)
        XCTAssertEqual(store.origin(of: "d"), .explicit)
        XCTAssertNil(graph.config.origin(of: "nowhere"))
    }

    func testPartitionedLoader_keepsTheOriginsOfItsPartitions() throws {
        let partitioned = PartitionedLoader.configAndSecrets(config: .dictionary(["db": ["host": "h"]]),
                                                             secrets: .environment(["THINGS__DB__PASSWORD": "x"]))
        let graph = try Graph(name: "things", loader: partitioned.loader)
        XCTAssertEqual(graph.config.origin(of: "db.password"), .environmentVariable("THINGS__DB__PASSWORD"))
        XCTAssertEqual(partitioned.source(of: "db.password"), "secrets")
        XCTAssertEqual(partitioned.source(of: "db.host"), "config")
    }

    // MARK: Checked numbers

    func testSeconds_whenNotFiniteOrOutOfRange_failsAtCreation_namingTheKeyAndTheVariable() {
        let seen = ["nan": "NaN", "NaN": "NaN", "inf": "Infinity", "-inf": "-Infinity", "1e300": "1e+300", "0": "0.0", "-1": "-1.0",
                    "86401": "86401.0"]
        for (value, shown) in seen {
            let environment = ["ORDERS__SQS_CONSUMER__READ_TIMEOUT": value]
            XCTAssertThrowsError(try Graph(name: "orders", registry: timeoutRegistry, loader: .environment(environment))
                .resolveAny("sqs_consumer"), value) { error in
                let cause = (error as? GraphError)?.underlying as? ConfigurationError
                XCTAssertEqual(cause?.code, .invalidValue, "\(error)")
                XCTAssertEqual(cause?.description, "config 'sqs_consumer.read_timeout' (from ORDERS__SQS_CONSUMER__READ_TIMEOUT): "
                                   + "expected seconds from 0.001 to 86400, got double \(shown)")
            }
        }
    }

    func testSeconds_whenTheSettingsFileHoldsNaN_namesTheFile() throws {
        let path = try settingsFile(#"{"sqs_consumer": {"read_timeout": NaN}}"#)
        let graph = try Graph(name: "orders", registry: timeoutRegistry, loader: .standard(environment: ["ORDERS__SETTINGS": path]))
        XCTAssertThrowsError(try graph.resolveAny("sqs_consumer")) { error in
            XCTAssertEqual("\((error as? GraphError)?.underlying ?? error)",
                           "config 'sqs_consumer.read_timeout' (from settings file '\(path)' (ORDERS__SETTINGS)): "
                               + "expected seconds from 0.001 to 86400, got double NaN")
        }
    }

    func testSeconds_whenValid_isTheDurationInMilliseconds() throws {
        let graph = try Graph(name: "orders", registry: timeoutRegistry,
                              loader: .environment(["ORDERS__SQS_CONSUMER__READ_TIMEOUT": "2.5"]))
        XCTAssertEqual(try graph.resolve("sqs_consumer", as: Duration.self), .milliseconds(2500))
        XCTAssertEqual(try Graph(name: "orders", registry: timeoutRegistry, loader: .empty).resolve("sqs_consumer", as: Duration.self),
                       .seconds(60))
    }

    func testRangedTypes_areCheckedWhenTheGraphIsMade() throws {
        var registry = Registry()
        registry.bind("worker", defaults: ["count": .typed(.int(in: 1...Int.max), default: 10),
                                           "timeout": .typed(.seconds(in: 0.001...60), default: 5)]) { _ in 0 }
        XCTAssertEqual(ConfigType.int(in: 1...Int.max).convert("0"), nil)
        XCTAssertEqual(ConfigType.int(in: 1...Int.max).convert("3"), 3)
        XCTAssertTrue(ConfigType.int(in: 1...Int.max).isOutOfRange("0"))
        XCTAssertFalse(ConfigType.int(in: 1...Int.max).isOutOfRange("x"))
        let environment = ["THINGS__WORKER__COUNT": "0", "THINGS__WORKER__TIMEOUT": "inf"]
        XCTAssertThrowsError(try Graph(name: "things", registry: registry, loader: .environment(environment))) { error in
            XCTAssertEqual((error as? ConfigurationError)?.problems.map(\.description), [
                #"config 'worker.count' (from THINGS__WORKER__COUNT): expected a whole number of at least 1, got string "0""#,
                #"config 'worker.timeout' (from THINGS__WORKER__TIMEOUT): expected seconds from 0.001 to 60, got string "inf""#,
            ])
            XCTAssertEqual((error as? ConfigurationError)?.problems.map(\.code), [.invalidValue, .invalidValue])
        }
        let graph = try Graph(name: "things", registry: registry, loader: .environment(["THINGS__WORKER__COUNT": "4"]))
        XCTAssertEqual(graph.config["worker.count"], 4)
        XCTAssertEqual(graph.config["worker.timeout"], 5.0)
    }

    func testCheckedReaders_withoutOrigins_defaultsAndRanges() throws {
        let config = Configuration(["a": ["count": 0, "ratio": 0.5, "wait": "1.5", "gone": nil]])
        XCTAssertEqual(try config.int("a.count", in: 0...10), 0)
        XCTAssertEqual(try config.int("a.missing", in: 1...10, default: 3), 3)
        XCTAssertNil(try config.optionalInt("a.gone", in: 1...10))
        XCTAssertEqual(try config.double("a.ratio", in: 0...1), 0.5)
        XCTAssertEqual(try config.seconds("a.wait", in: 0...10), .milliseconds(1500))
        XCTAssertNil(try config.optionalSeconds("a.gone", in: 0...10))
        XCTAssertThrowsError(try config.int("a.count", in: 1...Int.max)) { error in
            XCTAssertEqual("\(error)", "config 'a.count': expected a whole number of at least 1, got int 0")
        }
        XCTAssertThrowsError(try config.double("a.ratio", in: 0...0.25)) { error in
            XCTAssertEqual("\(error)", "config 'a.ratio': expected a number from 0 to 0.25, got double 0.5")
        }
        XCTAssertThrowsError(try config.seconds("a.missing", in: 0...10)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.code, .missing)
        }
    }

    // MARK: Sections and missing values

    func testGraph_whenADeclaredSectionIsNotAnObject_reportsTheSectionNotItsKeys() throws {
        let path = try settingsFile(#"{"sqs_consumer": "not an object"}"#)
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["backoff_policy": "NaiveBackoffPolicy", "limit": .typed(.int, default: 10),
                                                 "nested": ["flag": .typed(.bool, default: false)]]) { _ in 0 }
        XCTAssertThrowsError(try Graph(name: "orders", registry: registry, loader: .standard(environment: ["ORDERS__SETTINGS": path]))) {
            XCTAssertEqual("\($0)", "config 'sqs_consumer' (from settings file '\(path)' (ORDERS__SETTINGS)): "
                               + #"expected object, got string "not an object""#)
        }
        XCTAssertThrowsError(try Graph(name: "orders", registry: registry,
                                       loader: .environment(["ORDERS__SQS_CONSUMER__NESTED": "yes"]))) {
            XCTAssertEqual("\($0)", #"config 'sqs_consumer.nested' (from ORDERS__SQS_CONSUMER__NESTED): expected object, got string "yes""#)
        }
    }

    func testGraph_whenARequiredValueIsMissing_saysWhichVariableOrSettingSetsIt() {
        var registry = Registry()
        registry.bind("order_store", defaults: ["base_url": .required(.string)]) { _ in 0 }
        XCTAssertThrowsError(try Graph(name: "orders", registry: registry, loader: .empty)) {
            XCTAssertEqual("\($0)", "config 'order_store.base_url': required string is missing; "
                               + "set ORDERS__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS__SETTINGS")
        }
    }

    func testGraph_whenARequiredValueIsMissing_andASettingsFileWasLoaded_namesThatFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString).json").path
        try Data(#"{"order_store": {"timeout": 5}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var registry = Registry()
        registry.bind("order_store", defaults: ["base_url": .required(.string)]) { _ in 0 }
        XCTAssertThrowsError(try Graph(name: "orders", registry: registry, loader: .standard(environment: ["ORDERS__SETTINGS": path]))) {
            XCTAssertEqual("\($0)", "config 'order_store.base_url': required string is missing; "
                               + "set ORDERS__ORDER_STORE__BASE_URL or order_store.base_url in settings file '\(path)' (ORDERS__SETTINGS)")
        }
    }

    func testFactoryRead_whenMissingOrMistyped_isLocatedToo() throws {
        var registry = Registry()
        registry.bind("store") { graph in try graph.config.string("store.url") }
        registry.bind("limit") { graph in try graph.config.int("store.limit") }
        let graph = try Graph(name: "things-api", registry: registry, loader: .environment(["THINGS_API__STORE__LIMIT": "x"]))
        XCTAssertThrowsError(try graph.resolveAny("store")) { error in
            XCTAssertEqual("\((error as? GraphError)?.underlying ?? error)",
                           "config 'store.url': required string is missing; set THINGS_API__STORE__URL or store.url in $THINGS_API__SETTINGS")
        }
        XCTAssertThrowsError(try graph.resolveAny("limit")) { error in
            XCTAssertEqual("\((error as? GraphError)?.underlying ?? error)",
                           #"config 'store.limit' (from THINGS_API__STORE__LIMIT): expected int, got string "x""#)
        }
    }
}
