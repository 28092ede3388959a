/// Where dispatching reports what it did, bound as `pubsub_metrics`. The default is
/// ``DogStatsDPubSubMetrics`` (microcosm-pubsub's `pubsub_send_metrics` and
/// `pubsub_send_batch_metrics`, over the `metrics` DogStatsD client) when `metrics.host` names an
/// agent, else ``NoPubSubMetrics``, which does nothing. Conform a type that sends elsewhere
/// (Prometheus, CloudWatch) and bind it instead.
///
/// The dispatcher calls ``recordMessage(_:)`` once per message, IGNORED included (microcosm-pubsub
/// sends no metrics for those: skip them to match its dashboards); the daemon calls
/// ``recordBatch(size:elapsed:)`` once per received batch. Both are on the hot path: return quickly.
///
/// ```swift
/// struct CountingPubSubMetrics: PubSubMetrics {
///     let statsd: DogStatsDClient
///     func recordMessage(_ result: MessageHandlingResult) {
///         statsd.increment("things.messages", tags: ["result:\(result.kind)"])
///     }
///     func recordBatch(size: Int, elapsed: Duration) {
///         statsd.timing("things.batch", elapsed)
///     }
/// }
/// registry.replace(.pubsubMetrics) { graph -> any PubSubMetrics in CountingPubSubMetrics(statsd: try graph.metrics) }
/// ```
public protocol PubSubMetrics: Sendable {
    /// One message handled: its result's kind, media type, elapsed time and publish-to-handle delay.
    func recordMessage(_ result: MessageHandlingResult)

    /// One batch handled: how many messages it held, not counting IGNORED ones (as microcosm-pubsub
    /// counts them), and how long handling them took.
    func recordBatch(size: Int, elapsed: Duration)
}
