import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import MicrocosmPubSub
#endif

/// SIGTERM and SIGINT as a graceful shutdown: the first runs `onFirst`; a second exits the
/// process at once with status 128 + the signal number.
///
/// A process may start with these signals blocked: one started by Foundation's `Process` from a
/// Swift task inherits the starting thread's mask, in which they are blocked, so a default
/// SIGTERM would stay pending for ever. ``install(onFirst:)`` therefore unblocks them for the
/// calling thread (call it from the main thread, before starting other threads, so that they
/// inherit the mask), sets them to be ignored (so the default action never kills the process)
/// and observes them with dispatch sources.
///
/// ```swift
/// let signals = ShutdownSignals.install { signal in loop.triggerGracefulShutdown() }
/// defer { signals.cancel() }
/// ```
// @unchecked: `sources` never changes after init, and dispatch sources may be used from any thread.
final class ShutdownSignals: @unchecked Sendable {
    /// The signals that stop a daemon.
    static let handled: [Int32] = [SIGTERM, SIGINT]

    private let sources: [any DispatchSourceSignal]
    private let received = Mutex<Int32?>(nil)

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    /// Starts observing SIGTERM and SIGINT.
    static func install(onFirst: @escaping @Sendable (Int32) -> Void) -> ShutdownSignals {
        let queue = DispatchQueue(label: "microcosm.consumer-daemon.signals")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in handled {
            signal(signalNumber, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: signalNumber, queue: queue))
        }
        let signals = ShutdownSignals(sources: sources)
        for (source, signalNumber) in zip(sources, handled) {
            source.setEventHandler { [weak signals] in signals?.receive(signalNumber, onFirst: onFirst) }
            source.resume()
        }
        unblock()
        return signals
    }

    /// Unblocks SIGTERM and SIGINT for the calling thread (and the threads it starts later).
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in handled { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The first signal received, if any.
    var firstSignal: Int32? { received.withLock { $0 } }

    /// Stops observing; the signals stay ignored.
    func cancel() {
        for source in sources { source.cancel() }
    }

    private func receive(_ signalNumber: Int32, onFirst: @Sendable (Int32) -> Void) {
        let isFirst = received.withLock { first in
            guard first == nil else { return false }
            first = signalNumber
            return true
        }
        guard isFirst else {
            let message = "\(Self.name(of: signalNumber)) again: exiting at once\n"
            writeAll(2, message)
            fflush(nil)
            _exit(128 + signalNumber)
        }
        onFirst(signalNumber)
    }

    /// `SIGTERM`, `SIGINT`.
    static func name(of signalNumber: Int32) -> String {
        switch signalNumber {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(signalNumber)"
        }
    }
}
