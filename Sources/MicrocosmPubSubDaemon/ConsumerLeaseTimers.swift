/// The lease manager's timers: one task per deadline it sleeps until, never cancelled before its
/// deadline while the manager runs.
///
/// A sleep that is cancelled early keeps its memory until its deadline, and the lease manager is
/// woken early (new work) thousands of times a second under load: cancelling a sleep each time made
/// the daemon's memory grow by megabytes. A timer only wakes the manager; the manager looks for work
/// and arms the next deadline. A deadline later than one already armed needs no timer of its own.
struct ConsumerLeaseTimers {
    private var armed: [(deadline: Duration, task: Task<Void, Never>)] = []

    /// The timers that have not yet reached their deadline.
    var count: Int { armed.count }

    /// Starts `sleep` (which sleeps until `deadline`, then wakes the manager) unless a timer already
    /// waits for `deadline` or an earlier one. Timers whose deadline is past `now` are forgotten.
    mutating func arm(at deadline: Duration, now: Duration, _ sleep: @escaping @Sendable () async -> Void) {
        armed.removeAll { $0.deadline <= now }
        guard !armed.contains(where: { $0.deadline <= deadline }) else { return }
        armed.append((deadline, Task(operation: sleep)))
    }

    /// Cancels the timers still waiting (the manager has returned).
    mutating func cancelAll() {
        for timer in armed { timer.task.cancel() }
        armed.removeAll()
    }
}
