/// How one publish went, as ``SNSProducer`` reports it to its `onPublish` hook after each message
/// it publishes, success or failure (what microcosm-pubsub hands `pubsub_producer_metrics`).
///
/// ```swift
/// let producer = SNSProducer(snsClient: sns, topicArns: topics, schemaRegistry: schemas, logger: logger,
///                            onPublish: { outcome in print(outcome.mediaType, outcome.succeeded, outcome.elapsed) })
/// ```
public struct PublishOutcome: Sendable, Hashable {
    /// The message's media type.
    public var mediaType: MediaType
    /// The topic it was published to.
    public var topicArn: String
    /// How long the Publish (or PublishBatch) call took.
    public var elapsed: Duration
    /// True when SNS accepted the message.
    public var succeeded: Bool

    /// An outcome.
    public init(mediaType: MediaType, topicArn: String, elapsed: Duration, succeeded: Bool) {
        self.mediaType = mediaType
        self.topicArn = topicArn
        self.elapsed = elapsed
        self.succeeded = succeeded
    }
}
