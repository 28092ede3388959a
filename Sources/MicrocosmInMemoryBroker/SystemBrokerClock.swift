#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The wall clock: the ``BrokerClock`` an ``InMemoryBroker`` uses unless told otherwise.
///
/// ```swift
/// let broker = InMemoryBroker(clock: SystemBrokerClock())
/// ```
public struct SystemBrokerClock: BrokerClock {
    /// The wall clock.
    public init() {}

    /// The current time.
    public var now: Date { Date() }

    /// Sleeps until `deadline` (a task sleep, so cancellation ends it at once).
    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval > 0 {
            try await Task.sleep(for: .nanoseconds(Int64(interval * 1e9)))
        } else {
            try Task.checkCancellation()
        }
    }
}
