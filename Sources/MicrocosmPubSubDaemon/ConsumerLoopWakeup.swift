import MicrocosmPubSub
import Synchronization

/// A wake-up call for one waiting task: ``notify()`` wakes the task in ``wait()``, or, when none
/// waits, makes the next ``wait()`` return at once; several notifications before a wait count as
/// one. The lease manager waits on one for new work.
final class ConsumerLoopWakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Wakes the waiting task, or the next one to wait.
    func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next notification (at once if one came since the last wait), or once the
    /// calling task is cancelled (which leaves a pending notification for the next wait).
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state in
                    if state.pending {
                        state.pending = false
                        return false
                    }
                    guard !Task.isCancelled else { return false }
                    state.waiter = (id, continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }?.resume()
        }
    }
}
