import Foundation

/// `pubsub-bench <bench> [--seconds N]`: release-build throughput measurements, each next to a
/// reference measured in the same run. The last line printed is one JSON object with the figures.
enum BenchCommand {
    static let usage = """
    usage: pubsub-bench <bench> [--seconds N]

    benches:
      transport   signed SQS-shaped requests per second through CurlTransport against a loopback
                  nginx returning a canned SQS reply, at concurrency 1 and 8, next to wrk
                  against the same server (installs nginx and wrk with apt-get when missing)

    options:
      --seconds N   measuring time per figure (default 5)
    """

    static func main(_ arguments: [String]) async -> Int32 {
        var arguments = arguments
        guard let bench = arguments.first, !bench.hasPrefix("-") else {
            print(usage)
            return arguments.contains("--help") || arguments.contains("-h") ? 0 : 64
        }
        arguments.removeFirst()
        var seconds = 5.0
        while let argument = arguments.first {
            arguments.removeFirst()
            switch argument {
            case "--seconds":
                guard let value = arguments.first.flatMap(Double.init), value > 0 else {
                    printError("--seconds needs a positive number")
                    return 64
                }
                arguments.removeFirst()
                seconds = value
            case "--help", "-h":
                print(usage)
                return 0
            default:
                printError("unknown argument '\(argument)'")
                return 64
            }
        }
        if bench == "transport" { BenchTools.pinToClientCPU() }
        do {
            switch bench {
            case "transport": try await TransportBench(seconds: seconds).run()
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
