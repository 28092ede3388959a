import Microcosm
import MicrocosmJSON

/// Why a message could not be encoded, decoded or its schema registered; names the media type
/// and the field.
///
/// ```
/// message is not JSON: invalid JSON at line 1, column 1: expected a value, found 'h'
/// message has no media type: field 'mediaType' is missing (expected string)
/// unregistered media type 'application/vnd.acme.thing'
/// media type 'application/vnd.acme.thing' already has schema Thing; cannot register OtherThing for it
/// invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'uri' is missing (expected string)
/// ```
public struct PubSubMessageError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, to compare or switch on (`error.code == .unregistered`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case notJSON, notAnObject, missingMediaType, unregistered, alreadyRegistered, invalidContent, encodingFailed
        }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The message text is not JSON.
        public static let notJSON = Code(.notJSON)
        /// The message is JSON but not an object.
        public static let notAnObject = Code(.notAnObject)
        /// The message has no `mediaType` string.
        public static let missingMediaType = Code(.missingMediaType)
        /// No schema is registered for the media type.
        public static let unregistered = Code(.unregistered)
        /// A second, different schema was registered for a media type.
        public static let alreadyRegistered = Code(.alreadyRegistered)
        /// The content does not fit its schema.
        public static let invalidContent = Code(.invalidContent)
        /// The content could not be encoded.
        public static let encodingFailed = Code(.encodingFailed)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// The media type concerned, when known.
    public let mediaType: MediaType?
    /// The path of the offending field (`uri`, `messages[0].topic_arn`), when there is one.
    public let field: String?
    /// The error this one reports (a ``JSONParseError``, ``JSONValueDecoderError``, `EncodingError`, ...).
    public let underlying: (any Error)?
    private let detail: String

    private init(code: Code, mediaType: MediaType? = nil, field: String? = nil, underlying: (any Error)? = nil, detail: String) {
        self.code = code
        self.mediaType = mediaType
        self.field = field
        self.underlying = underlying
        self.detail = detail
    }

    /// The message text is not JSON.
    public static func notJSON(_ error: JSONParseError) -> Self {
        Self(code: .notJSON, underlying: error, detail: "message is not JSON: \(error)")
    }

    /// The message is JSON but not an object.
    public static func notAnObject(_ value: JSONValue) -> Self {
        Self(code: .notAnObject, detail: "message is not a JSON object: got \(value.typeName) \(value.briefDescription)")
    }

    /// The message has no `mediaType` string; `seen` is what is there instead, if anything.
    public static func missingMediaType(seen: JSONValue?) -> Self {
        let field = PubSubWire.mediaTypeField
        let problem: JSONValueDecoderError = seen.map { .typeMismatch(field, expected: "string", seen: $0) }
            ?? .missing(field, expected: "string")
        return Self(code: .missingMediaType, field: field, underlying: problem, detail: "message has no media type: \(problem)")
    }

    /// No schema is registered for `mediaType` (and it is not a convention media type, or
    /// auto-registration is off). Consumers ignore such messages.
    public static func unregistered(_ mediaType: MediaType) -> Self {
        Self(code: .unregistered, mediaType: mediaType, detail: "unregistered media type '\(mediaType)'")
    }

    /// `mediaType` already has schema `existing`; `new` is a different one.
    public static func alreadyRegistered(_ mediaType: MediaType, existing: PubSubMessageSchema, new: PubSubMessageSchema) -> Self {
        Self(code: .alreadyRegistered, mediaType: mediaType,
             detail: "media type '\(mediaType)' already has schema \(existing.name); cannot register \(new.name) for it")
    }

    /// The content does not fit the schema of `mediaType`: `error` is usually a ``JSONValueDecoderError``
    /// naming the field, or whatever a type's `init(from:)` threw.
    public static func invalidContent(_ mediaType: MediaType, _ error: any Error) -> Self {
        let field: String?
        switch error {
        case let error as JSONValueDecoderError: field = error.path
        case let error as DecodingError: field = JSONValueDecoderError(error).path
        default: field = nil
        }
        let reason = (error as? DecodingError).map { JSONValueDecoderError($0).description } ?? "\(error)"
        return Self(code: .invalidContent, mediaType: mediaType, field: field, underlying: error,
                    detail: "invalid message of media type '\(mediaType)': \(reason)")
    }

    /// The content of `mediaType` could not be encoded (`error` is usually an `EncodingError`).
    public static func encodingFailed(_ mediaType: MediaType, _ error: any Error) -> Self {
        var field: String?
        var reason = "\(error)"
        if case EncodingError.invalidValue(_, let context) = error {
            let path = context.codingPath.jsonPath
            field = path
            reason = (path.isEmpty ? "" : "field '\(path)': ") + context.debugDescription
        }
        return Self(code: .encodingFailed, mediaType: mediaType, field: field, underlying: error,
                    detail: "cannot encode message of media type '\(mediaType)': \(reason)")
    }

    public var description: String { detail }
}
