import Microcosm
import MicrocosmJSON
import Synchronization
import XCTest

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
    var count: Int { value.load(ordering: .relaxed) }
}

private struct Store: Sendable, Equatable {
    let url: String
}

private struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

extension BindingKey where Component == Store {
    fileprivate static var store: Self { Self("store") }
}

extension BindingKey where Component == Int {
    fileprivate static var limit: Self { Self("limit") }
}

final class GraphTests: XCTestCase {
    private func graph(_ registry: Registry, testing: Bool = false, config: JSONObject = [:]) throws -> Graph {
        try Graph(name: "test", testing: testing, registry: registry, loader: .empty, config: config)
    }

    func testResolve_buildsLazilyOnceAndCaches() throws {
        let counter = Counter()
        var registry = Registry()
        registry.bind("thing") { _ in counter.increment() }
        let graph = try graph(registry)
        XCTAssertEqual(counter.count, 0)
        XCTAssertFalse(graph.isCreated("thing"))
        XCTAssertEqual(try graph.resolve("thing", as: Int.self), 1)
        XCTAssertEqual(try graph.resolve("thing", as: Int.self), 1)
        XCTAssertEqual(counter.count, 1)
        XCTAssertTrue(graph.isCreated("thing"))
    }

    func testResolve_typedKeyAndDefaultsFromBindingSection() throws {
        var registry = Registry()
        registry.bind(.store, defaults: ["url": "http://localhost:5000"]) { graph in
            Store(url: try graph.config.string("store.url"))
        }
        XCTAssertEqual(try graph(registry).resolve(.store), Store(url: "http://localhost:5000"))
        XCTAssertEqual(try graph(registry, config: ["store": ["url": "http://other"]]).resolve(.store), Store(url: "http://other"))
    }

    func testResolve_factoriesCanUseOtherBindings() throws {
        var registry = Registry()
        registry.bind("a") { _ in "a" }
        registry.bind("b") { graph in try graph.resolve("a", as: String.self) + "b" }
        XCTAssertEqual(try graph(registry).resolve("b", as: String.self), "ab")
    }

    func testResolve_whenNotBound_suggestsNearestNames() throws {
        var registry = Registry()
        registry.bind("sns_producer") { _ in 1 }
        registry.bind("sqs_consumer") { _ in 2 }
        let graph = try graph(registry)
        XCTAssertThrowsError(try graph.resolveAny("sns_produce")) { error in
            XCTAssertEqual("\(error)", "no binding 'sns_produce'; did you mean 'sns_producer'?")
            XCTAssertEqual((error as? GraphError)?.related, ["sns_producer"])
        }
        XCTAssertThrowsError(try graph.resolveAny("zzzzzzzzzzzzzz")) { error in
            XCTAssertEqual("\(error)", "no binding 'zzzzzzzzzzzzzz'")
        }
    }

    func testResolve_whenCycle_reportsTheFullPath() throws {
        var registry = Registry()
        registry.bind("a") { graph in try graph.resolveAny("b") }
        registry.bind("b") { graph in try graph.resolveAny("c") }
        registry.bind("c") { graph in try graph.resolveAny("a") }
        let graph = try graph(registry)
        XCTAssertThrowsError(try graph.resolveAny("a")) { error in
            XCTAssertEqual("\(error)", "cycle in the graph: a -> b -> c -> a")
            XCTAssertEqual((error as? GraphError)?.code, .cycle)
        }
        XCTAssertFalse(graph.isCreated("a"))
    }

    func testResolve_whenFactoryThrows_wrapsWithBindingNameAndKeepsOriginal() throws {
        var registry = Registry()
        registry.bind("fragile") { _ -> Int in throw Boom() }
        registry.bind("user") { graph in try graph.resolve("fragile", as: Int.self) }
        let graph = try graph(registry)
        XCTAssertThrowsError(try graph.resolveAny("user")) { error in
            let graphError = error as! GraphError
            XCTAssertEqual(graphError.description, "creating 'fragile' failed: boom")
            XCTAssertEqual(graphError.key, "fragile")
            XCTAssertTrue(graphError.underlying is Boom)
        }
    }

    func testResolve_afterAFactoryFailed_triesAgainAndKeepsWhatWasBuilt() throws {
        // microcosm's partial use: a failed component is not cached, the components built before it are.
        let attempts = Counter()
        let builtStore = Counter()
        var registry = Registry()
        registry.bind("store") { _ in _ = builtStore.increment(); return Store(url: "s") }
        registry.bind("flaky") { graph -> Int in
            _ = try graph.resolve("store", as: Store.self)
            if attempts.increment() == 1 { throw Boom() }
            return 42
        }
        let graph = try graph(registry)
        XCTAssertThrowsError(try graph.resolve("flaky", as: Int.self))
        XCTAssertEqual(try graph.resolve("flaky", as: Int.self), 42)
        XCTAssertEqual(attempts.count, 2)
        XCTAssertEqual(builtStore.count, 1)
    }

