import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// The programs the CPU benches start as child processes of `pubsub-bench` (so their CPU time and memory are theirs
/// alone): `pubsub-bench noop-produce COUNT [--global-executor]`. (The daemon is an executable of its own,
/// `pubsub-noop-daemon`, so that it links only what a user's daemon links.)
enum BenchChild {
    /// Runs the child named by `arguments[0]` and returns its exit status, or nil when `arguments` names none.
    static func main(_ arguments: [String]) async -> Int32? {
        switch arguments.first {
        case "noop-produce":
            guard arguments.count == 2 || (arguments.count == 3 && arguments[2] == "--global-executor"),
                  let count = Int(arguments[1]), count >= 0 else {
                printError("usage: pubsub-bench noop-produce COUNT [--global-executor]")
                return UsageError.exitStatus
            }
            do {
                try await produce(count: count, onTransportExecutor: arguments.count == 2)
                return 0
            } catch {
                printError("noop-produce: \(error)")
                return 1
            }
        default:
            return nil
        }
    }

    /// `count` `graph.snsProducer.produce(.created("FooBar"), uri:)` calls on a graph named bench-producer,
    /// configured by BENCH_PRODUCER__* variables, as the Python producer script does; on the event loop of the
    /// graph's `aws_transport` (as the daemon runs its SQS calls: no thread switch per call), or on the global
    /// executor.
    static func produce(count: Int, onTransportExecutor: Bool) async throws {
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
}
