import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `sns-produce`, `sqs-consume` and `pubsub`, run as child processes the way a user runs them.
///
/// They are found next to the test bundle, in the build's products folder (`.build/debug`):
/// `swift build --build-tests` and `swift test` build every product of the package, these included.
/// Output goes to temporary files (no pipe can fill up), and a child that has not exited after
/// ``timeout`` is killed with SIGKILL (a child started from a task may have SIGTERM blocked).
struct BuiltCommand: Sendable {
    /// The executable a test runs has not been built.
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is not built: run `swift build --build-tests` (scripts/test does) before `swift test --skip-build`" }
    }

    /// The executable's name (`sns-produce`).
    let name: String

    static let snsProduce = BuiltCommand(name: "sns-produce")
    static let sqsConsume = BuiltCommand(name: "sqs-consume")
    static let pubsub = BuiltCommand(name: "pubsub")

    /// How long a run may take.
    static let timeout: TimeInterval = 120

    /// The folder the build puts products in.
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return Bundle.main.bundleURL
    }

    /// The executable; fails the test, saying how to build it, when it is not there.
    func url() throws -> URL {
        let url = BuiltCommand.productsDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw Missing(path: url.path)
        }
        return url
    }

    /// The test process's environment without `PUBSUB__` variables, with `overrides` over it
    /// (a nil value removes the variable).
    static func environment(_ overrides: [String: String?] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PUBSUB__") }
        for (name, value) in overrides { environment[name] = value }
        return environment
    }

    /// Runs the command with `arguments` in `environment` and waits for it to exit.
    func run(_ arguments: [String], environment: [String: String] = BuiltCommand.environment()) async throws -> CommandResult {
        let executable = try url()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try BuiltCommand.runBlocking(executable, arguments, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ executable: URL, _ arguments: [String], environment: [String: String]) throws -> CommandResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputURL = folder.appendingPathComponent("stdout"), errorURL = folder.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL), error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let killed = process.terminationReason == .uncaughtSignal
        return CommandResult(status: killed ? -process.terminationStatus : process.terminationStatus,
                             standardOutput: try String(contentsOf: outputURL, encoding: .utf8),
                             standardError: try String(contentsOf: errorURL, encoding: .utf8))
    }
}
