import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// How the producer gives messages to FIFO topics (ARNs ending in `.fifo`) their message group
/// id and deduplication id, from config section `sns_producer.fifo` (microcosm-pubsub has no FIFO
/// producing; these keys are ours):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `message_group_id_field` | `uri` | the message field whose value is the group: messages about one resource stay in order |
/// | `message_group_id` | null | the group of messages without that field (or with it null) |
/// | `deduplication_id_field` | null | the message field whose value is the deduplication id; null: the SHA-256 of the message text, as SNS's content-based deduplication computes it |
/// | `mappings.<media type>` | | the same three keys for one media type; its group keys replace both defaults |
///
/// Ids passed to `produce` win over config. Every id is checked before any I/O: 1 to 128
/// characters from ASCII 33 to 126. Messages to standard topics carry no ids.
///
/// ```swift
/// // settings: {"sns_producer": {"fifo": {"mappings": {
/// //     "application/vnd.globality.pubsub._.deleted.foo_bar": {"message_group_id_field": "id"}}}}}
/// try await producer.produce(.created("FooBar"), uri: "http://foo_bars/1")            // group "http://foo_bars/1"
/// try await producer.produce(.created("FooBar"), uri: "http://foo_bars/1", messageGroupId: "foo_bars",
///                            deduplicationId: "create-1")
/// ```
public struct SNSFIFOSettings: Sendable, Hashable {
    /// Where one media type's ids come from.
    public struct Rule: Sendable, Hashable {
        /// The field whose value is the message group id.
        public var messageGroupIdField: String?
        /// The group of messages without that field.
        public var messageGroupId: String?
        /// The field whose value is the deduplication id; nil: the SHA-256 of the message text.
        public var deduplicationIdField: String?

        /// A rule.
        public init(messageGroupIdField: String? = nil, messageGroupId: String? = nil, deduplicationIdField: String? = nil) {
            self.messageGroupIdField = messageGroupIdField
            self.messageGroupId = messageGroupId
            self.deduplicationIdField = deduplicationIdField
        }
    }

    /// The rule of media types without a mapping.
    public var defaults: Rule
    /// Rules by media type.
    public var mappings: [MediaType: Rule]

    /// Settings with `defaults` (group by `uri`, content-based deduplication) and `mappings`.
    public init(defaults: Rule = Rule(messageGroupIdField: PubSubWire.uriKey), mappings: [MediaType: Rule] = [:]) {
        self.defaults = defaults
        self.mappings = mappings
    }

    /// The settings in `config`, the `sns_producer.fifo` section; throws naming the key when one is not text.
    public init(config: Configuration) throws(ConfigurationError) {
        defaults = try Self.rule(config)
        mappings = [:]
        let section = try config.section("mappings")
        for mediaType in section.values.keys {
            mappings[MediaType(mediaType)] = try Self.rule(try section.section(ConfigKeyPath([mediaType])))
        }
    }

    private static func rule(_ config: Configuration) throws(ConfigurationError) -> Rule {
        Rule(messageGroupIdField: try config.optionalString("message_group_id_field"),
             messageGroupId: try config.optionalString("message_group_id"),
             deduplicationIdField: try config.optionalString("deduplication_id_field"))
    }

    /// The rule for `mediaType`: its mapping's keys over the defaults (the group keys as a pair).
    public func rule(for mediaType: MediaType) -> Rule {
        guard let mapping = mappings[mediaType] else { return defaults }
        var rule = defaults
        if mapping.messageGroupIdField != nil || mapping.messageGroupId != nil {
            rule.messageGroupIdField = mapping.messageGroupIdField
            rule.messageGroupId = mapping.messageGroupId
        }
        if let field = mapping.deduplicationIdField { rule.deduplicationIdField = field }
        return rule
    }

    /// True when `topicArn` names a FIFO topic.
    public static func isFIFO(_ topicArn: String) -> Bool { topicArn.hasSuffix(".fifo") }

    /// The message group id and deduplication id of `message` (its encoded text), of `mediaType`,
    /// to `topicArn`: nil for a standard topic (after checking given ids); else the given ids, or
    /// those the rule finds. Throws ``SNSProducerError`` before any I/O when there is no group or
    /// an id breaks SNS's rules.
    func ids(for mediaType: MediaType, topicArn: String, message: String, messageGroupId: String?,
             deduplicationId: String?) throws(SNSProducerError) -> (group: String, deduplication: String)? {
        let check = { (value: String, parameter: String, source: String) throws(SNSProducerError) -> String in
            if let problem = Self.problem(with: value) {
                throw .invalidFIFOId(mediaType, topicArn: topicArn, parameter: parameter, source: source, problem: problem)
            }
            return value
        }
        if let messageGroupId { _ = try check(messageGroupId, "message group id", "the messageGroupId argument") }
        if let deduplicationId { _ = try check(deduplicationId, "deduplication id", "the deduplicationId argument") }
        guard Self.isFIFO(topicArn) else { return nil }
        let rule = rule(for: mediaType)
        let readsFields = messageGroupId == nil && rule.messageGroupIdField != nil || deduplicationId == nil && rule.deduplicationIdField != nil
        let fields = readsFields ? (try? JSONParser.parse(message))?.objectValue ?? JSONObject() : JSONObject()
        let field = { (name: String, parameter: String) throws(SNSProducerError) -> String? in
            switch fields[name] {
            case nil, .null?: return nil
            case .string(let text)?: return try check(text, parameter, "field '\(name)'")
            case .int(let number)?: return try check(String(number), parameter, "field '\(name)'")
            case let value?:
                throw .invalidFIFOId(mediaType, topicArn: topicArn, parameter: parameter, source: "field '\(name)'",
                                     problem: "is not text or a whole number but \(value)")
            }
        }
        let group: String
        if let messageGroupId {
            group = messageGroupId
        } else if let name = rule.messageGroupIdField, let value = try field(name, "message group id") {
            group = value
        } else if let fixed = rule.messageGroupId {
            group = try check(fixed, "message group id", "config sns_producer.fifo")
        } else {
            let why = rule.messageGroupIdField.map { "the message has no field '\($0)'" } ?? "no field or group is configured"
            throw .missingMessageGroupId(mediaType, topicArn: topicArn, why: why)
        }
        var deduplication = deduplicationId
        if deduplication == nil, let name = rule.deduplicationIdField { deduplication = try field(name, "deduplication id") }
        return (group, deduplication ?? SHA256.hash(message.utf8).hex)
    }

    /// What is wrong with `id` as a FIFO id, or nil: SNS takes 1 to 128 characters from ASCII 33 to 126.
    static func problem(with id: String) -> String? {
        let count = id.utf8.count
        if count == 0 { return "is empty" }
        if let bad = id.unicodeScalars.first(where: { !(33...126).contains($0.value) }) {
            return "has \(bad == " " ? "a space" : "the character U+\(String(bad.value, radix: 16, uppercase: true))")"
        }
        if count > 128 { return "is \(count) characters" }
        return nil
    }
}
