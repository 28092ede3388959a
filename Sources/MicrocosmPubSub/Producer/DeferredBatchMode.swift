/// How ``SNSProducer/deferredBatch(_:isolation:_:)`` sends its messages when the scope ends.
///
/// ```swift
/// try await producer.deferredBatch { ... }                   // .publishBatch: SNS PublishBatch, 10 per call
/// try await producer.deferredBatch(.batchMessage) { ... }    // one created.batch_message, for Python peers
/// ```
public enum DeferredBatchMode: Sendable, Hashable {
    /// SNS `PublishBatch` calls: grouped by topic (topics in the order first produced to),
    /// messages in order, at most 10 entries and 256 KiB per call. Consumers receive the messages
    /// one by one, as if each had been published alone.
    case publishBatch
    /// microcosm-pubsub's batch message, as Python's `DeferredBatchProducer` sends it: the messages
    /// in chunks of `deferred_batch_size`, each chunk one `created.batch_message` (published to
    /// that media type's topic) listing them; a chunk of one is published directly. A consumer
    /// (microcosm-pubsub's batch handler) then publishes each inner message to its topic.
    case batchMessage
}
