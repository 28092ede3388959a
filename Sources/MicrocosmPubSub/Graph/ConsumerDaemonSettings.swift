#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
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
/// | `consumer_daemon.health_port` | null | the health endpoint's TCP port (`GET /api/health`, `GET /api/ready`); null: no endpoint; 0: any free port |
/// | `consumer_daemon.health_host` | `0.0.0.0` | the IPv4 address the health endpoint listens on |
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
    /// The TCP port of the daemon's health endpoint (see ``ConsumerDaemonState``); nil: none; 0: any free port.
    public var healthPort: Int?
    /// The IPv4 address the health endpoint listens on.
    public var healthHost: String

    /// Settings; the defaults are those of the config keys.
    public init(concurrency: Int = 10, gracePeriod: Duration = .seconds(20), heartbeatInterval: Duration? = nil,
                idleSleep: Duration = .milliseconds(500), errorBackoff: Duration = .seconds(1),
                maxErrorBackoff: Duration = .seconds(30), acknowledgementAttempts: Int = 5,
                healthPort: Int? = nil, healthHost: String = "0.0.0.0") {
        self.healthPort = healthPort
        self.healthHost = healthHost
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
        "concurrency": .typed(.int(in: 1...Int.max), default: 10),
        "grace_period_seconds": .typed(.seconds(in: 0...86_400), default: 20),
        "heartbeat_seconds": .typed(.seconds(in: 0...86_400), default: .null),
        "error_backoff_seconds": .typed(.seconds(in: 0...86_400), default: 1),
        "max_error_backoff_seconds": .typed(.seconds(in: 0...86_400), default: 30),
        "acknowledgement_attempts": .typed(.int(in: 1...Int.max), default: 5),
        "health_port": .typed(.int(in: 0...65_535), default: .null),
        "health_host": .typed(.string, default: "0.0.0.0"),
    ]

    /// The declared defaults of section `sleep_policy` (microcosm-daemon's).
    static let sleepPolicyDefaults: ConfigDefaults = ["default_sleep_timeout": .typed(.seconds(in: 0...86_400), default: 0.5)]

    /// The settings `config` holds (section `consumer_daemon`, and `sleep_policy.default_sleep_timeout`).
    ///
    /// Throws a `ConfigurationError` naming the key (and the variable or file that set it) for a
    /// value of the wrong type or out of range: counts are at least 1, seconds finite from 0 to 86400.
    public init(config: Configuration) throws(ConfigurationError) {
        let section = try config.section("consumer_daemon")
        let seconds: ClosedRange<Double> = 0...86_400
        concurrency = try section.int("concurrency", in: 1...Int.max, default: 10)
        acknowledgementAttempts = try section.int("acknowledgement_attempts", in: 1...Int.max, default: 5)
        gracePeriod = try section.seconds("grace_period_seconds", in: seconds, default: 20)
        heartbeatInterval = try section.optionalSeconds("heartbeat_seconds", in: seconds)
        errorBackoff = try section.seconds("error_backoff_seconds", in: seconds, default: 1)
        maxErrorBackoff = max(errorBackoff, try section.seconds("max_error_backoff_seconds", in: seconds, default: 30))
        healthPort = try section.optionalInt("health_port", in: 0...65_535)
        healthHost = try section.string("health_host", default: "0.0.0.0")
        var address = in_addr()
        guard inet_pton(AF_INET, healthHost, &address) == 1 else {
            throw ConfigurationError.invalidValue(section.basePath.appending("health_host"), expected: "an IPv4 address",
                                                  seen: .string(healthHost)).located(by: config.origins)
        }
        idleSleep = try config.section("sleep_policy").seconds("default_sleep_timeout", in: seconds, default: 0.5)
    }

    /// The pause after `failures` failures in a row: ``errorBackoff`` doubled for each failure
    /// after the first, at most ``maxErrorBackoff``, the upper half of it at random (so a fleet
    /// of daemons does not retry in step).
    package func backoff(afterFailures failures: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let base = errorBackoff.timeInterval * pow(2, Double(min(max(failures - 1, 0), 30)))
        let capped = min(base, maxErrorBackoff.timeInterval)
        return .milliseconds(Int64((random(capped / 2...capped) * 1000).rounded()))
    }

    /// How often to renew the lease of a held message that stays invisible `visibilityTimeout`
    /// seconds after a receive or an extension: ``heartbeatInterval``, else a tenth of the timeout
    /// (at least 1 s); never more than half the timeout. Renewed that often, a lease always has
    /// most of the timeout left, so it outlives an outage almost as long as the timeout. Nil when
    /// there is no heartbeat (set to zero, or a timeout of zero).
    package func heartbeat(visibilityTimeout: Int) -> Duration? {
        guard visibilityTimeout > 0 else { return nil }
        let half = Duration.milliseconds(Int64(visibilityTimeout) * 500)
        if let heartbeatInterval { return heartbeatInterval > .zero ? min(heartbeatInterval, half) : nil }
        return min(max(.milliseconds(Int64(visibilityTimeout) * 100), .seconds(1)), half)
    }
}
