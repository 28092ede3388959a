#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// SNS topics and subscriptions: CreateTopic, DeleteTopic, GetTopicAttributes, Subscribe,
/// Unsubscribe, ListSubscriptionsByTopic, GetSubscriptionAttributes, SetSubscriptionAttributes.
extension InMemoryBroker {
    /// Topic attributes SNS accepts at creation; the broker acts on `FifoTopic`,
    /// `ContentBasedDeduplication` and `SignatureVersion` and reports the others.
    static let topicAttributeNames: Set<String> = [
        "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "SignatureVersion", "TracingConfig", "FifoTopic",
        "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
    ]

    func createTopic(name: String, attributes: [String: String]) throws -> String {
        let action = BrokerAction.createTopic.rawValue
        let fifo = name.hasSuffix(".fifo")
        if let unknown = attributes.keys.sorted().first(where: { !Self.topicAttributeNames.contains($0) }) {
            throw AWSError.invalidParameter("Attributes Reason: unknown topic attribute \(unknown)", action: action)
        }
        var attributes = attributes
        if fifo { attributes["FifoTopic"] = "true" }
        if attributes["ContentBasedDeduplication"]?.lowercased() == "true", !fifo {
            throw AWSError.invalidParameter("Attributes Reason: ContentBasedDeduplication applies to FIFO topics only, "
                                                + "and '\(name)' is a standard topic", action: action)
        }
        if let version = attributes["SignatureVersion"], version != "1", version != "2" {
            throw AWSError.invalidParameter("Attributes Reason: SignatureVersion must be 1 or 2, got '\(version)'", action: action)
        }
        let arn = topicArn(named: name)
        if let existing = topics[arn] {
            guard attributes.allSatisfy({ existing.attributes[$0.key] == $0.value }) else {
                throw AWSError.invalidParameter("Attributes Reason: Topic \(arn) already exists with different attributes",
                                                action: action)
            }
            return arn
        }
        return makeTopic(name: name, arn: arn, attributes: attributes).arn
    }

    /// Creates and stores the topic `arn`.
    func makeTopic(name: String, arn: String, attributes: [String: String]) -> BrokerTopic {
        // SignatureVersion: "1" unless the topic says "2", as on AWS.
        let template = BrokerEnvelope.Template(
            topicArn: arn, signatureVersion: attributes["SignatureVersion"] ?? "1", signature: signature,
            signingCertURL: signingCertURL, unsubscribeURLPrefix: "https://sns.\(region).amazonaws.com/?Action=Unsubscribe&SubscriptionArn=")
        let topic = BrokerTopic(name: name, arn: arn, attributes: attributes, envelopeTemplate: template)
        topics[arn] = topic
        return topic
    }

    /// Deletes a topic and its subscriptions; deleting a missing topic is not an error, as in SNS.
    func deleteTopic(topicArn: String) {
        guard let topic = topics.removeValue(forKey: topicArn) else { return }
        for subscription in topic.subscriptions { subscriptions[subscription.arn] = nil }
    }

    func getTopicAttributes(topicArn: String) throws -> [String: String] {
        let topic = try topic(topicArn, action: .getTopicAttributes)
        var attributes = topic.attributes
        attributes["TopicArn"] = topic.arn
        attributes["Owner"] = accountId
        attributes["DisplayName"] = topic.attributes["DisplayName"] ?? ""
        attributes["SubscriptionsConfirmed"] = String(topic.subscriptions.count)
        attributes["SubscriptionsPending"] = "0"
        attributes["SubscriptionsDeleted"] = "0"
        return attributes
    }

