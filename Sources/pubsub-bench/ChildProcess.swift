import Foundation

/// A process the benches start with `posix_spawn` and measure: its CPU time (user + system, all threads) and resident
/// memory from `/proc` while it runs, its whole-life CPU time from `wait4` when it ends. Output goes to a log file.
final class ChildProcess {
    let pid: pid_t
    let command: [String]
    let logPath: String
    private var reaped = false

    /// Starts `command` (a path, then arguments) with this process's environment plus `environment`, its standard
    /// output and error going to `logPath`; pinned to ``BenchTools/clientCPU`` when `pinned` (via `taskset`).
    init(_ command: [String], environment: [String: String] = [:], logPath: String, pinned: Bool) throws {
        var full = command
        if pinned, ProcessInfo.processInfo.activeProcessorCount >= 2, let taskset = BenchTools.which("taskset") {
            full = [taskset, "-c", BenchTools.clientCPU] + command
        }
        self.command = full
        self.logPath = logPath
        var merged = ProcessInfo.processInfo.environment
        merged["PUBSUB_BENCH_PINNED"] = nil
        for (key, value) in environment { merged[key] = value }
        let arguments = full.map { strdup($0) } + [nil]
        let variables = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let status = posix_spawn(&pid, full[0], &actions, nil, arguments, variables)
        guard status == 0 else { throw BenchTools.Failure(description: "could not start \(full[0]): error \(status)") }
        self.pid = pid
    }

    deinit { kill() }

    /// User + system CPU seconds of every thread so far (`/proc/<pid>/stat`; 10 ms ticks), or nil once it has ended.
    var cpuSeconds: Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name: state is field 3, utime field 14 and stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory (`VmRSS`), its peak so far (`VmHWM`) and its anonymous part (`RssAnon`: the heap and stacks,
    /// not the pages of shared libraries and files), in bytes.
    var memory: (resident: Int, peak: Int, anonymous: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kilobytes(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return Int(line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
        }
        guard let resident = kilobytes("VmRSS"), let peak = kilobytes("VmHWM"), let anonymous = kilobytes("RssAnon") else { return nil }
        return (resident * 1024, peak * 1024, anonymous * 1024)
    }

    /// True while the process has not exited.
    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        var usage = rusage()
        if wait4(pid, &status, WNOHANG, &usage) == pid {
            reaped = true
            return false
        }
        return true
    }

    /// Waits for the process to end; its exit status and whole-life CPU seconds (user + system, `wait4`).
    func waitForExit() -> (status: Int32, cpuSeconds: Double) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        reaped = true
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, seconds(usage.ru_utime) + seconds(usage.ru_stime))
    }

    /// Kills the process (SIGKILL) and reaps it.
    func kill() {
        guard !reaped else { return }
        sendSignal(SIGKILL, to: pid)
        _ = waitForExit()
    }

    /// The last lines of the log, for error messages.
    var logTail: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}

/// `kill(2)` (the name is taken by ``ChildProcess/kill()`` inside the class).
private func sendSignal(_ signal: Int32, to pid: pid_t) {
    kill(pid, signal)
}
