import Foundation

/// External programs the benches drive, installed on demand.
enum BenchTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The path of `program`, installing Debian `package` with apt-get when it is missing.
    static func require(_ program: String, package: String) throws -> String {
        if let path = which(program) { return path }
        printError("==> installing \(package) (apt-get) for \(program)")
        try installAptPackage(package)
        guard let path = which(program) else { throw Failure(description: "\(program) is still missing after installing \(package)") }
        return path
    }

    /// Installs Debian `package` with apt-get (updating the package lists when the first attempt fails).
    static func installAptPackage(_ package: String) throws {
        let prefix = getuid() == 0 ? [] : ["sudo"]
        if (try? run(prefix + ["apt-get", "install", "-y", "-q", package], quiet: true)) == nil {
            _ = try? run(prefix + ["apt-get", "update", "-q"], quiet: true)
            try run(prefix + ["apt-get", "install", "-y", "-q", package], quiet: true)
        }
    }

    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories: [String] = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        return directories
            .map { "\($0)/\(program)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a command to completion and returns its standard output; throws on a non-zero exit.
    @discardableResult
    static func run(_ command: [String], quiet: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0].hasPrefix("/") ? command[0] : (which(command[0]) ?? command[0]))
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = quiet ? FileHandle.nullDevice : FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(command.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// On a machine with two or more CPUs, loopback benches put the server on CPU 0 and every client
    /// (this process, wrk) on CPU 1, so the figures do not depend on where the scheduler happens to
    /// place them. Re-executes this process under `taskset -c 1` once; returns only when pinned
    /// (or when pinning is impossible).
    static func pinToClientCPU() {
        pinProcess(to: clientCPU)
    }

    /// Re-executes this process under `taskset -c <cpu>` once (see ``pinToClientCPU()``); the CPU benches put
    /// themselves (the canned server) on ``serverCPU`` and their measured child processes on ``clientCPU``.
    static func pinProcess(to cpu: String) {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2,
              ProcessInfo.processInfo.environment["PUBSUB_BENCH_PINNED"] == nil,
              let taskset = which("taskset") else { return }
        setenv("PUBSUB_BENCH_PINNED", "1", 1)
        let arguments = [taskset, "-c", cpu, CommandLine.arguments[0]] + CommandLine.arguments.dropFirst()
        let cArguments = arguments.map { strdup($0) } + [nil]
        execv(taskset, cArguments)
        printError("could not re-run under taskset (errno \(errno)); running unpinned")
    }

    /// The CPU list servers are pinned to (`taskset -c`), when pinning is on.
    static var serverCPUPrefix: [String] {
        guard ProcessInfo.processInfo.environment["PUBSUB_BENCH_PINNED"] != nil, let taskset = which("taskset") else { return [] }
        return [taskset, "-c", serverCPU]
    }

    static let serverCPU = "0"
    static let clientCPU = "1"

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// A free TCP port on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
