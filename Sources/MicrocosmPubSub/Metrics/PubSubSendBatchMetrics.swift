import Microcosm
import MicrocosmMetrics

/// Sends two DogStatsD histograms per received batch, as microcosm-pubsub's
/// `PubSubSendBatchMetrics` does (binding `pubsub_send_batch_metrics`, config `enabled`, default true):
///
/// | metric | value | tags |
/// |---|---|---|
/// | `message_batch` | milliseconds from the start of the receive until its last message was done | `source:microcosm-pubsub` |
/// | `message_batch_size` | messages of the batch not IGNORED | `source:microcosm-pubsub` |
///
/// Nothing is sent for a batch of IGNORED messages only. Enabled when the graph binds `metrics`,
/// its host is not `localhost`, and both `pubsub_send_metrics.enabled` and
/// `pubsub_send_batch_metrics.enabled` are true (see ``PubSubMetricsSwitch``).
///
/// ```swift
/// try graph.pubsubSendBatchMetrics(size: 3, elapsed: .milliseconds(40))
/// // message_batch:40.0|h|#source:microcosm-pubsub,service:things,environment:prod
/// // message_batch_size:3|h|#source:microcosm-pubsub,service:things,environment:prod
/// ```
public struct PubSubSendBatchMetrics: Sendable {
    /// Where the histograms go; nil when disabled.
    public let client: DogStatsDClient?

    /// Sends to `client`; nil disables.
    public init(client: DogStatsDClient?) {
        self.client = client
    }

    /// True when batches are sent.
    public var isEnabled: Bool { client != nil }

    /// Sends the histograms of a batch of `size` counted messages handled in `elapsed` (nothing
    /// when `size` is 0, or when disabled).
    public func callAsFunction(size: Int, elapsed: Duration) {
        guard let client else { return }
        let metrics = Self.metrics(size: size, elapsed: elapsed)
        if !metrics.isEmpty { client.send(metrics) }
    }

    /// The histograms microcosm-pubsub sends for a batch: none when `size` is 0.
    public static func metrics(size: Int, elapsed: Duration) -> [DogStatsDMetric] {
        guard size > 0 else { return [] }
        return [.histogram("message_batch", PubSubMetricsSwitch.milliseconds(elapsed), tags: [PubSubMetricsSwitch.sourceTag]),
                .histogram("message_batch_size", size, tags: [PubSubMetricsSwitch.sourceTag])]
    }
}
