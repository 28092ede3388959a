import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// The daemon's flags, each mapped to the config key a Python service uses, and the order
/// configuration comes in: defaults < settings file < environment < flags.
final class ConsumerDaemonOptionsTests: XCTestCase {
    private func parse(_ arguments: [String], stdin: String = "") throws -> ConsumerDaemonOptions {
        try ConsumerDaemonOptions.parse(arguments, command: "things-daemon", readStandardInput: { Data(stdin.utf8) })
    }

    func testParse_mapsEachFlagToThePythonConfigKey() throws {
        let options = try parse(["--sqs-queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/things",
                                 "--envelope", "RawSQSEnvelope", "--endpoint-url", "http://localhost:5000", "--region", "eu-west-1",
                                 "--visibility-timeout", "120", "--concurrency", "32", "--grace-period", "12.5", "--debug"])
        let expected: JSONObject = [
            "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/things", "sqs_event": "",
                             "endpoint_url": "http://localhost:5000", "region_name": "eu-west-1", "visibility_timeout_seconds": 120],
            "sqs_envelope": ["strategy_name": "RawSQSEnvelope"],
            "sns_producer": ["endpoint_url": "http://localhost:5000", "region_name": "eu-west-1"],
            "consumer_daemon": ["concurrency": 32, "grace_period_seconds": 12.5],
        ]
        XCTAssertEqual(options.config, expected)
        XCTAssertTrue(options.debug)
        XCTAssertFalse(options.testing || options.isLambdaMode || options.wantsHelp)
    }

    func testParse_stdin_readsStandardInputWithTheNaiveEnvelope_unlessAnEnvelopeIsGiven() throws {
        XCTAssertEqual(try parse(["--stdin"]).config, [
            "sqs_consumer": ["sqs_queue_url": "STDIN", "sqs_event": ""],
            "sqs_envelope": ["strategy_name": "NaiveSQSEnvelope"],
        ])
        XCTAssertEqual(try parse(["--stdin", "--envelope", "CodecSQSEnvelope"]).config.dictionary["sqs_envelope"],
                       ["strategy_name": "CodecSQSEnvelope"])
    }

    func testParse_lambdaEvent_readsTheEventFromStandardInput_andSelectsLambdaMode() throws {
        let options = try parse(["--lambda-event", "-"], stdin: #"{"Records": []}"#)
        XCTAssertTrue(options.isLambdaMode)
        XCTAssertEqual(options.config, [
            "sqs_consumer": ["sqs_event": ["Records": []], "sqs_queue_url": ""],
            "sqs_envelope": ["strategy_name": "LambdaSQSEnvelope"],
        ])
    }

    func testParse_rejectsBadCommandLines_namingTheFlag() {
        let cases: [([String], String)] = [
            (["--sqs-queue"], "unknown option '--sqs-queue'"),
            (["--debug", "--testing"], "--debug and --testing exclude each other"),
            (["--stdin", "--sqs-queue-url", "x"], "--sqs-queue-url and --stdin exclude each other"),
            (["--concurrency", "0"], "--concurrency needs a whole number from 1 to 10000, got '0'"),
            (["--grace-period", "soon"], "--grace-period needs a number from 0.0 to 86400.0, got 'soon'"),
            (["--visibility-timeout", "50000"], "--visibility-timeout needs a whole number from 0 to 43200, got '50000'"),
            (["--envelope", "Snappy"], "--envelope must be one of CodecSQSEnvelope, RawSQSEnvelope, NaiveSQSEnvelope, LambdaSQSEnvelope, got 'Snappy'"),
            (["--lambda-event", "/nonexistent/event.json"], "--lambda-event: '/nonexistent/event.json' does not exist"),
            (["--lambda-event", "-"], "--lambda-event: standard input is not JSON"),
            (["--sqs-queue-url"], "--sqs-queue-url needs a value (URL)"),
        ]
        for (arguments, message) in cases {
            XCTAssertThrowsError(try parse(arguments, stdin: "{oops"), "\(arguments)") { error in
                let usage = error as? UsageError
                XCTAssertTrue(usage?.description.hasPrefix("things-daemon: " + message) == true, "\(arguments): \(error)")
                XCTAssertEqual(UsageError.exitStatus, 64)
            }
        }
    }

    func testHelp_listsEveryFlagWithItsConfigKey() async {
        let output = Recorder<String>()
        let status = await TestDaemon().run(arguments: ["--help"], environment: [:], output: { output.append($0) })
        XCTAssertEqual(status, 0)
        let help = output.all.joined()
        for flag in ["--sqs-queue-url URL", "--stdin", "--lambda-event FILE", "--envelope NAME", "--endpoint-url URL", "--region NAME",
                     "--visibility-timeout S", "--concurrency N", "--grace-period S", "--debug", "--testing", "--help"] {
            XCTAssertTrue(help.contains(flag), "help lists \(flag):\n\(help)")
        }
        for key in ["sqs_consumer.sqs_queue_url", "sqs_envelope.strategy_name", "consumer_daemon.concurrency",
                    "consumer_daemon.grace_period_seconds", "sqs_consumer.visibility_timeout_seconds"] {
            XCTAssertTrue(help.contains(key), "help names \(key)")
        }
        XCTAssertTrue(help.hasPrefix("usage: things-daemon"), help)
    }

    func testMakeGraph_configurationIsDefaultsThenSettingsFileThenEnvironmentThenFlags() throws {
        let settings = try temporaryFile(#"""
            {"consumer_daemon": {"concurrency": 3, "grace_period_seconds": 7, "error_backoff_seconds": 2},
             "sqs_consumer": {"limit": 4}}
            """#)
        let environment = [
            "THINGS_DAEMON__SETTINGS": settings,
            "THINGS_DAEMON__CONSUMER_DAEMON__CONCURRENCY": "5",
            "THINGS_DAEMON__CONSUMER_DAEMON__GRACE_PERIOD_SECONDS": "8",
        ]
        let graph = try TestDaemon().makeGraph(arguments: ["--testing", "--concurrency", "9"], environment: environment)
        let daemon = try graph.consumerDaemonSettings
        XCTAssertEqual(daemon.concurrency, 9, "flag over environment over file")
        XCTAssertEqual(daemon.gracePeriod, .seconds(8), "environment over file")
        XCTAssertEqual(daemon.errorBackoff, .seconds(2), "file over default")
        XCTAssertEqual(daemon.maxErrorBackoff, .seconds(30), "default")
        XCTAssertNil(daemon.heartbeatInterval, "default: half the visibility timeout")
        XCTAssertEqual(daemon.idleSleep, .milliseconds(500), "sleep_policy.default_sleep_timeout")
        XCTAssertEqual(daemon.acknowledgementAttempts, 5)
        XCTAssertEqual(try graph.sqsConsumer.limit, 4)
    }

    func testMakeGraph_createsChecksAndLocksTheGraph_withTheProducer() throws {
        let plain = try TestDaemon().makeGraph(arguments: ["--testing"], environment: [:])
        XCTAssertTrue(plain.isLocked)
        for key in ["sqs_consumer", "sqs_message_dispatcher", "consumer_daemon", "pubsub_broker"] {
            XCTAssertTrue(plain.isCreated(key), key)
        }
        XCTAssertEqual(try plain.sqsConsumer.queueURL, "memory://sqs.us-east-1/123456789012/things-daemon", "testing: a queue named after it")

        let producing = try TestDaemon().makeGraph(arguments: ["--testing"], environment: [
            "THINGS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:things",
        ])
        XCTAssertTrue(producing.isCreated("sns_producer"))
    }

    func testRun_withBadFlags_exits64_withOneLine() async {
        let errors = Recorder<String>()
        let status = await TestDaemon().run(arguments: ["--concurrency", "many"], environment: [:], errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(errors.all, ["things-daemon: --concurrency needs a whole number from 1 to 10000, got 'many' (see --help)"])
    }

    func testRun_withBadConfiguration_exits64_withOneLineNamingTheKey() async {
        let errors = Recorder<String>()
        let status = await TestDaemon().run(arguments: ["--testing"], environment: ["THINGS_DAEMON__CONSUMER_DAEMON__CONCURRENCY": "0"],
                                            errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.all[0], "things-daemon: config 'consumer_daemon.concurrency' (from THINGS_DAEMON__CONSUMER_DAEMON__CONCURRENCY): "
                           + #"expected a whole number of at least 1, got string "0""#)
        XCTAssertFalse(errors.all[0].contains("\n"))
    }

    func testRun_withNoSource_exits64_sayingWhatToGive() async {
        let errors = Recorder<String>()
        let status = await TestDaemon().run(arguments: [], environment: [:], errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertTrue(errors.all.first?.contains("'sqs_consumer.sqs_queue_url' is not set") == true, "\(errors.all)")
    }

    func testRun_whenAHandlerTypeCannotBeBuilt_exits64_namingIt() async {
        let errors = Recorder<String>()
        var daemon = TestDaemon()
        daemon.register = { handlers in handlers.register(UnbuildableHandler.self, for: .created("Widget")) }
        let status = await daemon.run(arguments: ["--testing"], environment: [:], errorOutput: { errors.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertTrue(errors.all.first?.contains("UnbuildableHandler") == true, "\(errors.all)")
    }

    private func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

/// A handler type whose graph lacks what it needs.
struct UnbuildableHandler: MessageHandler {
    init(graph: Graph) throws { _ = try graph.resolve("thing_store", as: String.self) }
    func handle(_ message: ConsumedMessage) async throws -> Bool { true }
}

/// A daemon named `things-daemon` handling created.thing: it records each URI, and fails the
/// message when the URI ends in `/fail`, nacks it (30 s) when it ends in `/retry`. When it starts,
/// it sends a created.thing message to its queue for each URI of `seed`. With a `broker`, that is
/// the in-memory broker (`pubsub_broker`) it reads when testing.
struct TestDaemon: ConsumerDaemon {
    var name: String { "things-daemon" }
    var summary: String? { "Handle things." }
    var handled = Recorder<String>()
    var seed: [String] = []
    var register: @Sendable (inout MessageHandlers) -> Void = { _ in }
    var broker: InMemoryBroker?

    var registry: Registry {
        var registry = Registry.pubsub
        if let broker { registry.replace(.pubsubBroker) { _ in broker } }
        return registry
    }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        let handled = self.handled
        handlers.register(.created("Thing")) { message in
            let uri = message.uri ?? ""
            handled.append(uri)
            if uri.hasSuffix("/fail") { throw TestDaemonFailure() }
            if uri.hasSuffix("/retry") { throw Nack(visibilityTimeout: 30) }
            return true
        }
        register(&handlers)
        return handlers
    }

    func prepare(_ graph: Graph) async throws {
        guard let queueURL = try graph.sqsConsumer.queueURL else { return }
        for uri in seed {
            let body = try graph.pubsubMessageSchemaRegistry.encode(.created("Thing"), fields: ["uri": .string(uri)])
            _ = try await graph.sqsClient.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))
        }
    }
}

struct TestDaemonFailure: Error {}
