import MicrocosmPubSub
import Synchronization

/// Where a daemon is in its life, as its health endpoint reports it.
///
/// | state | `/api/health` | `/api/ready` |
/// |---|---|---|
/// | `starting` (start-up: queue, topics, ``ConsumerDaemon/prepare(_:)``) | ok | not ok |
/// | `running` (receiving and handling) | ok | ok unless its last receive failed |
/// | `draining` (graceful shutdown: in-flight handlers finishing) | ok | not ok |
/// | `stopped` (the loop has ended; the shutdown hook may be running) | not ok | not ok |
public struct ConsumerDaemonState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Building the loop: the queue and topics, the start-up hook.
    public static let starting = Self(rawValue: "starting")
    /// Receiving and handling messages.
    public static let running = Self(rawValue: "running")
    /// Shutting down gracefully: no more receives, in-flight handlers finishing.
    public static let draining = Self(rawValue: "draining")
    /// The loop has ended.
    public static let stopped = Self(rawValue: "stopped")

    /// True when the process is alive and working or about to (the liveness answer).
    public var isHealthy: Bool { self != .stopped }

    /// True when the daemon takes messages (the readiness answer).
    public var isReady: Bool { self == .running }

    public var description: String { rawValue }
}

/// What the health endpoint reports: the daemon's state and its loop's failing receives.
struct ConsumerDaemonHealth: Sendable {
    var state: ConsumerDaemonState
    /// Receives failed since the last one that succeeded.
    var failedReceives = 0
    /// The last of them.
    var lastReceiveError: String?

    /// Alive: not stopped (a daemon whose receives fail is alive; restarting it would not help).
    var isHealthy: Bool { state.isHealthy }

    /// Taking messages: running, its last receive did not fail.
    var isReady: Bool { state.isReady && failedReceives == 0 }

    /// The check's message: the state, and the failing receives.
    var message: String {
        guard failedReceives > 0, let lastReceiveError else { return state.rawValue }
        return "\(state.rawValue); \(failedReceives) receive(s) failed in a row, the last: \(lastReceiveError)"
    }
}

/// The state a running daemon shares with its health endpoint.
final class ConsumerDaemonStateCell: Sendable {
    private let state = Mutex(ConsumerDaemonState.starting)

    var value: ConsumerDaemonState { state.withLock { $0 } }

    /// Moves to `next`, except out of `stopped`, and from `draining` only to `stopped`.
    func set(_ next: ConsumerDaemonState) {
        state.withLock { current in
            guard current != .stopped, current != .draining || next == .stopped else { return }
            current = next
        }
    }
}
