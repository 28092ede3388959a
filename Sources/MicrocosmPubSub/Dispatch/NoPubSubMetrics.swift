/// Metrics that go nowhere: the default `pubsub_metrics`.
public struct NoPubSubMetrics: PubSubMetrics {
    public init() {}

    /// Does nothing.
    public func recordMessage(_ result: MessageHandlingResult) {}

    /// Does nothing.
    public func recordBatch(size: Int, elapsed: Duration) {}
}
