import Synchronization

/// Where a daemon is in its life, as its health endpoint reports it.
///
/// | state | `/api/health` | `/api/ready` |
/// |---|---|---|
/// | `starting` (start-up: queue, topics, ``ConsumerDaemon/prepare(_:)``) | ok | not ok |
/// | `running` (receiving and handling) | ok | ok |
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
