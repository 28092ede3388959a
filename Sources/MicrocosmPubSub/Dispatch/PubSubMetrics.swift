/// Where dispatching reports what it did (microcosm-pubsub's `pubsub_send_metrics` and
/// `pubsub_send_batch_metrics`), bound as `pubsub_metrics`; the default, ``NoPubSubMetrics``,
/// does nothing. Conform a type that sends to statsd, Prometheus or CloudWatch and bind it.
///
/// The dispatcher calls ``recordMessage(_:)`` once per message, IGNORED included (microcosm-pubsub
/// sends no metrics for those: skip them to match its dashboards); the daemon calls
/// ``recordBatch(size:elapsed:)`` once per received batch. Both are on the hot path: return quickly.
///
/// ```swift
/// struct StatsdPubSubMetrics: PubSubMetrics {
///     let statsd: Statsd
///     func recordMessage(_ result: MessageHandlingResult) {
///         guard result.kind != .ignored else { return }
///         let tags = ["result:\(result.kind)", "media-type:\(result.mediaType?.rawValue ?? "unknown")"]
///         statsd.histogram("message", result.elapsed, tags: tags)
///         if let delay = result.publishToHandleDelay { statsd.histogram("message_handle_start", delay, tags: tags) }
///     }
///     func recordBatch(size: Int, elapsed: Duration) {
///         guard size > 0 else { return }
///         statsd.histogram("message_batch", elapsed)
///         statsd.histogram("message_batch_size", size)
///     }
/// }
/// registry.replace(.pubsubMetrics) { graph in StatsdPubSubMetrics(statsd: try graph.resolve("statsd")) }
/// ```
public protocol PubSubMetrics: Sendable {
    /// One message handled: its result's kind, media type, elapsed time and publish-to-handle delay.
    func recordMessage(_ result: MessageHandlingResult)

    /// One batch handled: how many messages it held, not counting IGNORED ones (as microcosm-pubsub
    /// counts them), and how long handling them took.
    func recordBatch(size: Int, elapsed: Duration)
}
