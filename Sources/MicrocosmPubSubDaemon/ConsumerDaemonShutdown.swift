import MicrocosmPubSub
/// A request to stop a daemon gracefully: what SIGTERM and SIGINT do in ``ConsumerDaemon/run()``,
/// and what a test or a host that handles signals itself passes to
/// ``ConsumerDaemon/run(arguments:environment:shutdown:output:errorOutput:)``.
///
/// Graceful shutdown and cancellation are kept apart, as in swift-service-lifecycle: triggering
/// this stops receiving, hands back unstarted messages and gives running handlers the grace
/// period; cancelling the daemon's task stops it at once.
///
/// ```swift
/// let shutdown = ConsumerDaemonShutdown()
/// let run = Task { await ThingsDaemon().run(arguments: ["--testing"], environment: [:], shutdown: shutdown) }
/// // ...
/// shutdown.trigger()
/// let status = await run.value   // 0
/// ```
public final class ConsumerDaemonShutdown: Sendable {
    private let latch = ConsumerLoopLatch()

    /// Not triggered yet.
    public init() {}

    /// Asks the daemon to stop gracefully; calling it again does nothing. Triggered before the
    /// daemon's loop starts, it stops the start-up and the daemon exits 0.
    public func trigger() {
        latch.fire()
    }

    /// True once ``trigger()`` was called.
    public var isTriggered: Bool { latch.isFired }

    /// Runs `handler` when triggered (at once if it was).
    func onTrigger(_ handler: @escaping @Sendable () -> Void) {
        latch.onFire(handler)
    }

    /// Runs `operation`, cancelling it if the shutdown is triggered first; nil when triggered.
    func untilTriggered<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        if isTriggered { return nil }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                await self.latch.wait()
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { return nil }
            return value
        }
    }
}
