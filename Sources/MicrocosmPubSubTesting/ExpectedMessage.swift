import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// What one published message should be: its media type, fields, topic and opaque data; the unit
/// of ``XCTAssertPublished(_:_:_:file:line:)`` and ``PublicationMatcher``, like a hamcrest matcher
/// in microcosm-pubsub's `published(...)`.
///
/// Fields match as a subset by default (the message may carry more, like hamcrest's `has_entries`);
/// a typed message matches its encoded fields exactly. Values compare as JSON, with `1 == 1.0` as
/// in Python. A media type ending in `.*` matches any media type it covers (``MediaType/matches(_:)``).
/// Topic and opaque data are checked only when given; opaque data also as a subset.
///
/// ```swift
/// await XCTAssertPublished(graph, [
///     .message(.created("Order"), uri: "http://orders/1"),
///     .message(.changed("Order"), ["field_name": "status"], topic: ordersTopic),
///     .message(OrderShipped(uri: "http://orders/1", carrier: "ups"), opaqueData: ["x-request-id": "req-1"]),
///     .anyMessage(topic: auditTopic),
/// ])
/// ```
public struct ExpectedMessage: Sendable, Hashable, CustomStringConvertible {
    /// How the expected fields are compared with the published ones.
    public enum FieldMatching: Sendable, Hashable {
        /// Every expected field is there with an equal value; others may be there too.
        case subset
        /// The fields are exactly the expected ones.
        case exact
    }

    /// The media type (or trailing-`.*` pattern) expected; nil: any.
    public var mediaType: MediaType?
    /// The fields expected, compared as ``fieldMatching`` says.
    public var fields: JSONObject
    /// How ``fields`` are compared.
    public var fieldMatching: FieldMatching
    /// The topic expected; nil: any.
    public var topicArn: String?
    /// Opaque data expected (a subset of the message's); empty: not checked.
    public var opaqueData: JSONObject
    /// Why the expected typed message could not be encoded; an expectation with a problem matches nothing.
    private var problem: String?

    /// An expectation; see the static constructors for the usual forms.
    public init(mediaType: MediaType?, fields: JSONObject = [:], matching fieldMatching: FieldMatching = .subset,
                topicArn: String? = nil, opaqueData: JSONObject = [:]) {
        self.mediaType = mediaType
        self.fields = fields
        self.fieldMatching = fieldMatching
        self.topicArn = topicArn
        self.opaqueData = opaqueData
    }

    /// A message of `mediaType` having `fields` (a subset unless `matching: .exact`), given as
    /// ordinary Swift values (``MessageFields``), and `uri` when given, as `produce` takes them.
    ///
    /// ```swift
    /// .message(.changed("Order"), ["field_name": "status", "new_value": status], uri: "http://orders/1")
    /// ```
    public static func message(_ mediaType: MediaType, _ fields: MessageFields, uri: String? = nil, topic: String? = nil,
                               opaqueData: OpaqueValues = [:], matching: FieldMatching = .subset) -> Self {
        var expected = Self(mediaType: mediaType, matching: matching, topicArn: topic, opaqueData: opaqueData.jsonObject)
        do {
            expected.fields = try PubSubWire.object(fields, mediaType: mediaType)
        } catch {
            expected.problem = "cannot encode the expected fields: \(error)"
        }
        if let uri { expected.fields[PubSubWire.uriKey] = .string(uri) }
        return expected
    }

    /// A message of `mediaType` having `fields` given as a ``JSONObject`` (a subset unless
    /// `matching: .exact`), and `uri` when given.
    public static func message(_ mediaType: MediaType, _ fields: JSONObject, uri: String? = nil, topic: String? = nil,
                               opaqueData: JSONObject = [:], matching: FieldMatching = .subset) -> Self {
        var expected = Self(mediaType: mediaType, fields: fields, matching: matching, topicArn: topic, opaqueData: opaqueData)
        if let uri { expected.fields[PubSubWire.uriKey] = .string(uri) }
        return expected
    }

