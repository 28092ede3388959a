import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import SimpleDaemon
import XCTest

/// The built `simple-daemon` binary, run as a child process: its help, usage errors, standard
/// input, the in-memory broker, and SIGTERM/SIGINT (graceful, then at once). No network.
final class SimpleDaemonTests: XCTestCase {
    private let quiet = ["SIMPLE_DAEMON__LOGGING__LEVEL": "info"]

    private func start(_ arguments: [String], environment: [String: String] = [:], standardInput: String? = nil) throws -> DaemonProcess {
        let daemon = try DaemonProcess(arguments, environment: quiet.merging(environment) { $1 }, standardInput: standardInput)
        addTeardownBlock { daemon.killIfRunning() }
        return daemon
    }

    func testHelp_listsEveryFlag_andExits0() async throws {
        let daemon = try start(["--help"])
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(daemon.stdout.first, "usage: simple-daemon [--sqs-queue-url URL] [--stdin] [--lambda-event FILE] [--envelope NAME] "
                           + "[--endpoint-url URL] [--region NAME] [--visibility-timeout S] [--concurrency N] [--grace-period S] [--health-port PORT] [--log-level LEVEL] [--debug] [--testing]")
        for flag in ["--sqs-queue-url", "--stdin", "--lambda-event", "--envelope", "--endpoint-url", "--region", "--visibility-timeout",
                     "--concurrency", "--grace-period", "--health-port", "--log-level", "--debug", "--testing", "--help"] {
            XCTAssertTrue(daemon.stdout.contains { $0.hasPrefix("  " + flag) }, "help lists \(flag)")
        }
    }

