#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The time source of an ``InMemoryBroker``: what "now" is for timestamps, visibility timeouts,
/// delays and long-poll deadlines, and how the broker waits (long polls, injected latency).
///
/// ``SystemBrokerClock`` follows the wall clock; ``ManualBrokerClock`` moves only when a test
/// advances it, so visibility expiries and long-poll timeouts happen exactly when the test says.
///
/// ```swift
/// let clock = ManualBrokerClock()
/// let broker = InMemoryBroker(clock: clock)
/// clock.advance(by: .seconds(31))   // every message received 31 s ago is visible again
/// ```
public protocol BrokerClock: Sendable {
    /// The current time.
    var now: Date { get }

    /// Returns once `deadline` has come (at once if it has passed); throws `CancellationError`
    /// if the task is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension BrokerClock {
    /// Waits for `duration` of this clock's time.
    func sleep(for duration: Duration) async throws {
        try await sleep(until: now.addingTimeInterval(duration.timeInterval))
    }
}

extension Duration {
    /// The duration in seconds.
    package var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
