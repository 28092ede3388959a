import Microcosm
import MicrocosmJSON

/// Writes and reads messages of one schema, byte for byte as microcosm-pubsub's `PubSubMessageCodec`.
///
/// Encoding writes `{"mediaType": ..., "opaqueData": {...}, <the schema's fields in its order>}`
/// with Python's `json.dumps` separators and escapes (``JSONSerializer/python``); only the schema's
/// fields are written, and its required fields must be there. Decoding checks the content against
/// the schema. Usually obtained from ``PubSubMessageSchemaRegistry/codec(for:)``, or used through
/// the registry's `encode`/`decode`.
///
/// ```swift
/// let codec = try registry.codec(for: .created("FooBar"))
/// let text = try codec.encode(.created("FooBar"), fields: ["uri": "http://example.com/foo_bars/1"],
///                             opaqueData: ["x-request-id": "req-123"])
/// // {"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123"}, "uri": "http://example.com/foo_bars/1"}
/// ```
public struct PubSubMessageCodec: Sendable {
    /// The schema content must fit.
    public let schema: PubSubMessageSchema

    /// A codec for `schema`.
    public init(schema: PubSubMessageSchema) { self.schema = schema }

    // MARK: Encoding

    /// The message text for dynamic content: `fields` are checked against the schema and only
    /// its fields are written. `opaqueData` is written as given (in its order) when not nil.
    public func encode(_ mediaType: MediaType, fields: JSONObject, opaqueData: JSONObject? = nil) throws(PubSubMessageError) -> String {
        try encode(mediaType, fields: fields, opaqueData: opaqueData, conventionPath: true)
    }

    /// ``encode(_:fields:opaqueData:)``; with `conventionPath` false, the convention schemas go
    /// through the general path too (for tests that compare the two).
    package func encode(_ mediaType: MediaType, fields: JSONObject, opaqueData: JSONObject?,
                        conventionPath: Bool) throws(PubSubMessageError) -> String {
        if conventionPath, let dumped = PubSubMessageCodec.conventionFields(fields, schema: schema) {
            return PubSubMessageCodec.write(mediaType, opaqueData: opaqueData, fields: dumped)
        }
        let dumped: JSONObject
        do {
            dumped = try schema.dump(fields)
        } catch let failure as SchemaEncodingFailure {
            throw .encodingFailed(mediaType, failure.error)
        } catch {
            throw .invalidContent(mediaType, error)
        }
        return PubSubMessageCodec.write(mediaType, opaqueData: opaqueData, fields: dumped)
    }

    /// The message text for a typed value; a value of another type than the schema's is checked
    /// against the schema, like dynamic content.
    public func encode<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: JSONObject? = nil) throws(PubSubMessageError) -> String {
        let fields: JSONObject
        do {
            fields = try PubSubWire.encoder.encodeObject(value)
        } catch {
            throw .encodingFailed(mediaType, error)
        }
        if schema.isSchema(of: T.self) { return PubSubMessageCodec.write(mediaType, opaqueData: opaqueData, fields: fields) }
        return try encode(mediaType, fields: fields, opaqueData: opaqueData)
    }

    /// The message text for `content`.
    public func encode(_ content: PubSubMessageContent) throws(PubSubMessageError) -> String {
        try encode(content.mediaType, fields: content.fields, opaqueData: content.opaqueData)
    }

    /// Writes the message object as `json.dumps` does; the base fields come first, and fields that
    /// share their names are left out.
    static func write(_ mediaType: MediaType, opaqueData: JSONObject?, fields: JSONObject) -> String {
        let serializer = JSONSerializer.python
        var out: [UInt8] = []
        out.reserveCapacity(192)
        out.append(contentsOf: #"{"mediaType": "#.utf8)
        serializer.write(.string(mediaType.rawValue), into: &out)
        if let opaqueData {
            out.append(contentsOf: #", "opaqueData": "#.utf8)
            serializer.write(.object(opaqueData), into: &out)
        }
        for (key, value) in fields where key != PubSubWire.mediaTypeField && key != PubSubWire.opaqueDataField {
            out.append(contentsOf: ", ".utf8)
            serializer.write(.string(key), into: &out)
            out.append(contentsOf: ": ".utf8)
            serializer.write(value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Decoding

    /// The content of message text `text`, checked against the schema.
    public func decode(_ text: String) throws(PubSubMessageError) -> PubSubMessageContent {
        try decode(PubSubMessageCodec.parse(text))
    }

    /// The content of a parsed message, checked against the schema.
    public func decode(_ message: JSONValue) throws(PubSubMessageError) -> PubSubMessageContent {
        let (object, mediaType) = try PubSubMessageCodec.split(message)
        return try decode(object, mediaType: mediaType)
    }

    func decode(_ object: JSONObject, mediaType: MediaType) throws(PubSubMessageError) -> PubSubMessageContent {
        let opaqueData: JSONObject?
        switch object[PubSubWire.opaqueDataField] {
        case nil: opaqueData = nil
        case .object(let values)?: opaqueData = values
        case let other?:
            throw .invalidContent(mediaType, JSONValueDecoderError.typeMismatch(PubSubWire.opaqueDataField, expected: "object", seen: other))
        }
        let validated: (any Sendable)?
        do {
            validated = try schema.validate(object)
        } catch {
            throw .invalidContent(mediaType, error)
        }
        return PubSubMessageContent(mediaType: mediaType, opaqueData: opaqueData, members: object, validated: validated)
    }

    /// Parses message text.
    static func parse(_ text: String) throws(PubSubMessageError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .notJSON(error)
        }
    }

    /// The message object and its media type (microcosm-pubsub's `MediaTypeSchema`: a required string).
    static func split(_ message: JSONValue) throws(PubSubMessageError) -> (JSONObject, MediaType) {
        guard case .object(let object) = message else { throw .notAnObject(message) }
        guard case .string(let mediaType)? = object[PubSubWire.mediaTypeField] else {
            throw .missingMediaType(seen: object[PubSubWire.mediaTypeField])
        }
        return (object, MediaType(mediaType))
    }
}
