import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// Messages handled per CPU-second of the daemon process, ours against microcosm-pubsub 3.0.0's, each a child process
/// with a no-op handler for created.foo_bar, against the same ``CannedAWSEndpoint`` (every ReceiveMessage returns 10
/// real microcosm-pubsub messages); each daemon's resident memory, idle and under that load; and the requests each made
/// (idle and loaded) as AWS would bill them: calls per message, empty receives, cost per million messages.
struct DaemonCPUBench {
    let seconds: Double

    /// One daemon's figures.
    struct Figures {
        var messagesPerCPUSecond: Double
        var messagesPerSecond: Double
        var cpuShare: Double
        var idleResident: Int
        var loadedResident: Int
        var peakResident: Int
        var idleAnonymous: Int
        var loadedAnonymous: Int
        /// The requests the daemon made from its start to the end of the loaded window.
        var usage: AWSUsage
    }

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        let body = try DaemonCPUBench.fixtureMessageBody()
        let server = try CannedAWSEndpoint(messageBody: body)
        defer { server.stop() }
        let python = try PythonMicrocosm.prepare()
        defer { python.remove() }
        let queueURL = server.url + "/123456789012/bench"
        let environment = DaemonCPUBench.awsEnvironment.merging([
            "NOOP_DAEMON__SQS_CONSUMER__ENDPOINT_URL": server.url,
        ]) { $1 }
        let pinning = ProcessInfo.processInfo.activeProcessorCount >= 2
            ? "server threads on CPU \(BenchTools.serverCPU), daemons on CPU \(BenchTools.clientCPU)" : "unpinned"
        printError("daemon-cpu bench: \(server.url), \(seconds) s of load per daemon, \(body.utf8.count)-byte message bodies, \(pinning)")

