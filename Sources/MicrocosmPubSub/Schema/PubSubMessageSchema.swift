import Microcosm
import MicrocosmJSON

/// What a media type's content must hold: a `Codable` type whose properties are the fields
/// (marshmallow's schema), or ``dynamic`` for any fields.
///
/// Validating content decodes it as the type (every required field present, every field of the
/// right JSON type); dumping content (for encoding) writes only the type's fields, in declaration
/// order, as marshmallow's `dump` writes only a schema's fields.
///
/// ```swift
/// let schema = PubSubMessageSchema(OrderShipped.self)
/// try registry.register(schema, for: "application/vnd.globality.pubsub._.shipped.order")
/// PubSubMessageSchema.convention(for: .deleted("Order"))   // .identity: requires "id"
/// ```
public struct PubSubMessageSchema: Sendable, Hashable, CustomStringConvertible {
    /// The schema's name: the type's name (`URIMessage`), or `dynamic`.
    public let name: String
    /// The type a typed schema decodes to; nil for ``dynamic``.
    let type: ObjectIdentifier?
    /// Checks `fields` and returns the decoded typed value (nil for ``dynamic``).
    let validate: @Sendable (JSONObject) throws -> (any Sendable)?
    /// Checks `fields` and returns the fields the schema writes, in its order; a failure to write
    /// them (rather than to read them) comes as ``SchemaEncodingFailure``.
    let dump: @Sendable (JSONObject) throws -> JSONObject
    /// The content's JSON Schema (see ``jsonSchema(for:)``).
    let describeContent: @Sendable () -> JSONValue

    /// The schema of `type`: its properties are the message's fields.
    public init<T: Codable & Sendable>(_ type: T.Type) {
        name = String(describing: type)
        self.type = ObjectIdentifier(type)
        validate = { fields in try PubSubWire.decoder.decode(T.self, from: .object(fields)) }
        dump = { fields in
            let value = try PubSubWire.decoder.decode(T.self, from: .object(fields))
            do {
                return try PubSubWire.encoder.encodeObject(value)
            } catch {
                throw SchemaEncodingFailure(error: error)
            }
        }
        describeContent = { JSONSchemaDescriber.describe(T.self) }
    }

    private init(name: String, validate: @escaping @Sendable (JSONObject) throws -> (any Sendable)?,
                 dump: @escaping @Sendable (JSONObject) throws -> JSONObject) {
        self.name = name
        self.type = nil
        self.validate = validate
        self.dump = dump
        self.describeContent = { ["type": "object"] }
    }

    /// `created` messages: `uri` (required).
    public static let uri = PubSubMessageSchema(URIMessage.self)
    /// `changed` messages: `uri` (required), `field_name`, `new_value`.
    public static let changedURI = PubSubMessageSchema(ChangedURIMessage.self)
    /// `deleted` messages: `id` (required).
    public static let identity = PubSubMessageSchema(IdentityMessage.self)
    /// The batch message: `messages`, each with `media_type`, `message`, `topic_arn`, `opaque_data`,
    /// `message_attributes` (all required).
    public static let batch = PubSubMessageSchema(BatchMessage.self)

    /// Any fields, written as given, in the given order; nothing is required.
    ///
    /// For media types whose content is free-form JSON. microcosm-pubsub has no such schema:
    /// Python consumers still apply their own schema (by convention, URI) to such messages.
    public static let dynamic = PubSubMessageSchema(name: "dynamic", validate: { _ in nil }, dump: { $0 })

    /// The convention schema for a media type, chosen by its segments as microcosm-pubsub chooses:
    /// ``identity`` when one is `deleted`, else ``changedURI`` when one is `changed`, else ``uri``.
    public static func convention(for mediaType: MediaType) -> PubSubMessageSchema {
        if LifecycleChange.deleted.matches(mediaType) { return .identity }
        if LifecycleChange.changed.matches(mediaType) { return .changedURI }
        return .uri
    }

    /// True when this schema is `T`'s.
    func isSchema<T>(of type: T.Type) -> Bool { self.type == ObjectIdentifier(type) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.type == rhs.type && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(name)
    }

    public var description: String { name }
}

/// Writing validated content failed (the type's `encode(to:)` threw), as opposed to reading it.
struct SchemaEncodingFailure: Error {
    let error: any Error
}
