/// microcosm-pubsub's batch message (`created.batch_message`): several messages sent as one, for a
/// consumer to publish individually (what Python's `DeferredBatchProducer` sends).
///
/// ```swift
/// let batch = BatchMessage(messages: entries)
/// let text = try registry.encode(batch, opaqueData: opaque)   // media type created.batch_message
/// ```
public struct BatchMessage: PubSubMessage, Hashable {
    /// `application/vnd.globality.pubsub._.created.batch_message`.
    public static let mediaType = MediaType.created("batch_message")

    /// The batched messages, in order.
    public var messages: [BatchedMessage]

    /// A batch of `messages`.
    public init(messages: [BatchedMessage]) { self.messages = messages }
}
