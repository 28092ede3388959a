import Synchronization

/// The retry token bucket of the SDK standard mode, shared by every call of one ``AWSClient``.
///
/// Each retry spends from it (5, or 10 after a timeout); each success pays back (1 without
/// retries, else what its last retry spent). When it cannot pay, calls stop retrying, so a
/// struggling service sees fewer retries rather than more.
///
/// ```swift
/// let quota = RetryQuota(capacity: 500)
/// if quota.acquire(5) { /* retry */ }
/// quota.release(5)
/// ```
public final class RetryQuota: Sendable {
    /// The most the bucket holds.
    public let capacity: Int
    private let state: Mutex<Int>

    /// A bucket of `capacity`, holding `available` (full by default).
    public init(capacity: Int = RetryPolicy.standard.quotaCapacity, available: Int? = nil) {
        self.capacity = max(0, capacity)
        state = Mutex(min(max(0, available ?? capacity), max(0, capacity)))
    }

    /// What the bucket holds now.
    public var available: Int { state.withLock { $0 } }

    /// Takes `amount` if the bucket holds that much; false (taking nothing) otherwise.
    public func acquire(_ amount: Int) -> Bool {
        state.withLock { available in
            guard amount <= available else { return false }
            available -= amount
            return true
        }
    }

    /// Puts `amount` back, up to ``capacity``.
    public func release(_ amount: Int) {
        state.withLock { available in available = min(capacity, available + max(0, amount)) }
    }
}
