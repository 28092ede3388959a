import MicrocosmJSON

extension PubSubMessageCodec {
    /// What the convention schemas' `dump` (decode the fields as ``URIMessage``,
    /// ``ChangedURIMessage`` or ``IdentityMessage``, encode the value again) gives, read straight
    /// from `fields`: messages are made per publish, and most are `created`/`changed`/`deleted`
    /// with a `uri`. Nil for other schemas, and when a field is not plainly a string (or, for an
    /// optional one, absent or null): the general path then checks it and names what is wrong.
    package static func conventionFields(_ fields: JSONObject, schema: PubSubMessageSchema) -> JSONObject? {
        if schema.isSchema(of: URIMessage.self) {
            guard case .string(let uri)? = fields[PubSubWire.uriKey] else { return nil }
            return [PubSubWire.uriKey: .string(uri)]
        }
        if schema.isSchema(of: ChangedURIMessage.self) {
            guard case .string(let uri)? = fields[PubSubWire.uriKey] else { return nil }
            var dumped: JSONObject = [PubSubWire.uriKey: .string(uri)]
            // An optional string: written when a string, left out when absent or null.
            func copy(_ key: ChangedURIMessage.CodingKeys) -> Bool {
                switch fields[key.rawValue] {
                case nil, .null?: return true
                case .string(let text)?: dumped[key.rawValue] = .string(text); return true
                default: return false
                }
            }
            guard copy(.fieldName), copy(.newValue) else { return nil }
            return dumped
        }
        if schema.isSchema(of: IdentityMessage.self) {
            guard case .string(let id)? = fields["id"] else { return nil }
            return ["id": .string(id)]
        }
        return nil
    }
}