    func testResolve_whenTypeDiffers_saysWhatItHolds() throws {
        var registry = Registry()
        registry.bind("n") { _ in 5 }
        XCTAssertThrowsError(try graph(registry).resolve("n", as: String.self)) { error in
            XCTAssertEqual("\(error)", "binding 'n' holds Int, not String")
        }
    }

    func testBind_twice_isAnErrorAtCreation() {
        var registry = Registry()
        registry.bind("thing") { _ in 1 }
        registry.bind("thing") { _ in 2 }
        XCTAssertThrowsError(try graph(registry)) { error in
            XCTAssertEqual((error as? GraphError)?.code, .alreadyBound)
            XCTAssertTrue("\(error)".contains("binding 'thing' is bound twice"))
        }
        var replaced = Registry()
        replaced.bind("thing") { _ in 1 }
        replaced.replace("thing") { _ in 2 }
        XCTAssertEqual(try graph(replaced).resolve("thing", as: Int.self), 2)
    }

    func testUse_withTypedKeys_createsEach_andIsCreatedAnswersForTypedKeys() throws {
        var registry = Registry()
        registry.bind(.store) { _ in Store(url: "http://store") }
        registry.bind(.limit) { _ in 5 }
        registry.bind("late") { _ in "late" }
        let graph = try graph(registry)
        XCTAssertFalse(graph.isCreated(.store))
        try graph.use(.store, .limit)
        XCTAssertTrue(graph.isCreated(.store))
        XCTAssertTrue(graph.isCreated(.limit))
        XCTAssertFalse(graph.isCreated("late"))
    }

    func testUseThenLock_createdComponentsResolveButNewOnesFail() throws {
        var registry = Registry()
        registry.bind("early") { _ in "early" }
        registry.bind("late") { _ in "late" }
        let graph = try graph(registry)
        XCTAssertEqual(try graph.use("early").count, 1)
        graph.lock()
        XCTAssertTrue(graph.isLocked)
        XCTAssertEqual(try graph.resolve("early", as: String.self), "early")
        XCTAssertThrowsError(try graph.resolveAny("late")) { error in
            XCTAssertEqual((error as? GraphError)?.code, .locked)
            XCTAssertTrue("\(error)".hasPrefix("cannot create 'late': the graph is locked"))
        }
        graph.unlock()
        XCTAssertEqual(try graph.resolve("late", as: String.self), "late")
    }

    func testOverride_beforeAndAfterCreation() throws {
        var registry = Registry()
        registry.bind("client") { _ in "real" }
        let before = try graph(registry)
        before.override("client") { _ in "fake" }
        XCTAssertEqual(try before.resolve("client", as: String.self), "fake")

        let after = try graph(registry)
        XCTAssertEqual(try after.resolve("client", as: String.self), "real")
        after.override("client") { _ in "fake" }
        XCTAssertEqual(try after.resolve("client", as: String.self), "fake")
    }

    func testAssign_worksWhenLockedAndForNewNames() throws {
        var registry = Registry()
        registry.bind("client") { _ in "real" }
        let graph = try graph(registry)
        graph.lock()
        graph.assign("client", "assigned")
        graph.assign("extra", 42)
        XCTAssertEqual(try graph.resolve("client", as: String.self), "assigned")
        XCTAssertEqual(try graph.resolve("extra", as: Int.self), 42)
    }

    func testMetadata_isResolvableAndDrivesNames() throws {
        let graph = try Graph(name: "things-api", debug: true, testing: true, description: "things", loader: .empty)
        let metadata = try graph.resolve("metadata", as: Metadata.self)
        XCTAssertEqual(metadata, Metadata(name: "things-api", debug: true, testing: true, description: "things"))
        XCTAssertEqual(metadata.environmentPrefix, "THINGS_API")
        XCTAssertEqual(metadata.settingsVariable, "THINGS_API__SETTINGS")
        XCTAssertEqual(try graph.resolve("config", as: Configuration.self), graph.config)
        XCTAssertEqual(graph.logger.level, .debug)
    }

    func testConcurrentResolution_buildsExactlyOnce() async throws {
        let counter = Counter()
        var registry = Registry()
        registry.bind("shared") { _ in
            Thread.sleep(forTimeInterval: 0.01)
            return counter.increment()
        }
        let graph = try graph(registry)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<100 { group.addTask { try graph.resolve("shared", as: Int.self) } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(results.count, 100)
        XCTAssertEqual(Set(results), [1])
        XCTAssertEqual(counter.count, 1)
    }

    // MARK: Requirements

    func testRequirements_areValidatedAtCreationWithEveryProblemListed() {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: [
            "sqs_queue_url": .required(.string),
            "limit": .typed(.int, default: 10),
            "debug": .typed(.bool, default: false),
        ]) { _ in 0 }
        XCTAssertThrowsError(try graph(registry, config: ["sqs_consumer": ["limit": "ten", "debug": "maybe"]])) { error in
            let problems = (error as! ConfigurationError).problems.map(\.description)
            XCTAssertEqual(problems, [
                "config 'sqs_consumer.sqs_queue_url': required string is missing; "
                    + "set TEST__SQS_CONSUMER__SQS_QUEUE_URL or sqs_consumer.sqs_queue_url in $TEST__SETTINGS",
                #"config 'sqs_consumer.limit' (from explicit config): expected int, got string "ten""#,
                #"config 'sqs_consumer.debug' (from explicit config): expected bool, got string "maybe""#,
            ])
        }
    }

