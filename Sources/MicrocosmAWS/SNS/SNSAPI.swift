/// The SNS operations this library uses. ``SNSClient`` speaks them to AWS (query protocol, XML
/// replies); the in-memory broker of MicrocosmInMemoryBroker implements them in process.
///
/// Implementations validate parameters before any I/O (``RequestValidationError``), throw
/// ``AWSError`` for service errors, and report batch entries one by one in ``BatchResult``.
public protocol SNSAPI: Sendable {
    /// Publishes one message; returns its message id (and sequence number on FIFO topics).
    func publish(_ request: PublishRequest) async throws -> PublishResult
    /// Up to 10 entries to one topic.
    func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry>
    /// Creates a topic (or returns the ARN of an existing one of that name); `.fifo` names make FIFO topics.
    func createTopic(name: String, attributes: [String: String]) async throws -> String
    /// Deletes a topic and its subscriptions.
    func deleteTopic(topicArn: String) async throws
    /// Subscribes `endpoint` (an SQS queue ARN for protocol `sqs`); attributes such as
    /// `RawMessageDelivery` and `FilterPolicy`. Returns the subscription ARN.
    func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String
    /// Deletes a subscription.
    func unsubscribe(subscriptionArn: String) async throws
    /// Every subscription of a topic (all pages).
    func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription]
    /// A topic's attributes by name.
    func getTopicAttributes(topicArn: String) async throws -> [String: String]
    /// A subscription's attributes by name (`RawMessageDelivery`, `FilterPolicy`, `Endpoint`, ...).
    func getSubscriptionAttributes(subscriptionArn: String) async throws -> [String: String]
    /// Sets one subscription attribute (`RawMessageDelivery`, `FilterPolicy`, ...).
    func setSubscriptionAttribute(subscriptionArn: String, name: String, value: String) async throws
}

extension SNSAPI {
    /// Unsupported by default: an implementation that predates subscription attributes throws
    /// ``RequestValidationError`` saying so.
    public func getSubscriptionAttributes(subscriptionArn: String) async throws -> [String: String] {
        throw RequestValidationError(service: "SNS", action: "GetSubscriptionAttributes", parameter: "SubscriptionArn",
                                     reason: "'\(subscriptionArn)': \(type(of: self)) does not implement GetSubscriptionAttributes")
    }

    /// Unsupported by default: an implementation that predates subscription attributes throws
    /// ``RequestValidationError`` saying so.
    public func setSubscriptionAttribute(subscriptionArn: String, name: String, value: String) async throws {
        throw RequestValidationError(service: "SNS", action: "SetSubscriptionAttributes", parameter: "SubscriptionArn",
                                     reason: "'\(subscriptionArn)': \(type(of: self)) does not implement SetSubscriptionAttributes")
    }
}
