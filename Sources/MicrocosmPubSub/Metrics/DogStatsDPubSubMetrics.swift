/// The default `pubsub_metrics` when DogStatsD metrics are on: reports each result to
/// `pubsub_send_metrics` and each batch to `pubsub_send_batch_metrics`, as microcosm-pubsub's
/// dispatcher calls them.
///
/// ```swift
/// let metrics = DogStatsDPubSubMetrics(send: try graph.pubsubSendMetrics, sendBatch: try graph.pubsubSendBatchMetrics)
/// graph.assign(.pubsubMetrics, metrics as any PubSubMetrics)
/// ```
public struct DogStatsDPubSubMetrics: PubSubMetrics {
    /// Where results go.
    public let send: PubSubSendMetrics
    /// Where batches go.
    public let sendBatch: PubSubSendBatchMetrics

    /// Reports results to `send` and batches to `sendBatch`.
    public init(send: PubSubSendMetrics, sendBatch: PubSubSendBatchMetrics) {
        self.send = send
        self.sendBatch = sendBatch
    }

    /// Sends the result's histograms (none for IGNORED).
    public func recordMessage(_ result: MessageHandlingResult) { send(result) }

    /// Sends the batch's histograms (none when no message was counted).
    public func recordBatch(size: Int, elapsed: Duration) { sendBatch(size: size, elapsed: elapsed) }
}
