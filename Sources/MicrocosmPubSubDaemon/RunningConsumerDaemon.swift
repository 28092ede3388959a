import Microcosm
import MicrocosmPubSub

/// A daemon running in this process, started by ``ConsumerDaemon/start(arguments:environment:overrides:)``:
/// for tests that feed it messages and check what it produced, and for hosts that run a daemon
/// next to other work.
///
/// ```swift
/// let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: [
///     "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders",
/// ])
/// try await daemon.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")   // reaches its queue
/// let report = try await daemon.stop()      // graceful: drains, then runs the shutdown hook
/// ```
public final class RunningConsumerDaemon: Sendable {
    /// The daemon's graph: its producer, broker, configuration and components.
    public let graph: Graph
    /// The health endpoint's port, when `consumer_daemon.health_port` is set (the one the kernel chose for 0).
    public let healthPort: Int?
    private let started: StartedConsumerDaemon
    private let running: Task<ConsumerLoopReport, any Error>

    init(_ started: StartedConsumerDaemon, daemon: some ConsumerDaemon) {
        self.started = started
        self.graph = started.graph
        self.healthPort = started.health?.port
        started.state.set(.running)   // the loop starts now; a stop() before it does drains it at once
        self.running = Task {
            let ended = await started.runToEnd(daemon)
            if let error = ended.shutdownError { throw error }
            return ended.report
        }
    }

    /// Where the daemon is: running, draining, stopped.
    public var state: ConsumerDaemonState { started.state.value }

    /// The result of every message handled so far, in the order handling ended; nil when the
    /// daemon is not testing (a long-running daemon keeps no record). Read by `waitForResults`.
    package var handledResults: [MessageHandlingResult]? { started.results?.all }

    /// Shuts the daemon down gracefully (what SIGTERM does) and waits until it has: messages not
    /// started are handed back, running handlers finish within the grace period, then the
    /// shutdown hook runs. Returns the loop's report; rethrows the shutdown hook's error.
    @discardableResult
    public func stop() async throws -> ConsumerLoopReport {
        started.drain()
        return try await running.value
    }

    /// Waits until the daemon stops by itself (its standard input, file or Lambda event ran out)
    /// or through ``stop()``. Returns the loop's report; rethrows the shutdown hook's error.
    @discardableResult
    public func wait() async throws -> ConsumerLoopReport {
        try await running.value
    }
}

extension ConsumerDaemon {
    /// Makes the daemon's graph for `arguments` and `environment` and starts it in this process,
    /// returning once its loop runs: on the in-memory broker (`--testing`, `--endpoint-url memory://`)
    /// its topics and queue exist and are subscribed, so what you publish reaches its handlers.
    /// Installs no signal handlers. A testing daemon keeps every message's result (see
    /// `waitForResults(count:timeout:)` in MicrocosmPubSubTesting).
    ///
    /// `overrides` gets the graph before it is checked and locked: replace a binding with a fake
    /// there (`graph.override(.orderStore) { _ in fake }`), as
    /// ``makeGraph(arguments:environment:overrides:)`` does.
    ///
    /// Throws what stops ``run(arguments:environment:shutdown:output:errorOutput:)`` at start-up:
    /// a ``UsageError``, the configuration's error, a queue that does not exist, the health port
    /// taken, or the error of ``prepare(_:)``; and what `overrides` throws.
    public func start(arguments: [String], environment: [String: String] = [:],
                      overrides: (Graph) throws -> Void = { _ in }) async throws -> RunningConsumerDaemon {
        let graph = try makeGraph(arguments: arguments, environment: environment, overrides: overrides)
        do {
            guard let started = try await StartedConsumerDaemon.startUp(self, graph: graph, shutdown: ConsumerDaemonShutdown(),
                                                                         recordsResults: graph.metadata.testing) else {
                throw CancellationError()
            }
            return RunningConsumerDaemon(started, daemon: self)
        } catch let failure as ConsumerDaemonStartUpFailure {
            throw failure.underlying
        }
    }
}
