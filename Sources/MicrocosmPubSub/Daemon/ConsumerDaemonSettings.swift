import Foundation
import Microcosm

/// The daemon's own knobs, from config section `consumer_daemon` (binding `consumer_daemon`),
/// plus microcosm-daemon's `sleep_policy.default_sleep_timeout` for the idle sleep.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `consumer_daemon.concurrency` | 10 | messages handled at once (FIFO groups stay in order) |
/// | `consumer_daemon.grace_period_seconds` | 20 | on SIGTERM/SIGINT, how long in-flight handlers and acknowledgements may take |
/// | `consumer_daemon.heartbeat_seconds` | null | how often held messages' leases are renewed; null: a tenth of the lease, at least 1 s; never more than half the lease; 0: never |
/// | `consumer_daemon.error_backoff_seconds` | 1 | first pause after a failed receive, acknowledgement or extension, doubled each time |
/// | `consumer_daemon.max_error_backoff_seconds` | 30 | the longest such pause |
/// | `consumer_daemon.acknowledgement_attempts` | 5 | tries of a visibility change (nack, hand-back) that fails retryably; deletes are tried for as long as they may succeed |
/// | `sleep_policy.default_sleep_timeout` | 0.5 | pause after a receive that found nothing (Python's key) |
///
/// ```swift
/// var settings = ConsumerDaemonSettings()
/// settings.concurrency = 32
/// settings.gracePeriod = .seconds(25)
/// let loop = ConsumerLoop(consumer: try graph.sqsConsumer, settings: settings, logger: graph.logger) { message in
///     await dispatcher.dispatch(message)
/// }
/// ```
public struct ConsumerDaemonSettings: Sendable, Hashable {
    /// Messages handled at once (at least 1).
    public var concurrency: Int
    /// How long in-flight handlers and acknowledgements may take to finish after a shutdown signal.
    public var gracePeriod: Duration
    /// How often the leases of held messages are renewed (their visibility extended); nil: a
    /// tenth of the lease, at least 1 s; zero: never. Never more than half the lease.
    public var heartbeatInterval: Duration?
    /// The pause after a receive that found nothing.
    public var idleSleep: Duration
    /// The first pause after a failed receive, acknowledgement or extension; doubled after each
    /// failure in a row (for acknowledgements and extensions: of that message).
    public var errorBackoff: Duration
    /// The longest pause after failures.
    public var maxErrorBackoff: Duration
    /// How many times a visibility change (a nack, a hand-back) that fails retryably is tried in
    /// all. Deletes are tried for as long as they may succeed, the message's lease renewed meanwhile.
    public var acknowledgementAttempts: Int

    /// Settings; the defaults are those of the config keys.
    public init(concurrency: Int = 10, gracePeriod: Duration = .seconds(20), heartbeatInterval: Duration? = nil,
                idleSleep: Duration = .milliseconds(500), errorBackoff: Duration = .seconds(1),
                maxErrorBackoff: Duration = .seconds(30), acknowledgementAttempts: Int = 5) {
        self.concurrency = concurrency
        self.gracePeriod = gracePeriod
        self.heartbeatInterval = heartbeatInterval
        self.idleSleep = idleSleep
        self.errorBackoff = errorBackoff
        self.maxErrorBackoff = maxErrorBackoff
        self.acknowledgementAttempts = acknowledgementAttempts
    }

    /// The section's config keys with their defaults, as the binding declares them.
    static let defaults: ConfigDefaults = [
        "concurrency": .typed(.int, default: 10),
        "grace_period_seconds": .typed(.double, default: 20),
        "heartbeat_seconds": .typed(.double, default: .null),
        "error_backoff_seconds": .typed(.double, default: 1),
        "max_error_backoff_seconds": .typed(.double, default: 30),
        "acknowledgement_attempts": .typed(.int, default: 5),
    ]

    /// The settings `config` holds (section `consumer_daemon`, and `sleep_policy.default_sleep_timeout`).
    ///
    /// Throws a `ConfigurationError` naming the key for a value of the wrong type or out of range.
    public init(config: Configuration) throws(ConfigurationError) {
        let section = try config.section("consumer_daemon")
        func positiveInt(_ key: String, default value: Int) throws(ConfigurationError) -> Int {
            let number = try section.int(ConfigKeyPath([key]), default: value)
            guard number >= 1 else {
                throw .typeMismatch(section.basePath.appending(key), expected: "positive int", seen: .int(number))
            }
            return number
        }
        func seconds(_ section: Configuration, _ key: String, default value: Double?) throws(ConfigurationError) -> Duration? {
            guard let number = try section.optionalDouble(ConfigKeyPath([key])) ?? value else { return nil }
            guard number >= 0, number <= 86_400 else {
                throw .typeMismatch(section.basePath.appending(key), expected: "seconds from 0 to 86400", seen: .double(number))
            }
            return .milliseconds(Int64((number * 1000).rounded()))
        }
        concurrency = try positiveInt("concurrency", default: 10)
        acknowledgementAttempts = try positiveInt("acknowledgement_attempts", default: 5)
        gracePeriod = try seconds(section, "grace_period_seconds", default: 20)!
        heartbeatInterval = try seconds(section, "heartbeat_seconds", default: nil)
        errorBackoff = try seconds(section, "error_backoff_seconds", default: 1)!
        maxErrorBackoff = max(errorBackoff, try seconds(section, "max_error_backoff_seconds", default: 30)!)
        idleSleep = try seconds(try config.section("sleep_policy"), "default_sleep_timeout", default: 0.5)!
    }

    /// The pause after `failures` failures in a row: ``errorBackoff`` doubled for each failure
    /// after the first, at most ``maxErrorBackoff``, the upper half of it at random (so a fleet
    /// of daemons does not retry in step).
    func backoff(afterFailures failures: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let base = errorBackoff.timeInterval * pow(2, Double(min(max(failures - 1, 0), 30)))
        let capped = min(base, maxErrorBackoff.timeInterval)
        return .milliseconds(Int64((random(capped / 2...capped) * 1000).rounded()))
    }

    /// How often to renew the lease of a held message that stays invisible `visibilityTimeout`
    /// seconds after a receive or an extension: ``heartbeatInterval``, else a tenth of the timeout
    /// (at least 1 s); never more than half the timeout. Renewed that often, a lease always has
    /// most of the timeout left, so it outlives an outage almost as long as the timeout. Nil when
    /// there is no heartbeat (set to zero, or a timeout of zero).
    func heartbeat(visibilityTimeout: Int) -> Duration? {
        guard visibilityTimeout > 0 else { return nil }
        let half = Duration.milliseconds(Int64(visibilityTimeout) * 500)
        if let heartbeatInterval { return heartbeatInterval > .zero ? min(heartbeatInterval, half) : nil }
        return min(max(.milliseconds(Int64(visibilityTimeout) * 100), .seconds(1)), half)
    }
}
