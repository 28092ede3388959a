// The producer `pubsub-bench produce-cpu` measures: `pubsub-noop-producer COUNT [--global-executor]` makes a graph named
// bench-producer (configured by BENCH_PRODUCER__* variables), uses and locks it, then calls
// `graph.snsProducer.produce(.created("FooBar"), uri:)` COUNT times, as the Python producer script does. A program of its
// own, built as a service author builds one (it imports no full Foundation, so it loads no libFoundation), rather than a
// subcommand of the bench, which links Foundation. The calls run on the event loop of the graph's `aws_transport` (as the
// daemon runs its SQS calls: no thread switch per call), or with `--global-executor` on Swift's global executor.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func produce(count: Int, onTransportExecutor: Bool) async throws {
    let graph = try Graph(name: "bench-producer", registry: .pubsub)
    try graph.use("sns_producer")
    graph.lock()
    let producer = try graph.snsProducer
    let executor = onTransportExecutor ? (try graph.awsTransport as? CurlTransport)?.executor : nil
    try await withTaskExecutorPreference(executor) {
        for index in 0..<count {
            _ = try await producer.produce(.created("FooBar"), uri: "http://example.com/foo_bars/\(index)")
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 1 || (arguments.count == 2 && arguments[1] == "--global-executor"), let count = Int(arguments[0]), count >= 0 else {
    printError("usage: pubsub-noop-producer COUNT [--global-executor]")
    exit(UsageError.exitStatus)
}
do {
    try await produce(count: count, onTransportExecutor: arguments.count == 1)
} catch {
    printError("pubsub-noop-producer: \(error)")
    exit(1)
}