    func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) throws -> String {
        let action = BrokerAction.subscribe.rawValue
        let topic = try topic(topicArn, action: .subscribe)
        guard `protocol` == "sqs" else {
            throw AWSError.invalidParameter("Protocol '\(`protocol`)': the in-memory broker delivers to protocol sqs only "
                                                + "(topic \(topicArn))", action: action)
        }
        let parts = endpoint.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[5].isEmpty else {
            throw AWSError.invalidParameter("SQS endpoint ARN: '\(endpoint)' is not a queue ARN "
                                                + "(arn:aws:sqs:region:account:name)", action: action)
        }
        if parts[5].hasSuffix(".fifo"), !topic.isFIFO {
            throw AWSError.invalidParameter("Endpoint Reason: FIFO SQS Queues can not be subscribed to "
                                                + "standard SNS topics (queue \(endpoint), topic \(topicArn))", action: action)
        }
        var rawMessageDelivery = false
        var filterPolicy: BrokerFilterPolicy?
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try Self.readSubscriptionAttribute(name, value, rawMessageDelivery: &rawMessageDelivery, filterPolicy: &filterPolicy,
                                               subject: "topic \(topicArn), endpoint \(endpoint)", action: action)
        }
        if let existing = topic.subscriptions.first(where: { $0.endpoint == endpoint }) {
            guard attributes.allSatisfy({ existing.attributes[$0.key] == $0.value }) else {
                throw AWSError.invalidParameter("Attributes Reason: Subscription of \(endpoint) to \(topicArn) already exists "
                                                    + "with different attributes", action: action)
            }
            return existing.arn
        }
        let subscription = BrokerSubscription(arn: topicArn + ":" + identifiers.uuid(), topicArn: topicArn, endpoint: endpoint,
                                              rawMessageDelivery: rawMessageDelivery, filterPolicy: filterPolicy,
                                              attributes: attributes)
        topic.subscriptions.append(subscription)
        subscriptions[subscription.arn] = subscription
        return subscription.arn
    }

    func unsubscribe(subscriptionArn: String) throws {
        guard let subscription = subscriptions.removeValue(forKey: subscriptionArn) else {
            throw AWSError.subscriptionNotFound(subscriptionArn, action: BrokerAction.unsubscribe.rawValue)
        }
        topics[subscription.topicArn]?.subscriptions.removeAll { $0 === subscription }
    }

    func listSubscriptionsByTopic(topicArn: String) throws -> [SNSSubscription] {
        try topic(topicArn, action: .listSubscriptionsByTopic).subscriptions.map {
            SNSSubscription(subscriptionArn: $0.arn, topicArn: $0.topicArn, protocol: "sqs", endpoint: $0.endpoint, owner: accountId)
        }
    }

    func getSubscriptionAttributes(subscriptionArn: String) throws -> [String: String] {
        guard let subscription = subscriptions[subscriptionArn] else {
            throw AWSError.subscriptionNotFound(subscriptionArn, action: BrokerAction.getSubscriptionAttributes.rawValue)
        }
        var attributes = subscription.attributes
        attributes["SubscriptionArn"] = subscription.arn
        attributes["TopicArn"] = subscription.topicArn
        attributes["Endpoint"] = subscription.endpoint
        attributes["Protocol"] = "sqs"
        attributes["Owner"] = accountId
        attributes["PendingConfirmation"] = "false"
        attributes["ConfirmationWasAuthenticated"] = "true"
        attributes["RawMessageDelivery"] = subscription.rawMessageDelivery ? "true" : "false"
        return attributes
    }

    func setSubscriptionAttribute(subscriptionArn: String, name: String, value: String) throws {
        let action = BrokerAction.setSubscriptionAttributes.rawValue
        guard let subscription = subscriptions[subscriptionArn] else { throw AWSError.subscriptionNotFound(subscriptionArn, action: action) }
        var rawMessageDelivery = subscription.rawMessageDelivery
        var filterPolicy = subscription.filterPolicy
        try Self.readSubscriptionAttribute(name, value.isEmpty && name == "FilterPolicy" ? "{}" : value,
                                           rawMessageDelivery: &rawMessageDelivery, filterPolicy: &filterPolicy,
                                           subject: "subscription \(subscriptionArn)", action: action)
        var attributes = subscription.attributes
        attributes[name] = value
        if name == "FilterPolicy", filterPolicy?.rules.isEmpty ?? true {   // SNS: `{}` removes the filter
            filterPolicy = nil
            attributes[name] = nil
        }
        // A new subscription object with the same ARN: publishing reads its settings without locks.
        let changed = BrokerSubscription(arn: subscription.arn, topicArn: subscription.topicArn, endpoint: subscription.endpoint,
                                         rawMessageDelivery: rawMessageDelivery, filterPolicy: filterPolicy, attributes: attributes)
        subscriptions[subscriptionArn] = changed
        if let topic = topics[subscription.topicArn], let index = topic.subscriptions.firstIndex(where: { $0 === subscription }) {
            topic.subscriptions[index] = changed
        }
    }

    /// Reads one subscription attribute the broker honours into `rawMessageDelivery` or
    /// `filterPolicy`; anything it cannot honour is an `InvalidParameter` error naming `subject`.
    private static func readSubscriptionAttribute(_ name: String, _ value: String, rawMessageDelivery: inout Bool,
                                                  filterPolicy: inout BrokerFilterPolicy?, subject: String, action: String) throws {
        switch name {
        case "RawMessageDelivery":
            switch value.lowercased() {
            case "true": rawMessageDelivery = true
            case "false": rawMessageDelivery = false
            default:
                throw AWSError.invalidParameter("Attributes Reason: RawMessageDelivery must be true or false, got '\(value)'",
                                                action: action)
            }
        case "FilterPolicy":
            do {
                filterPolicy = try BrokerFilterPolicy(json: value)
            } catch {
                throw AWSError.invalidParameter("Filter policy \(value) \(error.reason) (\(subject))", action: action)
            }
        case "FilterPolicyScope":
            guard value == "MessageAttributes" else {
                throw AWSError.invalidParameter("Attributes Reason: FilterPolicyScope '\(value)' is not supported by the "
                                                    + "in-memory broker (only MessageAttributes)", action: action)
            }
        default:
            throw AWSError.invalidParameter("Attributes Reason: subscription attribute \(name) is not supported by the "
                                                + "in-memory broker (supported: RawMessageDelivery, FilterPolicy, "
                                                + "FilterPolicyScope)", action: action)
        }
    }
}
