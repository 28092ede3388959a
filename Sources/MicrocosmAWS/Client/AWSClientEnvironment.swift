#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The clock, randomness and sleep an ``AWSClient`` uses, so tests can fix them.
///
/// ```swift
/// let delays = Mutex<[Duration]>([])
/// let environment = AWSClientEnvironment(now: { fixedDate }, jitter: { 0.5 },
///                                        sleep: { delay in delays.withLock { $0.append(delay) } })
/// ```
public struct AWSClientEnvironment: Sendable {
    /// The local time; requests are signed with it (plus the learnt clock-skew offset).
    public var now: @Sendable () -> Date
    /// A random number in `0..<1` for the backoff jitter.
    public var jitter: @Sendable () -> Double
    /// Waits before a retry; throws when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// An environment of the given clock, jitter and sleep.
    public init(now: @escaping @Sendable () -> Date, jitter: @escaping @Sendable () -> Double,
                sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.jitter = jitter
        self.sleep = sleep
    }

    /// The system clock, `Double.random(in: 0..<1)` and `Task.sleep`.
    public static let live = AWSClientEnvironment(
        now: { Date() },
        jitter: { Double.random(in: 0..<1) },
        sleep: { delay in try await Task.sleep(for: delay) })
}
