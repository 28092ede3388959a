import MicrocosmPubSub
/// One receive's messages, once all of them have been handled or handed back: what
/// microcosm-pubsub reports per batch ("Completed batch: Message count: ..., elapsed_time: ...").
///
/// ```swift
/// let loop = ConsumerLoop(consumer: consumer, logger: logger, onBatch: { batch in
///     metrics.recordBatch(size: batch.size, elapsed: batch.elapsed)
/// }) { message in await dispatcher.dispatch(message) }
/// ```
public struct ConsumerLoopBatch: Sendable, Hashable {
    /// Messages handled to a result other than IGNORED (microcosm-pubsub's `message_batch_size`).
    public var size: Int
    /// Messages the receive brought.
    public var received: Int
    /// From the start of the receive until the last of its messages was done.
    public var elapsed: Duration

    /// A batch.
    public init(size: Int, received: Int, elapsed: Duration) {
        self.size = size
        self.received = received
        self.elapsed = elapsed
    }
}
