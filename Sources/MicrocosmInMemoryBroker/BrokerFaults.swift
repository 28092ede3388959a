#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS
import Synchronization

/// Faults injected into an ``InMemoryBroker``'s SNS and SQS adapters, so the broker looks like a
/// slow, failing or unreachable AWS: latency per action or for every action (slept on the
/// broker's clock), errors for an action (a number of times or until cleared), thrown before the
/// broker acts or after it has acted, and outages during which every call fails.
///
/// Latency comes first, as a slow service's would. A fault *before* the broker acts changes
/// nothing (a connection reset before the request reached the server, a 5xx, throttling); a fault
/// *after* it acted is a call that took effect while the caller sees an error (a connection reset
/// after the server applied the request, a reply slower than the read timeout, a body cut
/// half-way). Errors need not be `AWSError`s: an `HTTPTransportError` is what a client sees when
/// the connection fails.
///
/// ```swift
/// let throttled = AWSError(code: .throttlingException, message: "Rate exceeded", statusCode: 400)
/// broker.faults.fail(.receiveMessage, with: throttled, times: 2)    // the next two receives throw
/// let reset = HTTPTransportError(.connectionClosed, url: queueURL, detail: "connection reset by peer")
/// broker.faults.fail(.deleteMessageBatch, with: reset, times: 1, afterApplying: true)   // deleted, but the caller sees the reset
/// broker.faults.refuseConnections(for: .seconds(25))               // an outage on the broker's clock
/// broker.faults.setLatency(.milliseconds(10))                       // every call takes 10 ms
/// broker.faults.reset()
/// ```
public final class BrokerFaults: Sendable {
    private struct Failure {
        var error: any Error
        /// Calls left to fail; nil: until cleared.
        var remaining: Int?
        /// Whether the broker acts before the error is thrown.
        var afterApplying: Bool
        /// How long the reply is held after the broker acted, before the error is thrown.
        var hold: Duration = .zero
    }

    private struct State {
        var failures: [BrokerAction: Failure] = [:]
        var latencies: [BrokerAction: Duration] = [:]
        var latency: Duration?
        /// Every call fails with `outageError` until this wall-clock date (the broker's clock).
        var outageUntil: Date?
        var outageError: (any Error)?
        var isEmpty: Bool { failures.isEmpty && latencies.isEmpty && latency == nil && outageUntil == nil }
    }

    private let state = Mutex(State())
    private let clock: any BrokerClock

    init(clock: any BrokerClock) {
        self.clock = clock
    }

    /// Makes the next `times` calls of `action` throw `error` (every call until cleared when
    /// `times` is nil): before the broker acts, or after it has acted when `afterApplying`. An
    /// `AWSError` without a service or action gets those of `action`.
    public func fail(_ action: BrokerAction, with error: any Error, times: Int? = nil, afterApplying: Bool = false) {
        if let times, times < 1 {
            clearFailure(action)
            return
        }
        let failure = Failure(error: Self.completed(error, action: action), remaining: times, afterApplying: afterApplying)
        state.withLock { $0.failures[action] = failure }
    }

    /// `error` with the service and action of `action` when it is an `AWSError` without them.
    private static func completed(_ error: any Error, action: BrokerAction) -> any Error {
        guard let aws = error as? AWSError else { return error }
        return AWSError(code: aws.code, message: aws.message, statusCode: aws.statusCode, requestId: aws.requestId,
                        service: aws.service ?? action.service, action: aws.action ?? action.rawValue, senderFault: aws.senderFault)
    }

    /// Makes the next `times` calls of `action` act, then hold their reply for `duration`, then
    /// throw `error`: a reply held past the client's read timeout (pass the transport's timeout
    /// error), the server having applied the call.
    public func holdReplies(of action: BrokerAction, for duration: Duration, times: Int, thenFailWith error: any Error) {
        state.withLock {
            $0.failures[action] = Failure(error: Self.completed(error, action: action), remaining: times, afterApplying: true,
                                          hold: duration)
        }
    }

    /// Stops failing `action`.
    public func clearFailure(_ action: BrokerAction) {
        state.withLock { $0.failures[action] = nil }
    }

    /// Refuses every call for `duration` of the broker's clock from now, as an endpoint that does
    /// not accept connections: each throws `error` (by default a connection failure) before the
    /// broker acts. A new outage replaces the one under way.
    public func refuseConnections(for duration: Duration, with error: (any Error)? = nil) {
        let until = clock.now.addingTimeInterval(duration.timeInterval)
        let refusal = error ?? HTTPTransportError(.connectFailed, url: "memory://", detail: "Connection refused (injected outage)")
        state.withLock { state in
            state.outageUntil = until
            state.outageError = refusal
        }
    }

    /// Ends an outage under way.
    public func endOutage() {
        state.withLock { state in
            state.outageUntil = nil
            state.outageError = nil
        }
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

    /// Runs `body` (the broker acting on one call of `action`) with the faults of `action`:
    /// sleeps its latency, throws an outage's or a failure's error before `body`, or runs `body`
    /// and then throws an after-applying failure's error. Called by the adapters.
    func perform<T>(_ action: BrokerAction, _ body: () async throws -> T) async throws -> T {
        let now = clock.now
        let (latency, failure): (Duration?, Failure?) = state.withLock { state in
            guard !state.isEmpty else { return (nil, nil) }
            let latency = state.latencies[action] ?? state.latency
            if let until = state.outageUntil, let error = state.outageError {
                if now < until { return (latency, Failure(error: error, remaining: nil, afterApplying: false)) }
                state.outageUntil = nil
                state.outageError = nil
            }
            guard var failure = state.failures[action] else { return (latency, nil) }
            if let remaining = failure.remaining {
                failure.remaining = remaining - 1
                state.failures[action] = remaining > 1 ? failure : nil
            }
            return (latency, failure)
        }
        if let latency, latency > .zero { try await clock.sleep(for: latency) }
        guard let failure else { return try await body() }
        if !failure.afterApplying { throw failure.error }
        _ = try await body()
        if failure.hold > .zero { try await clock.sleep(for: failure.hold) }
        throw failure.error
    }
}
