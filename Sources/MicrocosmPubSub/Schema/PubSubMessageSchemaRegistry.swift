import Microcosm
import MicrocosmJSON
import Synchronization

/// The schemas of the media types a service reads and writes (microcosm-pubsub's
/// `PubSubMessageSchemaRegistry`), bound as `pubsub_message_schema_registry`.
///
/// - A schema is registered for a media type, or for a trailing-`.*` pattern that stands for one
///   more segment (`...created.*` covers `...created.foo_bar`); an exact registration wins.
/// - A media type may be known without a schema: its messages use the convention schema.
/// - With `autoRegister` (config `pubsub_message_schema_registry.auto_register`, default true),
///   convention media types (a `created`, `changed` or `deleted` segment) need no registration:
///   `deleted` -> ``IdentityMessage``, `changed` -> ``ChangedURIMessage``, else ``URIMessage``.
/// - Registering a different schema for a registered media type is an error; the same one again is not.
/// - Anything else is unregistered: looking it up throws ``PubSubMessageError/unregistered(_:)``.
/// - ``BatchMessage`` is registered from the start, as Python registers its batch schema on import.
///
/// ```swift
/// let registry = try graph.pubsubMessageSchemaRegistry
/// try registry.register(OrderShipped.self)
/// let text = try registry.encode(OrderShipped(uri: "http://orders/1", carrier: "ups", shippedAt: .now))
/// let content = try registry.decode(text)                  // checked against OrderShipped
/// let shipped = try content.decode(OrderShipped.self)
/// ```
public final class PubSubMessageSchemaRegistry: Sendable {
    private enum Entry: Sendable {
        case known
        case schema(PubSubMessageSchema)
    }

    private struct State: Sendable {
        var entries: [MediaType: Entry] = [:]
        /// Lookups already answered (cleared by every registration).
        var resolved: [MediaType: PubSubMessageSchema] = [:]
    }

    /// Whether convention media types are found without registration.
    public let autoRegister: Bool
    /// The lifecycle changes that make a media type a convention one.
    public let lifecycleChanges: [LifecycleChange]

    private let state = Mutex(State())
    private static let resolvedLimit = 1024

    /// A registry; `autoRegister` as config `pubsub_message_schema_registry.auto_register`.
    public init(autoRegister: Bool = true, lifecycleChanges: [LifecycleChange] = LifecycleChange.conventions) {
        self.autoRegister = autoRegister
        self.lifecycleChanges = lifecycleChanges
        state.withLock { $0.entries[BatchMessage.mediaType] = .schema(.batch) }
    }

    // MARK: Registering

    /// Registers `type` as the schema of its media type.
    public func register<M: PubSubMessage>(_ type: M.Type) throws(PubSubMessageError) {
        try register(PubSubMessageSchema(type), for: M.mediaType)
    }

    /// Registers `type` as the schema of `mediaType` (exact, or a trailing-`.*` pattern).
    public func register<T: Codable & Sendable>(_ type: T.Type, for mediaType: MediaType) throws(PubSubMessageError) {
        try register(PubSubMessageSchema(type), for: mediaType)
    }

    /// Registers `schema` for `mediaType` (exact, or a trailing-`.*` pattern).
    ///
    /// Throws ``PubSubMessageError/alreadyRegistered(_:existing:new:)`` when `mediaType` has another schema.
    public func register(_ schema: PubSubMessageSchema, for mediaType: MediaType) throws(PubSubMessageError) {
        try state.withLock { state throws(PubSubMessageError) in
            if case .schema(let existing)? = state.entries[mediaType] {
                if existing == schema { return }
                throw .alreadyRegistered(mediaType, existing: existing, new: schema)
            }
            state.entries[mediaType] = .schema(schema)
            state.resolved.removeAll()
        }
    }

    /// Makes `mediaType` (or pattern) known without a schema: its messages use the convention schema
    /// even when auto-registration is off (microcosm-pubsub's `register(media_type, media_type)`).
    public func register(_ mediaType: MediaType) {
        state.withLock { state in
            guard state.entries[mediaType] == nil else { return }
            state.entries[mediaType] = .known
            state.resolved.removeAll()
        }
    }

    /// The media types and patterns registered, sorted.
    public var mediaTypes: [MediaType] {
        state.withLock { $0.entries.keys.sorted { $0.rawValue < $1.rawValue } }
    }

    // MARK: Finding