        let executable = CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
            : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        // The no-op daemon as a program of its own, next to this one: a daemon as its author builds it, without the
        // full Foundation this bench links.
        let daemon = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("pubsub-noop-daemon").path
        guard FileManager.default.isExecutableFile(atPath: daemon) else {
            throw BenchTools.Failure(description: "no \(daemon): build it first (swift build -c release --product pubsub-noop-daemon)")
        }
        let ours = try measure("ours", [daemon, "--sqs-queue-url", queueURL], environment: environment, server: server)
        let theirs = try measure("microcosm-pubsub \(PythonMicrocosm.version)", [python.python, python.daemonScript, "--sqs-queue-url", queueURL],
                                 environment: environment, server: server)
        let unexpected = server.snapshot.unexpected
        guard unexpected.isEmpty else {
            throw BenchTools.Failure(description: "the canned endpoint got calls it does not answer: \(Set(unexpected).sorted())")
        }
        func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        for (name, figures) in [("ours", ours), ("microcosm-pubsub \(PythonMicrocosm.version)", theirs)] {
            print(String(format: "%@: %.0f messages per CPU-second (%.0f msg/s using %.0f%% of a CPU); resident %@ idle, %@ under load "
                         + "(peak %@), of which anonymous (heap, stacks) %@ idle, %@ under load",
                         name, figures.messagesPerCPUSecond, figures.messagesPerSecond, figures.cpuShare * 100,
                         megabytes(figures.idleResident), megabytes(figures.loadedResident), megabytes(figures.peakResident),
                         megabytes(figures.idleAnonymous), megabytes(figures.loadedAnonymous)))
            print("\(name): AWS requests: \(figures.usage)")
        }
        let ratio = ours.messagesPerCPUSecond / theirs.messagesPerCPUSecond
        let memoryIdle = Double(ours.idleResident) / Double(theirs.idleResident)
        let memoryLoaded = Double(ours.loadedResident) / Double(theirs.loadedResident)
        let anonymousLoaded = Double(ours.loadedAnonymous) / Double(theirs.loadedAnonymous)
        print(String(format: "ours / microcosm-pubsub: %.1fx messages per CPU-second (goal >= 20); resident memory %.2f idle, %.2f under load "
                     + "(goal <= 0.33); anonymous memory %.2f under load", ratio, memoryIdle, memoryLoaded, anonymousLoaded))
        func rounded(_ value: Double, _ places: Int) -> Double { SigningBench.rounded(value, places) }
        print(benchJSON("daemon-cpu", [
            ("ours_msg_per_cpu_s", ours.messagesPerCPUSecond.rounded()), ("python_msg_per_cpu_s", theirs.messagesPerCPUSecond.rounded()),
            ("ratio", rounded(ratio, 2)),
            ("ours_msg_per_s", ours.messagesPerSecond.rounded()), ("python_msg_per_s", theirs.messagesPerSecond.rounded()),
            ("ours_cpu_share", rounded(ours.cpuShare, 3)), ("python_cpu_share", rounded(theirs.cpuShare, 3)),
            ("ours_rss_idle_mb", rounded(Double(ours.idleResident) / 1_048_576, 1)),
            ("python_rss_idle_mb", rounded(Double(theirs.idleResident) / 1_048_576, 1)),
            ("ours_rss_load_mb", rounded(Double(ours.loadedResident) / 1_048_576, 1)),
            ("python_rss_load_mb", rounded(Double(theirs.loadedResident) / 1_048_576, 1)),
            ("ours_rss_peak_mb", rounded(Double(ours.peakResident) / 1_048_576, 1)),
            ("python_rss_peak_mb", rounded(Double(theirs.peakResident) / 1_048_576, 1)),
            ("rss_ratio_idle", rounded(memoryIdle, 3)), ("rss_ratio_load", rounded(memoryLoaded, 3)),
            ("ours_anon_load_mb", rounded(Double(ours.loadedAnonymous) / 1_048_576, 1)),
            ("python_anon_load_mb", rounded(Double(theirs.loadedAnonymous) / 1_048_576, 1)),
            ("anon_ratio_load", rounded(anonymousLoaded, 3)),
            ("ours_calls_per_msg", rounded(ours.usage.callsPerMessage ?? 0, 4)),
            ("python_calls_per_msg", rounded(theirs.usage.callsPerMessage ?? 0, 4)),
            ("ours_empty_receive_ratio", rounded(ours.usage.emptyReceiveRatio ?? 0, 4)),
            ("python_empty_receive_ratio", rounded(theirs.usage.emptyReceiveRatio ?? 0, 4)),
            ("ours_usd_per_million_msgs", rounded(ours.usage.costPerMillionMessages() ?? 0, 4)),
            ("python_usd_per_million_msgs", rounded(theirs.usage.costPerMillionMessages() ?? 0, 4)),
            ("seconds", seconds), ("messages_per_receive", Double(CannedAWSEndpoint.batchSize)),
        ]))
    }

    /// Credentials and region for both daemons and producers (never checked by the canned endpoint); no IMDS lookups.
    static let awsEnvironment = [
        "AWS_ACCESS_KEY_ID": "AKIDBENCHEXAMPLE", "AWS_SECRET_ACCESS_KEY": "bench/secret/not/real",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
    ]

    /// Starts the daemon, lets it poll the empty queue (its idle memory), then loads it for ``seconds`` after a
    /// second of warm-up: messages deleted per CPU-second used in that window.
    private func measure(_ name: String, _ command: [String], environment: [String: String],
                         server: CannedAWSEndpoint) throws -> Figures {
        server.loaded.store(false, ordering: .releasing)
        let usageBefore = server.usage.usage
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-\(UUID().uuidString).log").path
        let daemon = try ChildProcess(command, environment: environment, logPath: log, pinned: true)
        defer {
            daemon.kill()
            try? FileManager.default.removeItem(atPath: log)
        }
        func alive() throws {
            guard daemon.isRunning else {
                throw BenchTools.Failure(description: "\(name) daemon exited; its output:\n\(daemon.logTail)")
            }
        }
        // Idle: polling an empty queue (each ReceiveMessage held for its wait time).
        let startReceives = server.snapshot.receiveCalls
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while server.snapshot.receiveCalls < startReceives + 2 {
            try alive()
            guard clock.now < deadline else { throw BenchTools.Failure(description: "\(name) daemon never called ReceiveMessage twice") }
            usleep(50_000)
        }
        usleep(2_000_000)
        try alive()
        let idle = daemon.memory ?? (0, 0, 0)

        server.loaded.store(true, ordering: .releasing)
        usleep(1_000_000)
        try alive()
        let startCPU = daemon.cpuSeconds ?? 0, startDeleted = server.snapshot.messagesDeleted, start = clock.now
        usleep(UInt32(seconds * 1_000_000))
        try alive()
        let endCPU = daemon.cpuSeconds ?? 0, endDeleted = server.snapshot.messagesDeleted, end = clock.now
        let loaded = daemon.memory ?? (0, 0, 0)
        server.loaded.store(false, ordering: .releasing)
        let usage = server.usage.usage.since(usageBefore)
        let messages = Double(endDeleted - startDeleted)
        let cpu = endCPU - startCPU
        guard messages > 0, cpu > 0 else {
            throw BenchTools.Failure(description: "\(name) daemon handled \(Int(messages)) messages using \(cpu) s of CPU; its output:\n\(daemon.logTail)")
        }
        let wall = BenchTools.seconds(start.duration(to: end))
        printError("\(name): \(Int(messages)) messages deleted in \(String(format: "%.2f", wall)) s using \(String(format: "%.2f", cpu)) CPU-s")
        return Figures(messagesPerCPUSecond: messages / cpu, messagesPerSecond: messages / wall, cpuShare: cpu / wall,
                       idleResident: idle.resident, loadedResident: loaded.resident, peakResident: loaded.peak,
                       idleAnonymous: idle.anonymous, loadedAnonymous: loaded.anonymous, usage: usage)
    }

    /// The SQS body (SNS's envelope) of the created.foo_bar message microcosm-pubsub 3.0.0 published, from
    /// `Fixtures/wire/microcosm-pubsub-3.0.0-wrapped.json` in this repository.
    static func fixtureMessageBody() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Fixtures/wire/microcosm-pubsub-3.0.0-wrapped.json").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let body = (try? JSONParser.parse(text))?["messages"]?.arrayValue?.first?["Body"]?.stringValue else {
            throw BenchTools.Failure(description: "cannot read the first message's Body from \(path)")
        }
        return body
    }
}
