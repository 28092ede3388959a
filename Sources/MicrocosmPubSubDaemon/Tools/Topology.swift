import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// The SNS/SQS resources a service needs, computed from its configuration and the media types it
/// handles: the topics (those its handled media types are published to, as a producer chooses
/// them from `sns_topic_arns`, and those it produces to), its queue with a dead-letter queue and
/// `RedrivePolicy`, the queue's subscriptions to the topics of its media types (raw delivery as
/// its envelope needs, a `media_type` filter policy), and the queue policy that lets those topics
/// send.
///
/// ```swift
/// let topology = Topology(settings: try TopologySettings(config: graph.config), handling: daemon.handlers.mediaTypes)
/// let plan = try await TopologyPlanner(topology, sns: try graph.snsClient, sqs: try graph.sqsClient).plan()
/// plan.lines.forEach { print($0) }   // "create queue orders-daemon", "fine   topic arn:aws:sns:...:orders", ...
/// ```
public struct Topology: Sendable, Hashable {
    /// A subscription of the queue to a topic.
    public struct Subscription: Sendable, Hashable {
        /// The topic.
        public var topicArn: String
        /// `RawMessageDelivery` as the envelope needs it; nil: either does.
        public var rawMessageDelivery: Bool?
        /// The `FilterPolicy` (JSON, keys and values sorted); nil: no filter (every message).
        public var filterPolicy: String?
    }

    /// SNS's limit on the values of a filter policy.
    public static let maxFilterPolicyValues = 150
    /// The message attribute producers set to the media type (microcosm-pubsub's and this library's).
    public static let mediaTypeAttribute = "media_type"

    /// Every topic that must exist, sorted: the subscribed ones and the ones the service produces to.
    public var topicArns: [String]
    /// The consumer's queue URL as configured.
    public var queueURL: String
    /// The queue's name.
    public var queueName: String
    /// The dead-letter queue's name; nil: none.
    public var deadLetterQueueName: String?
    /// The `maxReceiveCount` of the queue's `RedrivePolicy`.
    public var maxReceiveCount: Int
    /// The queue's subscriptions, by topic ARN.
    public var subscriptions: [Subscription]
    /// Whether filter policies are compared and set (`topology.filter_policy`).
    public var managesFilterPolicy: Bool
    /// What the plan should say besides its changes: media types without a topic, topics of the
    /// wrong kind, a filter left out.
    public var notes: [String]

    /// True for a FIFO queue.
    public var isFIFO: Bool { queueName.hasSuffix(".fifo") }

    /// The topology of a service with `settings` that handles `mediaTypes` (patterns `a.b.*` and
    /// `*` included).
    public init(settings: TopologySettings, handling mediaTypes: [MediaType]) {
        queueURL = settings.queueURL
        queueName = settings.queueName
        deadLetterQueueName = settings.deadLetterQueueName
        maxReceiveCount = settings.maxReceiveCount
        managesFilterPolicy = settings.filterPolicy
        notes = []
        let fifo = settings.queueName.hasSuffix(".fifo")
        var subscribed = Set<String>()
        for mediaType in mediaTypes {
            let topics = settings.topicArns.topicArns(matching: mediaType)
            if topics.isEmpty, mediaType != BatchMessage.mediaType {
                notes.append("media type \(mediaType) has no topic in sns_topic_arns: its messages must be sent to the queue directly")
            }
            subscribed.formUnion(topics)
        }
        for topicArn in subscribed.sorted() where Self.name(ofArn: topicArn).hasSuffix(".fifo") != fifo {
            notes.append("topic \(topicArn) is \(fifo ? "standard" : "FIFO") and queue \(settings.queueName) is "
                             + "\(fifo ? "FIFO" : "standard"): not subscribed")
            subscribed.remove(topicArn)
        }
        topicArns = Set(subscribed).union(settings.topicArns.configuredTopicArns).sorted()
        let filter = Self.filterPolicy(for: mediaTypes, settings: settings)
        if let reason = filter.omitted, settings.filterPolicy { notes.append("no media_type filter policy: \(reason)") }
        subscriptions = subscribed.sorted().map {
            Subscription(topicArn: $0, rawMessageDelivery: settings.rawMessageDelivery, filterPolicy: filter.policy)
        }
    }

    /// The filter policy that lets through exactly the handled media types (a `.*` pattern as a
    /// prefix, which also lets deeper media types through: the handler table ignores them), or why
    /// there is none.
    static func filterPolicy(for mediaTypes: [MediaType], settings: TopologySettings) -> (policy: String?, omitted: String?) {
        if settings.rawMessageDelivery == true {
            return (nil, "\(settings.envelope.rawValue) reads messages that need not carry a media_type attribute")
        }
        if let all = mediaTypes.first(where: { $0.rawValue == "*" || $0.rawValue == ".*" }) {
            return (nil, "a handler for \(all) takes every media type")
        }
        guard !mediaTypes.isEmpty else { return (nil, "the service handles no media type") }
        guard mediaTypes.count <= maxFilterPolicyValues else {
            return (nil, "\(mediaTypes.count) media types are more than the \(maxFilterPolicyValues) values SNS allows in a filter policy")
        }
        let prefixes = Set(mediaTypes.filter(\.isWildcard).map { String($0.rawValue.dropLast()) }).sorted()
        let exact = Set(mediaTypes.filter { !$0.isWildcard }.map(\.rawValue)).sorted().filter { mediaType in
            !prefixes.contains { mediaType.hasPrefix($0) }   // a pattern's prefix lets it through already
        }
        let conditions: [JSONValue] = exact.map { .string($0) } + prefixes.map { .object(["prefix": .string($0)]) }
        return (canonical(.object([mediaTypeAttribute: .array(conditions)])), nil)
    }

    /// `value` as compact JSON with object keys sorted and array elements in a stable order, so
    /// two policies that mean the same compare equal.
    static func canonical(_ value: JSONValue) -> String {
        JSONSerializer(sortKeys: true).string(sorted(value))
    }

    private static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements):
            let serializer = JSONSerializer(sortKeys: true)
            return .array(elements.map(sorted).sorted { serializer.string($0) < serializer.string($1) })
        case .object(let members):
            return .object(JSONObject(members.map { ($0.key, sorted($0.value)) }))
        default:
            return value
        }
    }

    /// The last `:`-part of an ARN: a topic's or queue's name.
    static func name(ofArn arn: String) -> String {
        arn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? arn
    }
}
