import MicrocosmJSON

/// One difference between a committed schema document and the service's schemas, as
/// `<daemon> schemas check` prints it: `breaking: application/vnd...: field 'total' type number -> string`.
///
/// Breaking (a peer that follows the old schema can fail): a media type removed, a field removed,
/// a required field added, a field made required, a type changed or narrowed (`number` ->
/// `integer`), values removed from an enumeration, a format added or changed. Safe: a media type
/// added, an optional field added, a field made optional, a type widened (`integer` -> `number`,
/// any type), values added to an enumeration, a format removed.
public struct PubSubSchemaChange: Sendable, Hashable, CustomStringConvertible {
    /// Whether the change can break a peer: ``breaking`` or ``safe``.
    public struct Kind: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A peer that follows the old schema can fail.
        public static let breaking = Kind(rawValue: "breaking")
        /// Old and new peers keep working together.
        public static let safe = Kind(rawValue: "safe")
    }

    public var kind: Kind
    /// The media type whose schema changed.
    public var mediaType: MediaType
    /// The field, as a path from the message (`customer.address`; `lines[]` for an array's items,
    /// `totals.*` for a map's values); nil for a change to the media type or the message as a whole.
    public var field: String?
    /// What changed: `removed`, `made required`, `type number -> string`, `media type added`, ...
    public var change: String

    /// A change.
    public init(kind: Kind, mediaType: MediaType, field: String?, change: String) {
        self.kind = kind
        self.mediaType = mediaType
        self.field = field
        self.change = change
    }

    /// `breaking: <media type>: field '<field>' <change>`, or without the field.
    public var description: String {
        "\(kind.rawValue): \(mediaType): " + (field.map { "field '\($0)' " } ?? "") + change
    }

    /// `{"kind": ..., "media_type": ..., "field": ... or null, "change": ...}`.
    public var json: JSONValue {
        ["kind": .string(kind.rawValue), "media_type": .string(mediaType.rawValue), "field": field.map(JSONValue.string) ?? .null,
         "change": .string(change)]
    }
}

/// Compares two schemas of one media type, recursively, into ``PubSubSchemaChange``s.
struct PubSubSchemaComparison {
    let mediaType: MediaType

    func compare(_ before: JSONValue, _ after: JSONValue, at path: String?) -> [PubSubSchemaChange] {
        guard case .object(let old) = before, case .object(let new) = after else {
            return before == after ? [] : [change(.breaking, path, "schema changed")]
        }
        var changes: [PubSubSchemaChange] = []
        let (oldTypes, newTypes) = (Self.types(old), Self.types(new))
        if oldTypes != newTypes {
            changes.append(change(Self.widens(from: oldTypes, to: newTypes) ? .safe : .breaking, path,
                                  "type \(Self.name(oldTypes)) -> \(Self.name(newTypes))"))
        }
        changes += compareValues(old, new, at: path)
        if old["format"] != new["format"] {
            let from = old["format"]?.stringValue ?? "none", to = new["format"]?.stringValue ?? "none"
            changes.append(change(new["format"] == nil ? .safe : .breaking, path, "format \(from) -> \(to)"))
        }
        changes += compareProperties(old, new, at: path)
        if let oldItems = old["items"], let newItems = new["items"] {
            changes += compare(oldItems, newItems, at: (path ?? "") + "[]")
        }
        if case .object? = old["additionalProperties"], case .object? = new["additionalProperties"] {
            changes += compare(old["additionalProperties"]!, new["additionalProperties"]!, at: path.map { $0 + ".*" } ?? "*")
        }
        return changes
    }

    private func compareProperties(_ old: JSONObject, _ new: JSONObject, at path: String?) -> [PubSubSchemaChange] {
        let oldProperties = old["properties"]?.objectValue ?? JSONObject()
        let newProperties = new["properties"]?.objectValue ?? JSONObject()
        let oldRequired = Self.required(old), newRequired = Self.required(new)
        var changes: [PubSubSchemaChange] = []
        for name in Set(oldProperties.keys).union(newProperties.keys).sorted() {
            let field = path.map { "\($0).\(name)" } ?? name
            switch (oldProperties[name], newProperties[name]) {
            case (_?, nil):
                changes.append(change(.breaking, field, "removed"))
            case (nil, _?):
                changes.append(newRequired.contains(name) ? change(.breaking, field, "added (required)")
                                                          : change(.safe, field, "added (optional)"))
            case (let before?, let after?):
                if !oldRequired.contains(name), newRequired.contains(name) { changes.append(change(.breaking, field, "made required")) }
                if oldRequired.contains(name), !newRequired.contains(name) { changes.append(change(.safe, field, "made optional")) }
                changes += compare(before, after, at: field)
            case (nil, nil):
                break
            }
        }
        return changes
    }

    /// `enum` and `const`: values a peer may no longer send are breaking; a new limit is too.
    private func compareValues(_ old: JSONObject, _ new: JSONObject, at path: String?) -> [PubSubSchemaChange] {
        switch (Self.values(old), Self.values(new)) {
        case (nil, let limited?):
            return [change(.breaking, path, "now limited to values \(Self.list(limited))")]
        case (_?, nil):
            return [change(.safe, path, "any value allowed")]
        case (let before?, let after?):
            var changes: [PubSubSchemaChange] = []
            let removed = before.filter { !after.contains($0) }, added = after.filter { !before.contains($0) }
            if !removed.isEmpty { changes.append(change(.breaking, path, "values \(Self.list(removed)) removed")) }
            if !added.isEmpty { changes.append(change(.safe, path, "values \(Self.list(added)) added")) }
            return changes
        case (nil, nil):
            return []
        }
    }

    private func change(_ kind: PubSubSchemaChange.Kind, _ field: String?, _ text: String) -> PubSubSchemaChange {
        PubSubSchemaChange(kind: kind, mediaType: mediaType, field: field, change: text)
    }

    /// The JSON types a schema allows; nil for any.
    static func types(_ schema: JSONObject) -> Set<String>? {
        switch schema["type"] {
        case .string(let name)?: return [name]
        case .array(let names)?: return Set(names.compactMap(\.stringValue))
        default: return nil
        }
    }

    /// True when every value of `old`'s types is one of `new`'s (an integer is a number).
    static func widens(from old: Set<String>?, to new: Set<String>?) -> Bool {
        guard let new else { return true }
        guard let old else { return false }
        return old.allSatisfy { new.contains($0) || ($0 == "integer" && new.contains("number")) }
    }

    static func name(_ types: Set<String>?) -> String { types.map { $0.sorted().joined(separator: "|") } ?? "any" }

    static func required(_ schema: JSONObject) -> Set<String> {
        Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    static func values(_ schema: JSONObject) -> [JSONValue]? {
        if let values = schema["enum"]?.arrayValue { return values }
        return schema["const"].map { [$0] }
    }

    static func list(_ values: [JSONValue]) -> String { values.map(\.description).joined(separator: ", ") }
}
