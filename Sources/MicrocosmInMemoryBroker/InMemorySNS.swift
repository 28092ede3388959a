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
    /// Where each call is counted as the request it would be on AWS; nil: not counted.
    public let usageMeter: AWSUsageMeter?

    /// The SNS side of `broker`; `usageMeter` counts the calls (validated ones: what would reach AWS).
    public init(broker: InMemoryBroker, usageMeter: AWSUsageMeter? = nil) {
        self.broker = broker
        self.usageMeter = usageMeter
    }

    /// Publishes one message and fans it out to the topic's subscriptions.
    public func publish(_ request: PublishRequest) async throws -> PublishResult {
        try RequestValidation.check(request)
        let result = try await perform(.publish, billingClass: AWSBillingClass(snsPublishTo: request.topicArn),
                                       payloadBytes: AWSUsage.payloadBytes(message: request.message, subject: request.subject,
                                                                           attributes: request.messageAttributes)) {
            try await broker.publish(request)
        }
        usageMeter?.recordSent(1)
        return result
    }

    /// Publishes up to 10 messages to one topic; each entry succeeds or fails on its own.
    public func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        try RequestValidation.checkPublishBatch(topicArn: topicArn, entries: entries)
        let payload = { entries.reduce(0) { $0 + AWSUsage.payloadBytes(message: $1.message, subject: $1.subject, attributes: $1.messageAttributes) } }
        let result = try await perform(.publishBatch, billingClass: AWSBillingClass(snsPublishTo: topicArn), payloadBytes: payload()) {
            try await broker.publishBatch(topicArn: topicArn, entries: entries)
        }
        usageMeter?.recordSent(result.successful.count)
        return result
    }

    /// Creates a topic, or returns the ARN of the one with that name and the same attributes.
    public func createTopic(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkCreateTopic(name: name, attributes: attributes)
        return try await perform(.createTopic) { try await broker.createTopic(name: name, attributes: attributes) }
    }

    /// Deletes a topic and its subscriptions (a missing topic is not an error, as in SNS).
    public func deleteTopic(topicArn: String) async throws {
        try RequestValidation.checkTopicArn(topicArn, action: "DeleteTopic")
        try await perform(.deleteTopic) { await broker.deleteTopic(topicArn: topicArn) }
    }

    /// Subscribes a queue (protocol `sqs`, endpoint its ARN) with `RawMessageDelivery`, `FilterPolicy`
    /// and `FilterPolicyScope` (`MessageAttributes`); anything the broker cannot honour is an error.
    public func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkSubscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint)
        return try await perform(.subscribe) {
            try await broker.subscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint, attributes: attributes)
        }
    }

    /// Removes a subscription.
    public func unsubscribe(subscriptionArn: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "Unsubscribe")
        try await perform(.unsubscribe) { try await broker.unsubscribe(subscriptionArn: subscriptionArn) }
    }

    /// The topic's subscriptions, oldest first.
    public func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        try RequestValidation.checkTopicArn(topicArn, action: "ListSubscriptionsByTopic")
        return try await perform(.listSubscriptionsByTopic) {
            try await broker.listSubscriptionsByTopic(topicArn: topicArn)
        }
    }

    /// The topic's attributes (`TopicArn`, `Owner`, `SubscriptionsConfirmed`, the ones it was created with, ...).
    public func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        try RequestValidation.checkTopicArn(topicArn, action: "GetTopicAttributes")
        return try await perform(.getTopicAttributes) { try await broker.getTopicAttributes(topicArn: topicArn) }
    }

    /// Counts the call in ``usageMeter`` (as `billingClass` `action`, billed for `payloadBytes`) and performs it
    /// within the broker's faults.
    private func perform<T>(_ action: BrokerAction, billingClass: AWSBillingClass = .sns, payloadBytes: @autoclosure () -> Int = 0,
                            _ body: () async throws -> T) async throws -> T {
        if let usageMeter {
            usageMeter.recordCall(AWSUsage.Operation(billingClass, action.rawValue), units: AWSUsage.requestUnits(payloadBytes: payloadBytes()))
        }
        return try await broker.faults.perform(action, body)
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
