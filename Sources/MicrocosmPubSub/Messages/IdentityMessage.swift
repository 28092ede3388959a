/// The `deleted` convention schema: the `id` of the resource that is gone, which has no URI any
/// more (microcosm-pubsub's `IdentityMessageSchema`).
///
/// ```swift
/// let text = try registry.encode(IdentityMessage(id: "1"), as: .deleted("Thing"))
/// ```
public struct IdentityMessage: Codable, Sendable, Hashable {
    /// The resource's identity (required).
    public var id: String

    /// A message naming the resource `id`.
    public init(id: String) { self.id = id }
}
