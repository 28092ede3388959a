import MicrocosmJSON

/// Every media type's message schema in one JSON Schema (draft 2020-12) document, the file
/// `<daemon> schemas export` writes and `<daemon> schemas check` reads:
///
/// ```json
/// {
///   "$defs": {
///     "application/vnd.globality.pubsub._.created.order": {"properties": {...}, "required": [...], "type": "object"}
///   },
///   "$schema": "https://json-schema.org/draft/2020-12/schema"
/// }
/// ```
///
/// ``text`` is Python's `json.dumps(document, indent=2, sort_keys=True)` plus a newline, so the
/// same schemas give the same bytes from any run, and a Python service can write and read the
/// file with the standard library: `document["$defs"][media_type]` validates a message with any
/// JSON Schema validator.
///
/// ```swift
/// let exported = try PubSubSchemaDocument(registry: graph.pubsubMessageSchemaRegistry)
/// let committed = try PubSubSchemaDocument(parsing: String(contentsOfFile: "schemas.json", encoding: .utf8))
/// let breaking = exported.changes(from: committed).filter { $0.kind == .breaking }
/// ```
public struct PubSubSchemaDocument: Sendable, Hashable {
    /// The JSON Schema dialect: draft 2020-12.
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The schema of each media type's messages (see ``PubSubMessageSchema/jsonSchema(for:)``).
    public var schemas: [MediaType: JSONValue]

    /// A document holding `schemas`.
    public init(schemas: [MediaType: JSONValue] = [:]) {
        self.schemas = schemas
    }

    /// The schemas of every media type and pattern registered in `registry`.
    public init(registry: PubSubMessageSchemaRegistry) throws(PubSubMessageError) {
        schemas = [:]
        for mediaType in registry.mediaTypes {
            schemas[mediaType] = try registry.schema(for: mediaType).jsonSchema(for: mediaType)
        }
    }

    /// The document in `text`, as ``text`` writes it.
    ///
    /// Throws ``PubSubSchemaDocumentError`` when `text` is not JSON or not an object whose `$defs`
    /// holds an object per media type.
    public init(parsing text: String) throws(PubSubSchemaDocumentError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw .notJSON(error.description)
        }
        guard case .object(let document) = value else { throw .notADocument("it is \(value.typeName), not an object") }
        guard case .object(let definitions)? = document["$defs"] else { throw .notADocument("it has no \"$defs\" object") }
        schemas = [:]
        for (mediaType, schema) in definitions {
            guard case .object = schema else {
                throw .notADocument("\"$defs\".\"\(mediaType)\" is \(schema.typeName), not a schema object")
            }
            schemas[MediaType(mediaType)] = schema
        }
    }

    /// The document as JSON: `$schema` (``dialect``) and `$defs`, one schema per media type.
    public var json: JSONValue {
        .object([
            "$schema": .string(Self.dialect),
            "$defs": .object(JSONObject(schemas.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, $0.value) })),
        ])
    }

    /// The document's text: `json.dumps(document, indent=2, sort_keys=True)` and a newline.
    public var text: String { JSONSerializer.pythonIndented.string(json) + "\n" }

    /// What changed from `old` (the committed file) to this document (the service now), each
    /// breaking or safe, sorted by media type and field (see ``PubSubSchemaChange``).
    public func changes(from old: PubSubSchemaDocument) -> [PubSubSchemaChange] {
        var changes: [PubSubSchemaChange] = []
        let mediaTypes: Set<MediaType> = Set(old.schemas.keys).union(schemas.keys)
        for mediaType in mediaTypes.sorted(by: { $0.rawValue < $1.rawValue }) {
            switch (old.schemas[mediaType], schemas[mediaType]) {
            case (let before?, let after?):
                changes += PubSubSchemaComparison(mediaType: mediaType).compare(before, after, at: nil)
            case (_?, nil):
                changes.append(PubSubSchemaChange(kind: .breaking, mediaType: mediaType, field: nil, change: "media type removed"))
            case (nil, _?):
                changes.append(PubSubSchemaChange(kind: .safe, mediaType: mediaType, field: nil, change: "media type added"))
            case (nil, nil):
                break
            }
        }
        return changes
    }
}
