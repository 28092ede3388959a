import Foundation
import MicrocosmAWS

/// Publishes per CPU-second of a whole producer process, ours (`pubsub-noop-producer`, a program of its own built as a
/// service author builds one, without full Foundation, next to this one) against microcosm-pubsub 3.0.0's
/// (`graph.sns_producer.produce` in Python), each publishing created.foo_bar messages to the same ``CannedAWSEndpoint``
/// (SNS Publish). Ours publishes from the event loop of its graph's `aws_transport`, as the daemon makes its SQS calls,
/// and, as a second figure, from the global executor (a thread switch each way per call). Each program runs once with no publishes (its start-up) and once with ``count``, in alternating rounds;
/// figures are medians. The requests each program's runs made, as AWS would bill them, come last.
struct ProduceCPUBench {
    let count: Int

    static let rounds = 3

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        let server = try CannedAWSEndpoint(messageBody: "{}")
        defer { server.stop() }
        let python = try PythonMicrocosm.prepare()
        defer { python.remove() }
        let environment = DaemonCPUBench.awsEnvironment.merging([
            "BENCH_PRODUCER__SNS_PRODUCER__ENDPOINT_URL": server.url,
            "BENCH_PRODUCER__SNS_PRODUCER__SKIP": "false",
            "BENCH_PRODUCER__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:bench",
        ]) { $1 }
        let pinning = ProcessInfo.processInfo.activeProcessorCount >= 2
            ? "server threads on CPU \(BenchTools.serverCPU), producers on CPU \(BenchTools.clientCPU)" : "unpinned"
        printError("produce-cpu bench: \(server.url), \(count) publishes per run, \(ProduceCPUBench.rounds) rounds, \(pinning)")
        let executable = CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0]
            : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        // The producer as a program of its own, next to this one: a producer as its author builds it, without the full
        // Foundation this bench links (before, it was a `pubsub-bench noop-produce` subcommand).
        let producer = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("pubsub-noop-producer").path
        guard FileManager.default.isExecutableFile(atPath: producer) else {
            throw BenchTools.Failure(description: "no \(producer): build it first (swift build -c release --product pubsub-noop-producer)")
        }
        let programs: [(name: String, command: (Int) -> [String])] = [
            ("ours", { [producer, String($0)] }),
            ("microcosm-pubsub \(PythonMicrocosm.version)", { [python.python, python.producerScript, String($0)] }),
            ("ours from the global executor", { [producer, String($0), "--global-executor"] }),
        ]
        var startup: [[Double]] = [[], [], []], whole: [[Double]] = [[], [], []]
        var usage = [AWSUsage(), AWSUsage(), AWSUsage()]
        for _ in 0..<ProduceCPUBench.rounds {
            for (index, program) in programs.enumerated() {
                let before = server.usage.usage
                defer { usage[index] = usage[index].adding(server.usage.usage.since(before)) }
                startup[index].append(try cpuSeconds(program.name, program.command(0), publishes: 0, environment: environment, server: server))
                whole[index].append(try cpuSeconds(program.name, program.command(count), publishes: count, environment: environment,
                                                   server: server))
            }
        }
        let unexpected = server.snapshot.unexpected
        guard unexpected.isEmpty else {
            throw BenchTools.Failure(description: "the canned endpoint got calls it does not answer: \(Set(unexpected).sorted())")
        }
        let oursStart = median(startup[0]), oursWhole = median(whole[0])
        let theirsStart = median(startup[1]), theirsWhole = median(whole[1])
        let poolStart = median(startup[2]), poolWhole = median(whole[2])
        let oursPer = max(oursWhole - oursStart, 1e-9) / Double(count), theirsPer = max(theirsWhole - theirsStart, 1e-9) / Double(count)
        let poolPer = max(poolWhole - poolStart, 1e-9) / Double(count)
        for (name, start, total, per) in [(programs[0].name, oursStart, oursWhole, oursPer), (programs[1].name, theirsStart, theirsWhole, theirsPer),
                                          (programs[2].name, poolStart, poolWhole, poolPer)] {
            print(String(format: "%@: %d publishes in %.3f CPU-s (%.0f per CPU-second), of which start-up %.3f CPU-s; %.1f us of CPU per publish after start-up",
                         name, count, total, Double(count) / total, start, per * 1e6))
        }
        for (index, program) in programs.enumerated() { print("\(program.name): AWS requests: \(usage[index])") }
        let ratio = theirsWhole / oursWhole
        print(String(format: "ours / microcosm-pubsub: %.1fx publishes per CPU-second, whole process (goal >= 25); %.1fx per publish after start-up; "
                     + "from the global executor %.1fx and %.1fx", ratio, theirsPer / oursPer, theirsWhole / poolWhole, theirsPer / poolPer))
        func rounded(_ value: Double, _ places: Int) -> Double { SigningBench.rounded(value, places) }
        print(benchJSON("produce-cpu", [
            ("ours_publish_per_cpu_s", (Double(count) / oursWhole).rounded()), ("python_publish_per_cpu_s", (Double(count) / theirsWhole).rounded()),
            ("ratio", rounded(ratio, 2)),
            ("ours_cpu_s", rounded(oursWhole, 3)), ("python_cpu_s", rounded(theirsWhole, 3)),
            ("ours_startup_cpu_s", rounded(oursStart, 3)), ("python_startup_cpu_s", rounded(theirsStart, 3)),
            ("ours_us_per_publish", rounded(oursPer * 1e6, 1)), ("python_us_per_publish", rounded(theirsPer * 1e6, 1)),
            ("ratio_per_publish", rounded(theirsPer / oursPer, 2)),
            ("pool_cpu_s", rounded(poolWhole, 3)), ("pool_us_per_publish", rounded(poolPer * 1e6, 1)),
            ("pool_ratio", rounded(theirsWhole / poolWhole, 2)), ("pool_ratio_per_publish", rounded(theirsPer / poolPer, 2)),
            ("publishes", Double(count)), ("rounds", Double(ProduceCPUBench.rounds)),
            ("ours_calls_per_msg", rounded(usage[0].callsPerMessage ?? 0, 4)), ("python_calls_per_msg", rounded(usage[1].callsPerMessage ?? 0, 4)),
            ("ours_usd_per_million_msgs", rounded(usage[0].costPerMillionMessages() ?? 0, 4)),
            ("python_usd_per_million_msgs", rounded(usage[1].costPerMillionMessages() ?? 0, 4)),
        ]))
    }

    /// Runs `command` to its end; its whole-life CPU seconds (`wait4`), after checking it published `publishes` times.
    private func cpuSeconds(_ name: String, _ command: [String], publishes: Int, environment: [String: String],
                            server: CannedAWSEndpoint) throws -> Double {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let before = server.snapshot.published
        let producer = try ChildProcess(command, environment: environment, logPath: log, pinned: true)
        let (status, cpu) = producer.waitForExit()
        let published = server.snapshot.published - before
        guard status == 0, published == publishes else {
            throw BenchTools.Failure(description: "\(name) producer exited with \(status) after \(published) of \(publishes) publishes; "
                                     + "its output:\n\(producer.logTail)")
        }
        return cpu
    }
}

private extension AWSUsage {
    /// These requests and `other`'s together.
    func adding(_ other: AWSUsage) -> AWSUsage {
        var sum = self
        for (operation, requests) in other.operations {
            sum.operations[operation, default: Requests()].calls += requests.calls
            sum.operations[operation, default: Requests()].units += requests.units
        }
        sum.receives += other.receives
        sum.emptyReceives += other.emptyReceives
        sum.messagesReceived += other.messagesReceived
        sum.messagesSent += other.messagesSent
        return sum
    }
}
