/// An SNS or SQS API action, named as AWS names it: what ``BrokerFaults`` attaches latency and
/// errors to.
///
/// ```swift
/// broker.faults.fail(.receiveMessage, with: throttling, times: 2)
/// broker.faults.setLatency(.milliseconds(10), for: .deleteMessageBatch)
/// ```
public struct BrokerAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The AWS action name (`ReceiveMessage`).
    public var rawValue: String

    /// The action named `rawValue`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The AWS action name.
    public var description: String { rawValue }

    /// The service the action belongs to, `SNS` or `SQS`.
    public var service: String { Self.snsActions.contains(self) ? "SNS" : "SQS" }

    /// SNS `Publish`.
    public static let publish = Self(rawValue: "Publish")
    /// SNS `PublishBatch`.
    public static let publishBatch = Self(rawValue: "PublishBatch")
    /// SNS `CreateTopic`.
    public static let createTopic = Self(rawValue: "CreateTopic")
    /// SNS `DeleteTopic`.
    public static let deleteTopic = Self(rawValue: "DeleteTopic")
    /// SNS `Subscribe`.
    public static let subscribe = Self(rawValue: "Subscribe")
    /// SNS `Unsubscribe`.
    public static let unsubscribe = Self(rawValue: "Unsubscribe")
    /// SNS `ListSubscriptionsByTopic`.
    public static let listSubscriptionsByTopic = Self(rawValue: "ListSubscriptionsByTopic")
    /// SNS `GetTopicAttributes`.
    public static let getTopicAttributes = Self(rawValue: "GetTopicAttributes")
    /// SNS `GetSubscriptionAttributes`.
    public static let getSubscriptionAttributes = Self(rawValue: "GetSubscriptionAttributes")
    /// SNS `SetSubscriptionAttributes`.
    public static let setSubscriptionAttributes = Self(rawValue: "SetSubscriptionAttributes")

    /// SQS `ReceiveMessage`.
    public static let receiveMessage = Self(rawValue: "ReceiveMessage")
    /// SQS `SendMessage`.
    public static let sendMessage = Self(rawValue: "SendMessage")
    /// SQS `SendMessageBatch`.
    public static let sendMessageBatch = Self(rawValue: "SendMessageBatch")
    /// SQS `DeleteMessage`.
    public static let deleteMessage = Self(rawValue: "DeleteMessage")
    /// SQS `DeleteMessageBatch`.
    public static let deleteMessageBatch = Self(rawValue: "DeleteMessageBatch")
    /// SQS `ChangeMessageVisibility`.
    public static let changeMessageVisibility = Self(rawValue: "ChangeMessageVisibility")
    /// SQS `ChangeMessageVisibilityBatch`.
    public static let changeMessageVisibilityBatch = Self(rawValue: "ChangeMessageVisibilityBatch")
    /// SQS `CreateQueue`.
    public static let createQueue = Self(rawValue: "CreateQueue")
    /// SQS `DeleteQueue`.
    public static let deleteQueue = Self(rawValue: "DeleteQueue")
    /// SQS `PurgeQueue`.
    public static let purgeQueue = Self(rawValue: "PurgeQueue")
    /// SQS `GetQueueUrl`.
    public static let getQueueURL = Self(rawValue: "GetQueueUrl")
    /// SQS `GetQueueAttributes`.
    public static let getQueueAttributes = Self(rawValue: "GetQueueAttributes")
    /// SQS `SetQueueAttributes`.
    public static let setQueueAttributes = Self(rawValue: "SetQueueAttributes")

    private static let snsActions: Set<BrokerAction> = [
        .publish, .publishBatch, .createTopic, .deleteTopic, .subscribe, .unsubscribe, .listSubscriptionsByTopic,
        .getTopicAttributes, .getSubscriptionAttributes, .setSubscriptionAttributes,
    ]
}
