import Microcosm
import MicrocosmMetrics

/// Decides, as microcosm-pubsub does, whether the pubsub metrics senders send: only when the
/// graph binds `metrics` (microcosm-metrics' DogStatsD client), its host is not `localhost` (the
/// default: a service configures `metrics.host` where an agent listens), and
/// `pubsub_send_metrics.enabled` is true.
///
/// microcosm-pubsub reads `pubsub_send_metrics.enabled` for all three senders and declares but
/// never reads `pubsub_send_batch_metrics.enabled` and `pubsub_producer_metrics.enabled`; here
/// each of those also turns its own sender off, so `pubsub_send_metrics.enabled: false` still
/// turns everything off, as a Python settings file expects.
///
/// ```swift
/// let client = try PubSubMetricsSwitch.client(for: "pubsub_send_batch_metrics", graph: graph)   // nil: do not send
/// ```
public enum PubSubMetricsSwitch {
    /// The tag every pubsub metric carries.
    public static let sourceTag = "source:microcosm-pubsub"

    /// The graph's `metrics` client when the sender of config section `section` sends; else nil.
    /// Does not build `metrics` when the sender is turned off by config.
    public static func client(for section: String, graph: Graph) throws -> DogStatsDClient? {
        guard try graph.config.bool("pubsub_send_metrics.enabled", default: true),
              try graph.config.bool(ConfigKeyPath([section, "enabled"]), default: true),
              graph.boundKeys.contains(BindingKey<DogStatsDClient>.metrics.name) else { return nil }
        let client = try graph.metrics
        return client.host == "localhost" ? nil : client
    }

    /// `duration` in (fractional) milliseconds, as microcosm-logging's `elapsed_time` measures.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
