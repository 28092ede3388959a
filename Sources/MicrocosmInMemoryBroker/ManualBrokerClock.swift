#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// A ``BrokerClock`` for tests: time stands still until ``advance(by:)`` moves it, and then every
/// sleeper whose deadline has come wakes, so visibility expiries, delays and long-poll deadlines
/// happen exactly when the test says, with no real waiting and no timing in assertions.
///
/// ```swift
/// let clock = ManualBrokerClock()
/// let broker = InMemoryBroker(clock: clock)
/// let poll = Task { try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, waitTimeSeconds: 20)) }
/// clock.advance(by: .seconds(20))   // the long poll ends, empty
/// ```
public final class ManualBrokerClock: BrokerClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [UInt64: Sleeper] = [:]
        var nextSleeperID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// A clock that reads `start` (by default 2026-01-01T00:00:00Z) until advanced.
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
    }

    /// The current time.
    public var now: Date { state.withLock { $0.now } }

    /// How many sleeps (long polls, injected latencies, timers) are waiting for the clock to move.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves the clock forward and wakes, earliest first, every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.addingTimeInterval(duration.timeInterval)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.keys
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns when the clock has been advanced to `deadline`.
    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextSleeperID += 1
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case waiting, due, cancelled }
                let outcome: Outcome = state.withLock { state in
                    if Task.isCancelled { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting
                }
                switch outcome {
                case .waiting: break
                case .due: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
