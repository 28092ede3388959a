import MicrocosmJSON

extension PubSubMessageSchema {
    /// The JSON Schema (draft 2020-12) of a whole message of `mediaType` as it travels (the SNS
    /// `Message`): the envelope fields every message has, `mediaType` (required, this media type;
    /// any text for a `.*` pattern) and `opaqueData` (an object), plus the content's fields, named
    /// on the wire (snake_case, or the `CodingKeys`), required unless optional in the type.
    ///
    /// The content is described by running the type's `init(from:)` (see the README's "Schema
    /// contracts"): a part it could not describe carries a `$comment` starting with `incomplete:`.
    /// ``dynamic`` is an object with any fields.
    ///
    /// ```swift
    /// PubSubMessageSchema(OrderShipped.self).jsonSchema(for: OrderShipped.mediaType)
    /// // {"type": "object", "properties": {"carrier": {"type": "string"}, "mediaType": {"const": ...}, ...},
    /// //  "required": ["carrier", "mediaType", "tracking_number", "uri"]}
    /// ```
    public func jsonSchema(for mediaType: MediaType) -> JSONValue {
        guard case .object(var schema) = describeContent() else { return describeContent() }
        if schema["type"] == nil { schema["type"] = "object" }   // a message is an object, whatever its type reads
        var properties = schema["properties"]?.objectValue ?? JSONObject()
        properties[PubSubWire.mediaTypeField] = mediaType.isWildcard ? ["type": "string"] : ["const": .string(mediaType.rawValue)]
        properties[PubSubWire.opaqueDataField] = ["type": "object"]
        schema["properties"] = .object(properties)
        let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue)).union([PubSubWire.mediaTypeField])
        schema["required"] = .array(required.sorted().map(JSONValue.string))
        return .object(schema)
    }
}
