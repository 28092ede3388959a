import Foundation
import Microcosm
import MicrocosmPubSubDaemon

/// `pubsub-bench <bench> [--seconds N] [--round-trips N]`: release-build throughput measurements, each next to a
/// reference measured in the same run. The last line printed is one JSON object with the figures.
enum BenchCommand {
    static let usage = """
    usage: pubsub-bench <bench> [--seconds N] [--round-trips N] [--publishes N]

    benches:
      transport   signed SQS-shaped requests per second through CurlTransport against a loopback
                  nginx returning a canned SQS reply, at concurrency 1 and 8, next to a C loop on
                  libcurl sending the request pre-signed (easy interface at 1, multi at 8), the
                  same loops sending the pre-signed request, and wrk as the outer limit
                  (installs nginx and wrk with apt-get when missing)
      clients     SQSClient round trips (SendMessage + ReceiveMessage + DeleteMessageBatch):
                  against a loopback nginx answering each X-Amz-Target with a canned reply, next
                  to bare CurlTransport sending the same requests unsigned and unparsed; and
                  against a moto_server it starts, next to Python boto3 against the same server
                  (installs nginx with apt-get, moto[server] and boto3 with pip when missing)
      pipeline    messages per second through produce -> in-memory broker (SNS topic, wrapped
                  SQS delivery) -> consume -> decode -> batch ack on a memory:// graph, next to
                  the same JSON encode/wrap/unwrap/decode done with Foundation alone; one task,
                  pinned to one CPU
      daemon      messages per second handled by one daemon on the in-memory broker with 10 ms
                  per SNS/SQS call: ConsumerLoop at concurrency 1 and 32 next to the sequential
                  loop of microcosm-pubsub (receive 10, handle and DeleteMessage each), each over
                  a fixed number of pre-loaded messages (500, 2000 and 10000)
      daemon-cpu  messages per CPU-second and resident memory of our daemon and microcosm-pubsub
                  3.0.0's (Python), each with a no-op handler, against a loopback server with
                  canned SQS replies (10 real messages per ReceiveMessage); sets up a Python venv
                  with microcosm-pubsub under ~/.cache/pubsub-bench
      produce-cpu publishes per CPU-second of a whole producer process, ours (pubsub-noop-producer,
                  built next to this bench) against microcosm-pubsub 3.0.0's, against a loopback
                  server with canned SNS replies
      signing     CPU time of SigV4 signing for a typical SendMessage and ns per SHA-256 block, with
                  the CPU's SHA-256 instructions next to the Swift code (in-run reference)

    tools:
      chaos-daemon [daemon flags]
                  the daemon scripts/chaos runs (not a bench): a ConsumerDaemon whose handler
                  sleeps chaos_daemon.handle_seconds and appends each message it handles to
                  chaos_daemon.record_path (see RELIABILITY.md)
      sign-loop [--seconds N]
                  signs the signing bench's SendMessage with the preferred SHA-256 engine and
                  nothing else for N CPU-seconds (for profiling `sign` alone)
      transport-loop [--variant V] [--concurrency N] [--seconds N]
                  one of the transport bench's loops alone against its nginx for N seconds,
                  after a second's pause to attach a profiler (`perf record -p PID`): V is
                  signed (default), presigned, c (C easy at concurrency 1, multi above) or
                  c-multi; concurrency 8 by default
      canned-endpoint [--seconds N]
                  the loopback server of daemon-cpu and produce-cpu on its own, loaded (every
                  ReceiveMessage returns 10 messages), for N seconds (for profiling pubsub-noop-daemon
                  and pubsub-noop-producer; prints its URL first and its counts last)

    options:
      --seconds N       measuring time per figure (default 5; pipeline: split over 5 rounds;
                        daemon: scales the numbers of messages, N/5 times the defaults)
      --round-trips N   clients: round trips per client against moto (default 200)
      --publishes N     produce-cpu: publishes per producer run (default 3000)
    """

    /// The options after the bench's name (their help is in ``usage``).
    static let interface = CommandLineInterface(command: "pubsub-bench", summary: "", options: [
        .value("--seconds", "N", "", default: "5"),
        .value("--round-trips", "N", "", default: "200"),
        .value("--publishes", "N", "", default: "3000"),
        .value("--variant", "V", "", default: "signed"),
        .value("--concurrency", "N", "", default: "8"),
    ])

    static func main(_ arguments: [String]) async -> Int32 {
        if arguments.first == ChaosDaemon.processName { return ChaosDaemon.execute(Array(arguments.dropFirst())) }
        guard let bench = arguments.first, !bench.hasPrefix("-") else {
            print(usage)
            return arguments.contains("--help") || arguments.contains("-h") ? 0 : UsageError.exitStatus
        }
        let seconds: Double
        let roundTrips: Int
        let publishes: Int
        let variant: String
        let concurrency: Int
        do {
            let parsed = try interface.parse(Array(arguments.dropFirst()))
            if parsed.wantsHelp {
                print(usage)
                return 0
            }
            seconds = try parsed.double("--seconds", in: 0.001...86_400)!
            roundTrips = try parsed.int("--round-trips", in: 1...1_000_000)!
            publishes = try parsed.int("--publishes", in: 1...10_000_000)!
            variant = parsed["--variant"]!
            concurrency = try parsed.int("--concurrency", in: 1...64)!
        } catch {
            printError("\(error)")
            return UsageError.exitStatus
        }
        if ["transport", "transport-loop", "clients", "pipeline", "signing", "sign-loop"].contains(bench) { BenchTools.pinToClientCPU() }
        if ["daemon-cpu", "produce-cpu", "canned-endpoint"].contains(bench) { BenchTools.pinProcess(to: BenchTools.serverCPU) }
        do {
            switch bench {
            case "transport": try await TransportBench(seconds: seconds).run()
            case "clients": try await ClientsBench(seconds: seconds, motoRoundTrips: roundTrips).run()
            case "pipeline": try await PipelineBench(seconds: seconds).run()
            case "daemon": try await DaemonBench(scale: seconds / 5).run()
            case "signing": try await SigningBench(seconds: seconds).run()
            case "daemon-cpu": try await DaemonCPUBench(seconds: seconds).run()
            case "produce-cpu": try await ProduceCPUBench(count: publishes).run()
            case "transport-loop": try await TransportBench(seconds: seconds).loop(variant: variant, concurrency: concurrency)
            case "sign-loop": try await SigningBench(seconds: seconds).loop()
            case "canned-endpoint": try CannedAWSEndpoint.serve(seconds: seconds)
            default:
                printError("unknown bench '\(bench)' (see --help)")
                return 64
            }
            return 0
        } catch {
            printError("\(bench) bench failed: \(error)")
            return 1
        }
    }
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
