/// The `created` convention schema: a reference (`uri`) to the resource that was created
/// (microcosm-pubsub's `URIMessageSchema`).
///
/// Consumers are expected to fetch the resource from `uri` rather than trust a copy in the message.
///
/// ```swift
/// let text = try registry.encode(URIMessage(uri: "http://things/1"), as: .created("Thing"))
/// // {"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}
/// ```
public struct URIMessage: Codable, Sendable, Hashable {
    /// The resource's URI (required).
    public var uri: String

    /// A message pointing at `uri`.
    public init(uri: String) { self.uri = uri }
}
