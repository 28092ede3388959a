import Microcosm
import MicrocosmJSON

/// A message as it travels in the SNS `Message`: its media type, opaque data and fields.
///
/// On the wire it is one JSON object, `{"mediaType": ..., "opaqueData": {...}, <fields>}`.
/// Decoded content keeps the fields as received (the schema has validated them) and the typed
/// value validation produced, so ``decode(_:)`` to the schema's type costs nothing more.
///
/// ```swift
/// let content = try registry.decode(text)
/// content.mediaType                      // .created("Thing")
/// content.uri                            // "http://things/1"
/// content.opaqueValues["x-request-id"]   // "req-123"
/// let shipped = try content.decode(OrderShipped.self)
/// ```
public struct PubSubMessageContent: Sendable, Hashable, CustomStringConvertible {
    /// The media type (`mediaType`).
    public var mediaType: MediaType
    /// The opaque data (`opaqueData`), in its order; nil when the message has none.
    public var opaqueData: JSONObject?
    /// What was received, or the fields given; may also hold the base fields, which are skipped.
    private var members: JSONObject
    /// The typed value the schema decoded, while `members` is unchanged.
    private var validated: (any Sendable)?

    /// Content with `fields`, to encode.
    public init(mediaType: MediaType, fields: JSONObject = [:], opaqueData: JSONObject? = nil) {
        self.mediaType = mediaType
        self.opaqueData = opaqueData
        self.members = fields
    }

    /// Decoded content: `members` is the whole wire object.
    init(mediaType: MediaType, opaqueData: JSONObject?, members: JSONObject, validated: (any Sendable)?) {
        self.mediaType = mediaType
        self.opaqueData = opaqueData
        self.members = members
        self.validated = validated
    }

    private static func isBaseField(_ key: String) -> Bool {
        key == PubSubWire.mediaTypeField || key == PubSubWire.opaqueDataField
    }

    /// The message's own fields, in order (without `mediaType` and `opaqueData`).
    public var fields: JSONObject {
        get {
            guard members[PubSubWire.mediaTypeField] != nil || members[PubSubWire.opaqueDataField] != nil else { return members }
            return JSONObject(members.lazy.filter { !Self.isBaseField($0.key) }.map { ($0.key, $0.value) })
        }
        set {
            members = newValue
            validated = nil
        }
    }

    /// The field named `name` (nil for the base fields, which are ``mediaType`` and ``opaqueData``).
    public subscript(name: String) -> JSONValue? {
        get { Self.isBaseField(name) ? nil : members[name] }
        set {
            guard !Self.isBaseField(name) else { return }
            members[name] = newValue
            validated = nil
        }
    }

    /// The `uri` field, when it is a string.
    public var uri: String? { members["uri"]?.stringValue }

    /// The opaque data as case-insensitive ``OpaqueValues``, in order, each value with its JSON type.
    public var opaqueValues: OpaqueValues { OpaqueValues(opaqueData ?? [:]) }

    /// The fields decoded as `type` (the value validation already made, when it is that type).
    ///
    /// Throws ``PubSubMessageError`` (code ``PubSubMessageError/Code/invalidContent``) naming the media type and the field.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(PubSubMessageError) -> T {
        if let value = validated as? T { return value }
        do {
            return try PubSubWire.decoder.decode(type, from: .object(members))
        } catch {
            throw .invalidContent(mediaType, error)
        }
    }

    /// The whole message object, as it is written: `mediaType`, `opaqueData` (when present), the fields.
    public var jsonObject: JSONObject {
        var object: JSONObject = [PubSubWire.mediaTypeField: .string(mediaType.rawValue)]
        if let opaqueData { object[PubSubWire.opaqueDataField] = .object(opaqueData) }
        for (key, value) in members where !Self.isBaseField(key) { object[key] = value }
        return object
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.mediaType == rhs.mediaType && lhs.opaqueData == rhs.opaqueData && lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mediaType)
        hasher.combine(opaqueData)
        hasher.combine(fields)
    }

    /// The message as compact JSON.
    public var description: String { JSONSerializer.compact.string(.object(jsonObject)) }
}
