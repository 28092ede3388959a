import Foundation
import MicrocosmAWS
import Synchronization

/// Faults injected into an ``InMemoryBroker``'s SNS and SQS adapters, so the broker looks like a
/// slow or failing AWS: latency per action or for every action (slept on the broker's clock),
/// and errors for an action, a number of times or until cleared.
///
/// Faults apply after request validation and before the broker acts: a failed call changes
/// nothing. Latency comes before the error, as a slow failing service's would.
///
/// ```swift
/// let throttled = AWSError(code: "ThrottlingException", message: "Rate exceeded", statusCode: 400)
/// broker.faults.fail(.receiveMessage, with: throttled, times: 2)   // the next two receives throw
/// broker.faults.setLatency(.milliseconds(10))                       // every call takes 10 ms
/// broker.faults.reset()
/// ```
public final class BrokerFaults: Sendable {
    private struct Failure {
        var error: AWSError
        /// Calls left to fail; nil: until cleared.
        var remaining: Int?
    }

    private struct State {
        var failures: [BrokerAction: Failure] = [:]
        var latencies: [BrokerAction: Duration] = [:]
        var latency: Duration?
        var isEmpty: Bool { failures.isEmpty && latencies.isEmpty && latency == nil }
    }

    private let state = Mutex(State())
    private let clock: any BrokerClock

    init(clock: any BrokerClock) {
        self.clock = clock
    }

    /// Makes the next `times` calls of `action` throw `error` (every call until cleared when
    /// `times` is nil). The service and action are filled in when the error has none.
    public func fail(_ action: BrokerAction, with error: AWSError, times: Int? = nil) {
        if let times, times < 1 {
            clearFailure(action)
            return
        }
        let error = AWSError(code: error.code, message: error.message, statusCode: error.statusCode, requestId: error.requestId,
                             service: error.service ?? action.service, action: error.action ?? action.rawValue,
                             senderFault: error.senderFault)
        state.withLock { $0.failures[action] = Failure(error: error, remaining: times) }
    }

    /// Stops failing `action`.
    public func clearFailure(_ action: BrokerAction) {
        state.withLock { $0.failures[action] = nil }
    }

    /// Makes every call of `action` take `latency` (nil: back to the latency of all actions).
    public func setLatency(_ latency: Duration?, for action: BrokerAction) {
        state.withLock { $0.latencies[action] = latency }
    }

    /// Makes every call take `latency`, unless its action has a latency of its own (nil: none).
    public func setLatency(_ latency: Duration?) {
        state.withLock { $0.latency = latency }
    }

    /// Removes every fault.
    public func reset() {
        state.withLock { $0 = State() }
    }

    /// Sleeps the latency of `action` and throws its error, if any; called by the adapters.
    func inject(_ action: BrokerAction) async throws {
        let (latency, error): (Duration?, AWSError?) = state.withLock { state in
            guard !state.isEmpty else { return (nil, nil) }
            var error: AWSError?
            if var failure = state.failures[action] {
                error = failure.error
                if let remaining = failure.remaining {
                    failure.remaining = remaining - 1
                    state.failures[action] = remaining > 1 ? failure : nil
                }
            }
            return (state.latencies[action] ?? state.latency, error)
        }
        if let latency, latency > .zero { try await clock.sleep(for: latency) }
        if let error { throw error }
    }
}
