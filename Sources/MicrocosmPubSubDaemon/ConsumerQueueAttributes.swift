import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// What a daemon reads about its queue at start-up (GetQueueAttributes): how long a received
/// message stays invisible, when SQS moves a message that keeps failing to the dead-letter queue,
/// and how long SQS keeps a message at all.
///
/// ```swift
/// let attributes = try await ConsumerQueueAttributes.read(of: try graph.sqsConsumer)
/// attributes?.visibilityTimeout        // 30
/// attributes?.maxReceiveCount          // 5 (RedrivePolicy), nil without a dead-letter queue
/// let loop = try ConsumerLoop(graph: graph, queueAttributes: attributes)
/// ```
public struct ConsumerQueueAttributes: Sendable, Hashable {
    /// The attribute names read.
    public static let names = ["VisibilityTimeout", "RedrivePolicy", "MessageRetentionPeriod"]

    /// `VisibilityTimeout`, in seconds.
    public var visibilityTimeout: Int?
    /// `RedrivePolicy.maxReceiveCount`: the receives after which SQS moves a message to the
    /// dead-letter queue; nil without a redrive policy.
    public var maxReceiveCount: Int?
    /// `RedrivePolicy.deadLetterTargetArn`.
    public var deadLetterTargetArn: String?
    /// `MessageRetentionPeriod`, in seconds: how long SQS keeps a message before dropping it.
    public var messageRetentionPeriod: Int?

    /// Attributes as given.
    public init(visibilityTimeout: Int? = nil, maxReceiveCount: Int? = nil, deadLetterTargetArn: String? = nil,
                messageRetentionPeriod: Int? = nil) {
        self.visibilityTimeout = visibilityTimeout
        self.maxReceiveCount = maxReceiveCount
        self.deadLetterTargetArn = deadLetterTargetArn
        self.messageRetentionPeriod = messageRetentionPeriod
    }

    /// The attributes in a GetQueueAttributes reply; values that do not parse are left out.
    /// `RedrivePolicy` is JSON, its `maxReceiveCount` a number or a string (SQS sends either).
    public init(attributes: [String: String]) {
        visibilityTimeout = attributes["VisibilityTimeout"].flatMap { Int($0) }
        messageRetentionPeriod = attributes["MessageRetentionPeriod"].flatMap { Int($0) }
        guard let text = attributes["RedrivePolicy"], !text.isEmpty,
              let policy = (try? JSONParser.parse(text))?.objectValue else { return }
        switch policy["maxReceiveCount"] {
        case .int(let count)?: maxReceiveCount = count
        case .string(let text)?: maxReceiveCount = Int(text)
        case .double(let number)? where number.isFinite && number.rounded() == number && abs(number) < 1e9: maxReceiveCount = Int(number)
        default: break
        }
        deadLetterTargetArn = policy["deadLetterTargetArn"]?.stringValue
    }

    /// The attributes of `consumer`'s queue, read once (the SQS client retries as it always does);
    /// nil for sources that are not queues. Throws what SQS or the transport threw.
    public static func read(of consumer: SQSConsumer) async throws -> Self? {
        guard case .queue(let url, let client) = consumer.source.kind else { return nil }
        return Self(attributes: try await client.getQueueAttributes(queueURL: url, names: names))
    }
}
