import Foundation
import Microcosm
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
                           + "[--endpoint-url URL] [--region NAME] [--visibility-timeout S] [--concurrency N] [--grace-period S] [--debug] [--testing]")
        for flag in ["--sqs-queue-url", "--stdin", "--lambda-event", "--envelope", "--endpoint-url", "--region", "--visibility-timeout",
                     "--concurrency", "--grace-period", "--debug", "--testing", "--help"] {
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
