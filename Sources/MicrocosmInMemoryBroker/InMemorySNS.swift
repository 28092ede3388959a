import MicrocosmAWS

/// An ``InMemoryBroker`` as `SNSAPI`: what producers use in tests and with `memory://`.
///
/// Each call validates its request as `SNSClient` does (throwing `RequestValidationError`
/// before anything happens), then acts within the broker's injected ``BrokerFaults``.
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
        return try await broker.faults.perform(.publish) { try await broker.publish(request) }
    }

    /// Publishes up to 10 messages to one topic; each entry succeeds or fails on its own.
    public func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        try RequestValidation.checkPublishBatch(topicArn: topicArn, entries: entries)
        return try await broker.faults.perform(.publishBatch) {
            try await broker.publishBatch(topicArn: topicArn, entries: entries)
        }
    }

    /// Creates a topic, or returns the ARN of the one with that name and the same attributes.
    public func createTopic(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkCreateTopic(name: name, attributes: attributes)
        return try await broker.faults.perform(.createTopic) { try await broker.createTopic(name: name, attributes: attributes) }
    }

    /// Deletes a topic and its subscriptions (a missing topic is not an error, as in SNS).
    public func deleteTopic(topicArn: String) async throws {
        try RequestValidation.checkTopicArn(topicArn, action: "DeleteTopic")
        try await broker.faults.perform(.deleteTopic) { await broker.deleteTopic(topicArn: topicArn) }
    }

    /// Subscribes a queue (protocol `sqs`, endpoint its ARN) with `RawMessageDelivery`, `FilterPolicy`
    /// and `FilterPolicyScope` (`MessageAttributes`); anything the broker cannot honour is an error.
    public func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkSubscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint)
        return try await broker.faults.perform(.subscribe) {
            try await broker.subscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint, attributes: attributes)
        }
    }

    /// Removes a subscription.
    public func unsubscribe(subscriptionArn: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "Unsubscribe")
        try await broker.faults.perform(.unsubscribe) { try await broker.unsubscribe(subscriptionArn: subscriptionArn) }
    }

    /// The topic's subscriptions, oldest first.
    public func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        try RequestValidation.checkTopicArn(topicArn, action: "ListSubscriptionsByTopic")
        return try await broker.faults.perform(.listSubscriptionsByTopic) {
            try await broker.listSubscriptionsByTopic(topicArn: topicArn)
        }
    }

    /// The topic's attributes (`TopicArn`, `Owner`, `SubscriptionsConfirmed`, the ones it was created with, ...).
    public func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        try RequestValidation.checkTopicArn(topicArn, action: "GetTopicAttributes")
        return try await broker.faults.perform(.getTopicAttributes) { try await broker.getTopicAttributes(topicArn: topicArn) }
    }

    /// The subscription's attributes (`RawMessageDelivery`, `FilterPolicy`, `TopicArn`, `Endpoint`, ...).
    public func getSubscriptionAttributes(subscriptionArn: String) async throws -> [String: String] {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "GetSubscriptionAttributes")
        return try await broker.faults.perform(.getSubscriptionAttributes) {
            try await broker.getSubscriptionAttributes(subscriptionArn: subscriptionArn)
        }
    }

    /// Sets `RawMessageDelivery`, `FilterPolicy` (empty: no filter) or `FilterPolicyScope`
    /// (`MessageAttributes`); anything the broker cannot honour is an error.
    public func setSubscriptionAttribute(subscriptionArn: String, name: String, value: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "SetSubscriptionAttributes")
        try await broker.faults.perform(.setSubscriptionAttributes) {
            try await broker.setSubscriptionAttribute(subscriptionArn: subscriptionArn, name: name, value: value)
        }
    }
}
