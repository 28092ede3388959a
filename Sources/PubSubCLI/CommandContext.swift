import Foundation
import Microcosm

/// What a command runs with besides its arguments: where it writes, the environment its
/// configuration is read from, the clock, and a hook that sees the graph before the command uses it.
///
/// ``standard`` is the real process's; tests replace parts of it:
///
/// ```swift
/// let broker = InMemoryBroker()
/// let context = CommandContext(output: output, environment: [:], now: { 1_700_000_000 }) { graph in
///     graph.assign(.pubsubBroker, broker)         // commands run with --endpoint-url memory:// share it
/// }
/// let status = await SNSProduceCommand.main(["--topic-arn", arn, "--endpoint-url", "memory://"], context: context)
/// ```
public struct CommandContext: Sendable {
    /// Where lines go.
    public var output: CommandOutput
    /// The environment the graph's configuration is loaded from: `PUBSUB__SETTINGS` (a JSON settings
    /// file) and `PUBSUB__<SECTION>__<KEY>` variables. (AWS credentials, region and endpoint
    /// variables are read by the AWS clients from the process's environment, as botocore reads them.)
    public var environment: [String: String]
    /// Seconds since the epoch (the default message's `timestamp`).
    public var now: @Sendable () -> Double
    /// Runs on the new graph before the command creates any component, for tests to assign or
    /// override bindings (a shared in-memory broker, a stub client).
    public var prepareGraph: @Sendable (Graph) async throws -> Void

    /// A context; by default the process's output, environment and clock.
    public init(output: CommandOutput = .standard, environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                prepareGraph: @escaping @Sendable (Graph) async throws -> Void = { _ in }) {
        self.output = output
        self.environment = environment
        self.now = now
        self.prepareGraph = prepareGraph
    }

    /// The process's output, environment and clock.
    public static var standard: CommandContext { CommandContext() }
}
