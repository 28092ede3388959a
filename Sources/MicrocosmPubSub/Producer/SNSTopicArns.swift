import Microcosm
import MicrocosmJSON

/// Which SNS topic each media type is published to (microcosm-pubsub's `sns_topic_arns`), bound
/// as `sns_topic_arns` and read from the config section of that name.
///
/// A media type's topic is, first match wins:
/// 1. `mappings[mediaType]`: explicit, by the full media type (a `null` there means "no topic");
/// 2. the lifecycle sections: `created`, `changed`, `deleted`, each mapping resource names to
///    topics (`created.foo_bar` is the topic of `application/vnd.globality.pubsub._.created.foo_bar`);
///    nested objects join their names with `.` (`created: {foo: {bar: arn}}` maps `created.foo.bar`),
///    which is how environment variables, where `.` cannot appear, express such names;
/// 3. `default`, except for the batch message (``BatchMessage/mediaType``), which needs a topic of
///    its own.
///
/// ```swift
/// // settings: {"sns_topic_arns": {"default": "arn:...:events", "created": {"foo_bar": "arn:...:foo-bars"}}}
/// // or:       THINGS__SNS_TOPIC_ARNS__CREATED__FOO_BAR=arn:...:foo-bars
/// let topics = try graph.snsTopicArns
/// topics.topicArn(for: .created("FooBar"))   // "arn:...:foo-bars"
/// topics.topicArn(for: .deleted("FooBar"))   // "arn:...:events"
/// ```
public struct SNSTopicArns: Sendable, Hashable {
    /// Explicit mappings by media type; a nil value means "no topic" (the default does not apply).
    private var explicit: [MediaType: String?]
    /// Mappings made by the lifecycle sections.
    private var lifecycle: [MediaType: String]
    /// The topic of every other media type (except the batch message), if any.
    public var defaultTopicArn: String?

    /// Topics for the media types in `mappings`, and `defaultTopicArn` for the rest.
    public init(mappings: [MediaType: String] = [:], defaultTopicArn: String? = nil) {
        self.explicit = mappings.mapValues { $0 }
        self.lifecycle = [:]
        self.defaultTopicArn = defaultTopicArn
    }

    /// The topics configured in `config`, the `sns_topic_arns` section: `default`, `mappings`, and
    /// one section per lifecycle change in `lifecycleChanges`.
    ///
    /// Throws ``ConfigurationError`` naming the key when a topic is not text or a section is not an object.
    public init(config: Configuration, lifecycleChanges: [LifecycleChange] = LifecycleChange.conventions) throws(ConfigurationError) {
        defaultTopicArn = try config.optionalString("default")
        explicit = [:]
        let mappings = try config.section("mappings")
        for (mediaType, value) in mappings.values {
            explicit[MediaType(mediaType)] = try SNSTopicArns.topic(value, at: mappings.basePath.appending(mediaType))
        }
        lifecycle = [:]
        for change in lifecycleChanges {
            let section = try config.section(ConfigKeyPath([change.rawValue]))
            try SNSTopicArns.collect(section.values, names: [], at: section.basePath) { resource, topicArn in
                lifecycle[MediaType(change, resource: resource)] = topicArn
            }
        }
    }

    /// The topic for `mediaType`, or nil when none is configured.
    public func topicArn(for mediaType: MediaType) -> String? {
        if let entry = explicit[mediaType] { return entry }
        if let topicArn = lifecycle[mediaType] { return topicArn }
        return mediaType == BatchMessage.mediaType ? nil : defaultTopicArn
    }

    /// The media types given a topic of their own by `mappings` (not null) or a lifecycle section,
    /// sorted: what a service says it produces besides the default's catch-all.
    public var mappedMediaTypes: [MediaType] {
        Set(explicit.compactMap { $0.value == nil ? nil : $0.key } + lifecycle.keys).sorted { $0.rawValue < $1.rawValue }
    }

    /// Every topic configured (the default, the mappings, the lifecycle sections), each once, sorted;
    /// empty values name none.
    public var configuredTopicArns: [String] {
        Set(explicit.values.compactMap { $0 } + lifecycle.values + (defaultTopicArn.map { [$0] } ?? [])).filter { !$0.isEmpty }.sorted()
    }

    /// The topics a producer publishes the media types `pattern` stands for to, sorted: for a media
    /// type, its topic; for a `.*` pattern, the topics of the mappings it matches and the default;
    /// for `*`, every topic configured. Empty values name no topic.
    public func topicArns(matching pattern: MediaType) -> [String] {
        if pattern.rawValue == "*" { return configuredTopicArns }
        guard pattern.isWildcard else { return topicArn(for: pattern).flatMap { $0.isEmpty ? nil : [$0] } ?? [] }
        var topics = Set(explicit.compactMap { pattern.matches($0.key) ? $0.value : nil })
        topics.formUnion(lifecycle.compactMap { pattern.matches($0.key) ? $0.value : nil })
        if let defaultTopicArn { topics.insert(defaultTopicArn) }
        return topics.filter { !$0.isEmpty }.sorted()
    }

    /// The topic for `mediaType`; throws ``SNSProducerError/topicNotDefined(_:)`` when none is configured.
    public func requireTopicArn(for mediaType: MediaType) throws(SNSProducerError) -> String {
        guard let topicArn = topicArn(for: mediaType) else { throw .topicNotDefined(mediaType) }
        return topicArn
    }

    /// The topic for `mediaType`, or nil when none is configured.
    public subscript(mediaType: MediaType) -> String? { topicArn(for: mediaType) }

    /// Walks a lifecycle section: text leaves are topics, named by their keys joined with `.`;
    /// null leaves map nothing.
    private static func collect(_ object: JSONObject, names: [String], at path: ConfigKeyPath,
                                _ add: (String, String) -> Void) throws(ConfigurationError) {
        for (key, value) in object {
            let keyPath = path.appending(key)
            if case .object(let nested) = value {
                try collect(nested, names: names + [key], at: keyPath, add)
            } else if let topicArn = try topic(value, at: keyPath) {
                add((names + [key]).joined(separator: "."), topicArn)
            }
        }
    }

    /// A topic ARN value: text, or null for none.
    private static func topic(_ value: JSONValue, at keyPath: ConfigKeyPath) throws(ConfigurationError) -> String? {
        switch value {
        case .null: return nil
        case .string(let topicArn): return topicArn
        default: throw ConfigurationError.typeMismatch(keyPath, expected: "topic ARN (string)", seen: value)
        }
    }
}
