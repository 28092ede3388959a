import MicrocosmPubSub
/// The time of one ``ConsumerLoop``: any Swift `Clock` measured as the `Duration` since the loop
/// was made, so the loop's bookkeeping is plain arithmetic on durations whatever the clock's
/// instants are (`ContinuousClock`, or a test's ``ManualBrokerClock``).
struct ConsumerLoopClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// `clock`, counted from now.
    init(_ clock: any Clock<Duration>) {
        self = Self.counting(clock)
    }

    private init(elapsed: @escaping @Sendable () -> Duration, sleeper: @escaping @Sendable (Duration) async throws -> Void) {
        self.elapsed = elapsed
        self.sleeper = sleeper
    }

    private static func counting(_ clock: some Clock<Duration>) -> Self {
        let start = clock.now
        return Self(elapsed: { start.duration(to: clock.now) },
                    sleeper: { try await clock.sleep(until: start.advanced(by: $0), tolerance: nil) })
    }

    /// The time since the loop was made.
    var now: Duration { elapsed() }

    /// Returns once `deadline` (time since the loop was made) has come; throws
    /// `CancellationError` if the task is cancelled first.
    func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }
}