    /// The registration covering `mediaType`: itself, or the pattern `<all but its last segment>.*`;
    /// nil when neither is registered (microcosm-pubsub's `find_matching_media_type`).
    public func matchingMediaType(_ mediaType: MediaType) -> MediaType? {
        state.withLock { state in
            if state.entries[mediaType] != nil { return mediaType }
            let wildcard = mediaType.wildcard
            return state.entries[wildcard] != nil ? wildcard : nil
        }
    }

    /// The schema for `mediaType`: the registered one (exact, then pattern), else the convention
    /// schema when the media type is known or auto-registration covers it.
    ///
    /// Throws ``PubSubMessageError/unregistered(_:)`` otherwise.
    public func schema(for mediaType: MediaType) throws(PubSubMessageError) -> PubSubMessageSchema {
        let found = state.withLock { state -> PubSubMessageSchema? in
            if let schema = state.resolved[mediaType] { return schema }
            let entry = state.entries[mediaType] ?? state.entries[mediaType.wildcard]
            let schema: PubSubMessageSchema
            switch entry {
            case .schema(let registered)?: schema = registered
            case .known?: schema = .convention(for: mediaType)
            case nil:
                guard autoRegister, lifecycleChanges.contains(where: { $0.matches(mediaType) }) else { return nil }
                schema = .convention(for: mediaType)
            }
            if state.resolved.count >= Self.resolvedLimit { state.resolved.removeAll() }
            state.resolved[mediaType] = schema
            return schema
        }
        guard let found else { throw .unregistered(mediaType) }
        return found
    }

    /// A codec for `mediaType`'s schema (see ``schema(for:)``).
    public func codec(for mediaType: MediaType) throws(PubSubMessageError) -> PubSubMessageCodec {
        PubSubMessageCodec(schema: try schema(for: mediaType))
    }

    /// The schema a typed message is written with: the one registered for its media type, else
    /// its own, which is registered then.
    private func schema<M: PubSubMessage>(writing type: M.Type) -> PubSubMessageSchema {
        state.withLock { state in
            let mediaType = M.mediaType
            if case .schema(let registered)? = state.entries[mediaType] ?? state.entries[mediaType.wildcard] { return registered }
            let own = PubSubMessageSchema(type)
            state.entries[mediaType] = .schema(own)
            state.resolved.removeAll()
            return own
        }
    }

    // MARK: Encoding and decoding

    /// The message text for a typed message, with its media type.
    ///
    /// A type whose media type has no schema yet is registered as that schema; a media type that
    /// has another schema is written through that schema (only its fields, its checks).
    public func encode<M: PubSubMessage>(_ message: M, opaqueData: JSONObject? = nil) throws(PubSubMessageError) -> String {
        try PubSubMessageCodec(schema: schema(writing: M.self)).encode(message, as: M.mediaType, opaqueData: opaqueData)
    }

    /// The message text for typed content sent as `mediaType` (``URIMessage`` as `created`, ...).
    public func encode<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: JSONObject? = nil) throws(PubSubMessageError) -> String {
        try codec(for: mediaType).encode(value, as: mediaType, opaqueData: opaqueData)
    }

    /// The message text for dynamic content, through `mediaType`'s schema (microcosm-pubsub's
    /// `registry.find(media_type).encode(dct, opaque_data=..., media_type=...)`).
    public func encode(_ mediaType: MediaType, fields: JSONObject, opaqueData: JSONObject? = nil) throws(PubSubMessageError) -> String {
        try codec(for: mediaType).encode(mediaType, fields: fields, opaqueData: opaqueData)
    }

    /// The message text for `content`, through its media type's schema.
    public func encode(_ content: PubSubMessageContent) throws(PubSubMessageError) -> String {
        try codec(for: content.mediaType).encode(content)
    }

    /// The content of message text: reads the media type, then checks the content against its schema.
    ///
    /// Throws ``PubSubMessageError``: not JSON, not an object, no media type, unregistered media
    /// type, or content that does not fit the schema (naming the media type and the field).
    public func decode(_ text: String) throws(PubSubMessageError) -> PubSubMessageContent {
        try decode(PubSubMessageCodec.parse(text))
    }

    /// The content of a parsed message (see ``decode(_:)-(String)``).
    public func decode(_ message: JSONValue) throws(PubSubMessageError) -> PubSubMessageContent {
        let (object, mediaType) = try PubSubMessageCodec.split(message)
        return try codec(for: mediaType).decode(object, mediaType: mediaType)
    }
}