    /// A message of `mediaType`, with `uri` when given (microcosm-pubsub's `has_media_type` + `has_uri`).
    ///
    /// ```swift
    /// .message(.created("Order"), uri: "http://orders/1")
    /// ```
    public static func message(_ mediaType: MediaType, uri: String? = nil, topic: String? = nil, opaqueData: OpaqueValues = [:],
                               matching: FieldMatching = .subset) -> Self {
        message(mediaType, [:] as MessageFields, uri: uri, topic: topic, opaqueData: opaqueData, matching: matching)
    }

    /// The typed message `message`: its media type, and its fields as they are encoded (optional
    /// fields only when set), exactly unless `matching: .subset`.
    ///
    /// ```swift
    /// .message(OrderShipped(uri: "http://orders/1", carrier: "ups"))
    /// ```
    public static func message<M: PubSubMessage>(_ message: M, topic: String? = nil, opaqueData: OpaqueValues = [:],
                                                 matching: FieldMatching = .exact) -> Self {
        var expected = Self(mediaType: M.mediaType, matching: matching, topicArn: topic, opaqueData: opaqueData.jsonObject)
        do {
            expected.fields = try PubSubWire.encoder.encodeObject(message)
        } catch {
            expected.problem = "cannot encode the expected \(M.self): \(error)"
        }
        return expected
    }

    /// Any message (on `topic`, when given): microcosm-pubsub's `has_media_type()` with no argument.
    public static func anyMessage(topic: String? = nil) -> Self {
        Self(mediaType: nil, topicArn: topic)
    }

    // MARK: Matching

    /// True when `message` is what this expects.
    public func matches(_ message: PublishedMessage) -> Bool {
        differences(from: message).isEmpty
    }

    /// How `message` differs from what this expects, one phrase each (empty when it matches):
    /// `field "uri" is "http://orders/2", expected "http://orders/1"`.
    public func differences(from message: PublishedMessage) -> [String] {
        if let problem { return [problem] }
        var differences: [String] = []
        if let mediaType, !mediaType.matches(message.mediaType) {
            differences.append("media type is \(message.mediaType), expected \(mediaType)")
        }
        if let topicArn, topicArn != message.topicArn {
            differences.append("topic is \(message.topicArn), expected \(topicArn)")
        }
        let published = message.fields
        differences += Self.differences(published, expected: fields, what: "field")
        if fieldMatching == .exact {
            for (key, value) in published where fields[key] == nil {
                differences.append("field \(Self.quoted(key)) is \(PublishedMessage.render(value)), expected no such field")
            }
        }
        differences += Self.differences(message.opaqueData ?? [:], expected: opaqueData, what: "opaque data")
        return differences
    }

    private static func differences(_ published: JSONObject, expected: JSONObject, what: String) -> [String] {
        expected.compactMap { key, value in
            guard let seen = published[key] else {
                return "\(what) \(quoted(key)) is missing, expected \(PublishedMessage.render(value))"
            }
            guard !seen.isNumericallyEqual(to: value) else { return nil }
            return "\(what) \(quoted(key)) is \(PublishedMessage.render(seen)), expected \(PublishedMessage.render(value))"
        }
    }

    private static func quoted(_ key: String) -> String {
        PublishedMessage.render(.string(key))
    }

    /// One line: `<media type> with {fields} on <topic> with opaque data {...}`.
    public var description: String {
        var text = mediaType.map(\.rawValue) ?? "any message"
        if let problem { return text + " (\(problem))" }
        switch fieldMatching {
        case .subset where !fields.isEmpty: text += " with \(PublishedMessage.render(.object(fields)))"
        case .subset: break
        case .exact: text += " with exactly \(PublishedMessage.render(.object(fields)))"
        }
        if let topicArn { text += " on \(topicArn)" }
        if !opaqueData.isEmpty { text += " with opaque data \(PublishedMessage.render(.object(opaqueData)))" }
        return text
    }
}
