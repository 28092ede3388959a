#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A ``BrokerClock`` as a Swift `Clock`: the same time, with instants that stand for the broker's
/// wall-clock dates, and sleeps that wait on the broker clock.
///
/// A daemon under test runs on the in-memory broker's ``ManualBrokerClock`` through this face, so
/// a test that advances the manual clock drives both the broker's visibility timeouts and the
/// daemon's heartbeat and backoff (the `pubsub_clock` binding of a testing or `memory://` graph).
///
/// ```swift
/// let clock = ManualBrokerClock()
/// let broker = InMemoryBroker(clock: clock)
/// let loop = ConsumerLoop(consumer: consumer, clock: clock.swiftClock, logger: logger) { _ in ... }
/// clock.advance(by: .seconds(15))   // the loop's heartbeat runs, the broker sees its extensions
/// ```
public struct BrokerSwiftClock: Clock {
    /// A point on a broker clock: the wall-clock date it stands for.
    public struct Instant: InstantProtocol, Sendable {
        /// The broker's date of this instant.
        public let date: Date

        /// The instant standing for `date`.
        public init(date: Date) {
            self.date = date
        }

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant {
            Instant(date: date.addingTimeInterval(duration.timeInterval))
        }

        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration {
            .seconds(other.date.timeIntervalSince(date))
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.date < rhs.date }
    }

    /// The broker clock behind this face.
    public let base: any BrokerClock

    /// `base` as a Swift `Clock`.
    public init(_ base: any BrokerClock) {
        self.base = base
    }

    /// The broker clock's time now.
    public var now: Instant { Instant(date: base.now) }

    /// Broker clocks measure in dates: sub-microsecond differences are not meaningful.
    public var minimumResolution: Duration { .microseconds(1) }

    /// Sleeps on the broker clock until `deadline` (a manual clock: until a test advances it there).
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await base.sleep(until: deadline.date)
    }
}

extension BrokerClock {
    /// This clock as a Swift `Clock` (see ``BrokerSwiftClock``).
    public var swiftClock: BrokerSwiftClock { BrokerSwiftClock(self) }
}