    func testRequirements_convertValuesAndApplyDefaults() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: [
            "sqs_queue_url": .required(.string),
            "limit": .typed(.int, default: 10),
            "wait_seconds": .typed(.int, default: 1),
            "nested": ["flag": .typed(.bool, default: false)],
        ]) { _ in 0 }
        let environment = ["THINGS__SQS_CONSUMER__SQS_QUEUE_URL": "http://q", "THINGS__SQS_CONSUMER__LIMIT": "5",
                           "THINGS__SQS_CONSUMER__NESTED__FLAG": "on"]
        let graph = try Graph(name: "things", registry: registry, loader: .environment(environment))
        XCTAssertEqual(graph.config["sqs_consumer.limit"], 5)
        XCTAssertEqual(graph.config["sqs_consumer.wait_seconds"], 1)
        XCTAssertEqual(graph.config["sqs_consumer.nested.flag"], true)
        XCTAssertEqual(graph.config["sqs_consumer.sqs_queue_url"], "http://q")
    }

    func testRequirements_mockValueOnlyWhenTesting() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["sqs_queue_url": .required(.string, mock: "http://mock/queue")]) { _ in 0 }
        XCTAssertEqual(try graph(registry, testing: true).config["sqs_consumer.sqs_queue_url"], "http://mock/queue")
        XCTAssertThrowsError(try graph(registry, testing: false))
        XCTAssertEqual(try graph(registry, testing: true, config: ["sqs_consumer": ["sqs_queue_url": "http://real"]])
            .config["sqs_consumer.sqs_queue_url"], "http://real")
    }

    func testTypedRequirement_mockWinsOverDefaultOnlyWhenTesting() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["limit": .typed(.int, default: 10, mock: 5)]) { _ in 0 }
        XCTAssertEqual(try graph(registry, testing: true).config["sqs_consumer.limit"], 5)
        XCTAssertEqual(try graph(registry, testing: false).config["sqs_consumer.limit"], 10)
        XCTAssertEqual(try graph(registry, testing: true, config: ["sqs_consumer": ["limit": "7"]]).config["sqs_consumer.limit"], 7)
    }

    func testRequirementMockAndDefault_areConvertedAndChecked() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: [
            "enabled": .required(.bool, mock: "true"),
            "topics": .typed(.list, default: "a,b"),
        ]) { _ in 0 }
        let config = try graph(registry, testing: true).config
        XCTAssertEqual(config["sqs_consumer.enabled"], true)
        XCTAssertEqual(config["sqs_consumer.topics"], ["a", "b"])

        var wrong = Registry()
        wrong.bind("sqs_consumer", defaults: ["limit": .required(.int, mock: "abc")]) { _ in 0 }
        XCTAssertThrowsError(try graph(wrong, testing: true)) { error in
            XCTAssertEqual("\(error)", #"config 'sqs_consumer.limit': expected int, got string "abc""#)
        }
    }

    func testTypedRequirement_loadedListReplacesTheDefaultList() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["topics": .typed(.list, default: ["a"])]) { _ in 0 }
        XCTAssertEqual(try graph(registry, config: ["sqs_consumer": ["topics": ["b", "c"]]]).config["sqs_consumer.topics"], ["b", "c"])
        XCTAssertEqual(try graph(registry).config["sqs_consumer.topics"], ["a"])
    }

    func testTypedRequirement_nullDefaultStaysNullUnconverted() throws {
        var registry = Registry()
        registry.bind("sqs_consumer", defaults: ["visibility_timeout_seconds": .typed(.int, default: nil)]) { _ in 0 }
        XCTAssertEqual(try graph(registry).config["sqs_consumer.visibility_timeout_seconds"], .null)
        XCTAssertEqual(try graph(registry, config: ["sqs_consumer": ["visibility_timeout_seconds": "30"]])
            .config["sqs_consumer.visibility_timeout_seconds"], 30)
    }

    func testDeclaredSection_loggingLevelIsValidated() {
        XCTAssertThrowsError(try Graph(name: "x", loader: .empty, config: ["logging": ["level": "loud"]])) { error in
            XCTAssertTrue("\(error)".hasPrefix(#"config 'logging.level' (from explicit config): expected log level"#), "\(error)")
        }
        XCTAssertEqual(try Graph(name: "x", loader: .empty, config: ["logging": ["level": "WARN"]]).logger.level, .warning)
    }
}