    func testUsageError_exits64_withOneLineOnStandardError() async throws {
        let daemon = try start(["--concurrency", "0"])
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 64)
        XCTAssertEqual(daemon.stderr, ["simple-daemon: --concurrency needs a whole number from 1 to 10000, got '0' (see --help)"])
        XCTAssertEqual(daemon.stdout, [])
    }

    /// Start-up errors found before any I/O: exit 64, one line naming the key and where it came
    /// from, no backtrace (these used to crash with SIGILL, or retry forever).
    func testBadConfiguration_exits64AtStartUp_withOneLineNamingTheVariable() async throws {
        let settings = FileManager.default.temporaryDirectory.appendingPathComponent("simple-daemon-\(UUID().uuidString).json")
        try Data(#"{"sqs_consumer": "not an object"}"#.utf8).write(to: settings)
        defer { try? FileManager.default.removeItem(at: settings) }
        let cases: [([String], [String: String], String)] = [
            (["--testing"], ["SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS": "nan"],
             #"simple-daemon: config 'simple_daemon.delay_seconds' (from SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS): "#
                + #"expected seconds from 0 to 86400, got string "nan""#),
            (["--testing"], ["SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS": "1e300"],
             #"simple-daemon: config 'simple_daemon.delay_seconds' (from SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS): "#
                + #"expected seconds from 0 to 86400, got string "1e300""#),
            (["--sqs-queue-url", "http://127.0.0.1:1/123456789012/q", "--region", "us-east-1"],
             ["SIMPLE_DAEMON__SQS_CONSUMER__READ_TIMEOUT": "inf"],
             #"simple-daemon: config 'sqs_consumer.read_timeout' (from SIMPLE_DAEMON__SQS_CONSUMER__READ_TIMEOUT): "#
                + #"expected seconds from 0.001 to 86400, got string "inf""#),
            ([], ["SIMPLE_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": "/nonexistent/replay.jsonl"],
             "simple-daemon: creating 'sqs_consumer' failed: config 'sqs_consumer.sqs_queue_url' (from SIMPLE_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL): "
                + "no file '/nonexistent/replay.jsonl' (a file of JSON lines to replay must exist; a queue URL starts with https://)"),
            (["--testing"], ["SIMPLE_DAEMON__SETTINGS": settings.path],
             "simple-daemon: config 'sqs_consumer' (from settings file '\(settings.path)' (SIMPLE_DAEMON__SETTINGS)): "
                + #"expected object, got string "not an object""#),
            (["--sqs-queue-url", "not a url"], [:],
             "simple-daemon: --sqs-queue-url: no file 'not a url' (a file of JSON lines to replay must exist; "
                + "a queue URL starts with https://) (see --help)"),
            (["--testing", "--region", "us east"], [:],
             "simple-daemon: --region needs an AWS region name like us-east-1 (letters, digits and '-'), got 'us east' (see --help)"),
        ]
        for (arguments, environment, line) in cases {
            let daemon = try start(arguments, environment: environment)
            let status = await daemon.waitForExit()
            XCTAssertEqual(status, 64, "\(arguments) \(environment): \(daemon.stderr)")
            XCTAssertEqual(daemon.stderr, [line], "\(arguments) \(environment)")
            XCTAssertEqual(daemon.stdout, [])
        }
    }

    func testMessageText_withControlCharacters_isPrintedEscapedOnOneLine() async throws {
        // JSON escapes: the message holds LF, CR, ESC, NUL, DEL, a C1 control and U+2028.
        let text = #"ok\n2026-12-02T00:00:00Z INFO simple-daemon: forged\r\u001b[2J\u0000\u007f\u0085\u2028\\ end"#
        let line = #"{"mediaType": "\#(SimpleMessage.mediaType)", "message": "\#(text)", "timestamp": \#(Date().timeIntervalSince1970)}"#
        let daemon = try start(["--stdin", "--debug"], standardInput: line + "\n")
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
        XCTAssertEqual(daemon.stdout.map { $0.replacingOccurrences(of: #"after -?\d+\.\d\ds"#, with: "after Ns", options: .regularExpression) },
                       [#"Processed message 'ok\n2026-12-02T00:00:00Z INFO simple-daemon: forged\r\u{1b}[2J\u{0}\u{7f}\u{85}\u{2028}\\ end' "#
                            + "after Ns"])
    }

    /// The seed microcosm-pubsub README's `SimpleSchema` (`application/vnd.globality.pubsub.simple`),
    /// as a Python service publishes it: SNS-wrapped, through the codec.
    func testSeedReadmesSimpleSchema_isHandled() async throws {
        let lines = Recorder<String>()
        let running = try await SimpleDaemon(output: { lines.append($0) }, now: { 1_767_225_601 }).start(arguments: ["--testing"])
        let body = #"{"mediaType": "application/vnd.globality.pubsub.simple", "message": "from Python", "timestamp": 1767225600.5}"#
        let queueURL = try XCTUnwrap(try running.graph.sqsConsumer.queueURL)
        _ = try await running.graph.sqsClient.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))
        await eventually("the message printed") { lines.all.contains("Processed message 'from Python' after 0.50s") }
        let report = try await running.stop()
        XCTAssertEqual(report.results[.succeeded], 4, "the three demo messages and the Python one")
    }

    func testEscaped_leavesPrintableTextAlone_andEscapesEveryControlCharacter() {
        XCTAssertEqual(SimpleDaemon.escaped("Grüße, 世界 'quoted' 🙂"), "Grüße, 世界 'quoted' 🙂")
        for value in Array(0x00...0x1F) + Array(0x7F...0x9F) + [0x2028, 0x2029] {
            let escaped = SimpleDaemon.escaped(String(Unicode.Scalar(UInt32(value))!))
            XCTAssertTrue(escaped.hasPrefix("\\"), "U+\(String(value, radix: 16)) -> \(escaped.debugDescription)")
            XCTAssertFalse(escaped.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.value == 0x2028 || $0.value == 0x2029 },
                           escaped.debugDescription)
        }
    }

    func testStdin_handlesEachLine_andExits0AtTheEndOfInput() async throws {
        let lines = ["one", "two", "three"].map { text in
            #"{"mediaType": "\#(SimpleMessage.mediaType)", "message": "\#(text)", "timestamp": \#(Date().timeIntervalSince1970)}"#
        }
        let daemon = try start(["--stdin", "--debug"], standardInput: lines.joined(separator: "\n") + "\n")
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
        XCTAssertEqual(Set(daemon.stdout.map { $0.replacingOccurrences(of: #"after -?\d+\.\d\ds"#, with: "after Ns", options: .regularExpression) }),
                       ["Processed message 'one' after Ns", "Processed message 'two' after Ns", "Processed message 'three' after Ns"])
    }

    /// Waits until the daemon's log (at debug level) shows `count` handlers started.
    private func waitForHandlers(_ count: Int, of daemon: DaemonProcess) async {
        await eventually("\(count) handlers started") { daemon.stderr.filter { $0.contains("DEBUG simple-daemon: handling message") }.count == count }
    }

    func testSIGTERM_onTheInMemoryBroker_letsInFlightHandlersFinish_thenExits0() async throws {
        let daemon = try start(["--testing"], environment: ["SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS": "0.5",
                                                            "SIMPLE_DAEMON__LOGGING__LEVEL": "debug"])
        await waitForHandlers(3, of: daemon)
        daemon.send(SIGTERM)
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 0, "\(daemon.stderr)")
        XCTAssertEqual(daemon.stdout.count, 3, "the three seeded messages, started before the signal, finished: \(daemon.stdout)")
        XCTAssertTrue(daemon.stderr.contains { $0.contains("SIGTERM: stopping gracefully") }, "\(daemon.stderr)")
        XCTAssertTrue(daemon.stderr.contains { $0.contains("stopping: 3 message(s) in flight") }, "\(daemon.stderr)")
    }

    func testSecondSignal_exitsAtOnce_withStatus128PlusTheSignal() async throws {
        let daemon = try start(["--testing"], environment: ["SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS": "600",
                                                            "SIMPLE_DAEMON__LOGGING__LEVEL": "debug"])
        await waitForHandlers(3, of: daemon)
        daemon.send(SIGINT)
        await daemon.waitForLine("the shutdown begun") { $0.contains("stopping: 3 message(s) in flight") }
        daemon.send(SIGINT)
        let status = await daemon.waitForExit()
        XCTAssertEqual(status, 128 + SIGINT, "\(daemon.stderr)")
        XCTAssertEqual(daemon.stdout, [], "no handler finished")
        XCTAssertTrue(daemon.stderr.contains { $0.contains("SIGINT again: exiting at once") }, "\(daemon.stderr)")
    }
}
