/// The `changed` convention schema: the changed resource's `uri`, optionally with the field that
/// changed and its new value (microcosm-pubsub's `ChangedURIMessageSchema`).
///
/// ```swift
/// let change = ChangedURIMessage(uri: "http://things/1", fieldName: "state", newValue: "done")
/// // {"uri": "http://things/1", "field_name": "state", "new_value": "done"}
/// ```
public struct ChangedURIMessage: Codable, Sendable, Hashable {
    /// The resource's URI (required).
    public var uri: String
    /// The name of the field that changed (`field_name`), if given.
    public var fieldName: String?
    /// The field's new value (`new_value`), if given.
    public var newValue: String?

    /// A change of the resource at `uri`.
    public init(uri: String, fieldName: String? = nil, newValue: String? = nil) {
        self.uri = uri
        self.fieldName = fieldName
        self.newValue = newValue
    }

    enum CodingKeys: String, CodingKey {
        case uri
        case fieldName = "field_name"
        case newValue = "new_value"
    }
}
