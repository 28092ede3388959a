import MicrocosmAWS

/// An ``InMemoryBroker`` as `SNSAPI`: what producers use in tests and with `memory://`.
///
/// Each call validates its request as `SNSClient` does (throwing `RequestValidationError`
/// before anything happens), then applies the broker's injected ``BrokerFaults``, then acts.
///
/// ```swift
/// let sns: any SNSAPI = broker.sns
/// let result = try await sns.publish(PublishRequest(topicArn: topicArn, message: text,
///                                                   messageAttributes: ["media_type": .string(mediaType)]))
/// ```
public struct InMemorySNS: SNSAPI {
    /// The broker behind this adapter.
    public let broker: InMemoryBroker

    /// The SNS side of `broker`.
    public init(broker: InMemoryBroker) {
        self.broker = broker
    }

    /// Publishes one message and fans it out to the topic's subscriptions.
    public func publish(_ request: PublishRequest) async throws -> PublishResult {
        try RequestValidation.check(request)
        try await broker.faults.inject(.publish)
        return try await broker.publish(request)
    }

    /// Publishes up to 10 messages to one topic; each entry succeeds or fails on its own.
    public func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        try RequestValidation.checkPublishBatch(topicArn: topicArn, entries: entries)
        try await broker.faults.inject(.publishBatch)
        return try await broker.publishBatch(topicArn: topicArn, entries: entries)
    }

    /// Creates a topic, or returns the ARN of the one with that name and the same attributes.
    public func createTopic(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkCreateTopic(name: name, attributes: attributes)
        try await broker.faults.inject(.createTopic)
        return try await broker.createTopic(name: name, attributes: attributes)
    }

    /// Deletes a topic and its subscriptions (a missing topic is not an error, as in SNS).
    public func deleteTopic(topicArn: String) async throws {
        try RequestValidation.checkTopicArn(topicArn, action: "DeleteTopic")
        try await broker.faults.inject(.deleteTopic)
        await broker.deleteTopic(topicArn: topicArn)
    }

    /// Subscribes a queue (protocol `sqs`, endpoint its ARN) with `RawMessageDelivery`, `FilterPolicy`
    /// and `FilterPolicyScope` (`MessageAttributes`); anything the broker cannot honour is an error.
    public func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkSubscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint)
        try await broker.faults.inject(.subscribe)
        return try await broker.subscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint, attributes: attributes)
    }

    /// Removes a subscription.
    public func unsubscribe(subscriptionArn: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "Unsubscribe")
        try await broker.faults.inject(.unsubscribe)
        try await broker.unsubscribe(subscriptionArn: subscriptionArn)
    }

    /// The topic's subscriptions, oldest first.
    public func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        try RequestValidation.checkTopicArn(topicArn, action: "ListSubscriptionsByTopic")
        try await broker.faults.inject(.listSubscriptionsByTopic)
        return try await broker.listSubscriptionsByTopic(topicArn: topicArn)
    }

    /// The topic's attributes (`TopicArn`, `Owner`, `SubscriptionsConfirmed`, the ones it was created with, ...).
    public func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        try RequestValidation.checkTopicArn(topicArn, action: "GetTopicAttributes")
        try await broker.faults.inject(.getTopicAttributes)
        return try await broker.getTopicAttributes(topicArn: topicArn)
    }
}
