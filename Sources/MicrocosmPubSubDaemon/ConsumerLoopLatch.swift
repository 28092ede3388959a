import MicrocosmPubSub
import Synchronization

/// A one-way event: once ``fire()``d it stays fired. Tasks ``wait()`` for it (cancellation ends a
/// wait too), handlers registered with ``onFire(_:)`` run when it fires.
///
/// The loop uses latches for "a graceful shutdown was asked for" and, per message, "its lease is
/// lost" (which cancels its handler).
final class ConsumerLoopLatch: Sendable {
    private struct State {
        var fired = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var handlers: [@Sendable () -> Void] = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// True once fired.
    var isFired: Bool { state.withLock { $0.fired } }

    /// Fires the latch: wakes every waiter and runs every handler, once. Returns false when it
    /// had fired already.
    @discardableResult
    func fire() -> Bool {
        let woken = state.withLock { state -> (waiters: [CheckedContinuation<Void, Never>], handlers: [@Sendable () -> Void])? in
            guard !state.fired else { return nil }
            state.fired = true
            defer {
                state.waiters.removeAll()
                state.handlers.removeAll()
            }
            return (Array(state.waiters.values), state.handlers)
        }
        guard let woken else { return false }
        for waiter in woken.waiters { waiter.resume() }
        for handler in woken.handlers { handler() }
        return true
    }

    /// Runs `handler` when the latch fires (at once if it has).
    func onFire(_ handler: @escaping @Sendable () -> Void) {
        let fired = state.withLock { state in
            if !state.fired { state.handlers.append(handler) }
            return state.fired
        }
        if fired { handler() }
    }

    /// Returns once the latch has fired, or once the calling task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state in
                    guard !state.fired, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
