/// What happened to a resource, as announced in a convention media type (`...pubsub._.created.foo_bar`).
///
/// An open set: ``created``, ``changed`` and ``deleted`` are microcosm-pubsub's conventions, and a
/// service may name others.
///
/// ```swift
/// let archived = LifecycleChange("archived")
/// MediaType(archived, resource: "Order")   // application/vnd.globality.pubsub._.archived.order
/// LifecycleChange.deleted.matches("application/vnd.globality.pubsub._.deleted.order")   // true
/// ```
public struct LifecycleChange: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The word as it appears in media types.
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A change named `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { rawValue = value }

    /// A resource was created; its messages carry `uri`.
    public static let created = LifecycleChange("created")
    /// A resource changed; its messages carry `uri` and may add `field_name` and `new_value`.
    public static let changed = LifecycleChange("changed")
    /// A resource was deleted; its messages carry `id`.
    public static let deleted = LifecycleChange("deleted")

    /// The changes microcosm-pubsub knows (its `LifecycleChange` set).
    public static let conventions: [LifecycleChange] = [.changed, .created, .deleted]

    /// True when `mediaType` has this change as one of its `.`-separated segments
    /// (microcosm-pubsub's `LifecycleChange.matches`).
    public func matches(_ mediaType: MediaType) -> Bool {
        mediaType.hasSegment(rawValue)
    }

    public var description: String { rawValue }
}
