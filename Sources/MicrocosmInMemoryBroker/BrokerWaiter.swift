#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A long poll parked on a queue until a message may be available or `wakeAt` comes.
final class BrokerWaiter {
    let id: UInt64
    let queue: BrokerQueue
    let wakeAt: Date
    var continuation: CheckedContinuation<Void, any Error>?
    /// Sleeps on the broker's clock until `wakeAt`, then wakes the waiter.
    var timer: Task<Void, Never>?

    init(id: UInt64, queue: BrokerQueue, wakeAt: Date, continuation: CheckedContinuation<Void, any Error>) {
        self.id = id
        self.queue = queue
        self.wakeAt = wakeAt
        self.continuation = continuation
    }
}
