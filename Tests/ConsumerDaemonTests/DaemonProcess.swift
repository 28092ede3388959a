import Foundation
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `simple-daemon` binary, run as a child process with its output collected line by line.
///
/// Foundation's `Process`, started from a Swift task, passes on a signal mask in which SIGTERM
/// and SIGINT are blocked; the daemon unblocks them itself, which is part of what these tests check.
final class DaemonProcess: Sendable {
    private let process: Process
    private struct Output {
        var stdout: [String] = []
        var stderr: [String] = []
        var partial: [Int32: String] = [:]
        var closed: Set<Int32> = []
    }

    private let output = Mutex(Output())
    private let exit = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    /// The binary, next to the test bundle (`swift build --build-tests` builds it).
    static func binary(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle(for: DaemonProcess.self).bundleURL.deletingLastPathComponent()]
        guard let url = candidates.map({ $0.appendingPathComponent("simple-daemon") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("no built simple-daemon next to the tests (looked in \(candidates.map(\.path))); run swift build --build-tests",
                    file: file, line: line)
            throw XCTSkip("simple-daemon is not built")
        }
        return url
    }

    /// Starts `simple-daemon` with `arguments`; its environment is this process's plus `environment`.
    init(_ arguments: [String], environment: [String: String] = [:], standardInput: String? = nil) throws {
        process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let input = Pipe()
        process.standardInput = input
        for (pipe, descriptor) in [(stdout, STDOUT_FILENO), (stderr, STDERR_FILENO)] {
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread { [weak self] in
                while true {
                    let data = handle.availableData
                    self?.take(data, from: descriptor)
                    if data.isEmpty { return }
                }
            }
        }
        process.terminationHandler = { [weak self] process in
            let waiters: [CheckedContinuation<Int32, Never>] = self?.exit.withLock { exit in
                exit.status = process.terminationStatus
                defer { exit.waiters.removeAll() }
                return exit.waiters
            } ?? []
            for waiter in waiters { waiter.resume(returning: process.terminationStatus) }
        }
        try process.run()
        if let standardInput { input.fileHandleForWriting.write(Data(standardInput.utf8)) }
        try input.fileHandleForWriting.close()
    }

    /// Takes in what the daemon wrote to `descriptor` (empty: the end).
    private func take(_ data: Data, from descriptor: Int32) {
        output.withLock { output in
            let text = (output.partial[descriptor] ?? "") + String(decoding: data, as: UTF8.self)
            var lines = text.components(separatedBy: "\n")
            output.partial[descriptor] = lines.removeLast()
            if data.isEmpty {
                if let rest = output.partial.removeValue(forKey: descriptor), !rest.isEmpty { lines.append(rest) }
                output.closed.insert(descriptor)
            }
            if descriptor == STDOUT_FILENO { output.stdout += lines } else { output.stderr += lines }
        }
    }

    /// Lines written to standard output so far.
    var stdout: [String] { output.withLock { $0.stdout } }
    /// Lines written to standard error so far.
    var stderr: [String] { output.withLock { $0.stderr } }

    /// Sends `signal` to the daemon.
    func send(_ signal: Int32) {
        _ = kill(process.processIdentifier, signal)
    }

    /// Waits until a line of standard output or error satisfies `condition`.
    func waitForLine(_ what: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line,
                     _ condition: @escaping (String) -> Bool) async {
        await eventually(what, timeout: timeout, file: file, line: line) {
            self.output.withLock { $0.stdout.contains(where: condition) || $0.stderr.contains(where: condition) }
        }
    }

    /// Waits for the daemon to exit and returns its status (128 + n after signal n kills it),
    /// killing it and failing the test if it is still running after `timeout` seconds.
    func waitForExit(timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) async -> Int32 {
        let watchdog = Task { [process] in
            try await Task.sleep(for: .seconds(timeout))
            XCTFail("simple-daemon still running after \(timeout) s; killed", file: file, line: line)
            _ = kill(process.processIdentifier, SIGKILL)
        }
        defer { watchdog.cancel() }
        let status = await withCheckedContinuation { continuation in
            let status = exit.withLock { exit in
                if exit.status == nil { exit.waiters.append(continuation) }
                return exit.status
            }
            if let status { continuation.resume(returning: status) }
        }
        await eventually("the daemon's output read to the end") { self.output.withLock { $0.closed.count == 2 } }
        return process.terminationReason == .uncaughtSignal ? 128 + status : status
    }

    /// Kills the daemon if it is still running (test teardown).
    func killIfRunning() {
        if process.isRunning { send(SIGKILL) }
    }
}
