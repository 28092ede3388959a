import Microcosm

/// A message's media type: what the message is, the key for its schema and its handlers.
///
/// Convention media types are made exactly as microcosm-pubsub's `make_media_type` makes them:
/// `application/vnd.<organization>.pubsub._.<change>.<resource>` (`pubsub.` without `_` when
/// public), the resource name snake_cased.
///
/// ```swift
/// MediaType.created("FooBar")                         // application/vnd.globality.pubsub._.created.foo_bar
/// MediaType.deleted("FooBar", organization: "acme")   // application/vnd.acme.pubsub._.deleted.foo_bar
/// MediaType.changed(Order.self, public: true)         // application/vnd.globality.pubsub.changed.order
/// let any: MediaType = "application/vnd.globality.pubsub._.created.*"
/// any.matches(.created("Order"))                      // true
/// ```
public struct MediaType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The media type text.
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The media type `rawValue`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { rawValue = value }

    /// `application/json`: the media type of a body that names none (raw JSON).
    public static let json = MediaType(PubSubWire.defaultMediaType)

    /// The organization convention media types use unless told otherwise.
    public static let defaultOrganization = "globality"

    /// The convention media type announcing `change` to `resource` (microcosm-pubsub's `make_media_type`).
    ///
    /// `resource` is snake_cased as Python's `inflection.underscore` does it (`FooBar` -> `foo_bar`);
    /// `public` drops the `_` that marks internal messages (`pubsub.created...`).
    public init(_ change: LifecycleChange, resource: String, organization: String = MediaType.defaultOrganization,
                public isPublic: Bool = false) {
        rawValue = MediaType.conventionText(change, resource: resource, organization: organization, isPublic: isPublic)
    }

    /// The text of a convention media type, made (``Inflection/underscore(_:)`` and all) each time.
    package static func makeConventionText(_ change: LifecycleChange, resource: String, organization: String, isPublic: Bool) -> String {
        "application/vnd.\(organization).\(isPublic ? "pubsub" : "pubsub._").\(change.rawValue).\(Inflection.underscore(resource))"
    }

    /// The convention media type announcing `change` to a resource named after `type` (`Order` -> `order`).
    public init<Resource>(_ change: LifecycleChange, resource type: Resource.Type, organization: String = MediaType.defaultOrganization,
                          public isPublic: Bool = false) {
        self.init(change, resource: MediaType.resourceName(of: type), organization: organization, public: isPublic)
    }

    /// The name a type gives its resource: the type's own name, without generic arguments.
    static func resourceName<Resource>(of type: Resource.Type) -> String {
        let name = String(describing: type)
        return name.firstIndex(of: "<").map { String(name[..<$0]) } ?? name
    }

    /// `application/vnd.globality.pubsub._.created.<resource>`.
    public static func created(_ resource: String, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.created, resource: resource, organization: organization, public: isPublic)
    }

    /// `application/vnd.globality.pubsub._.created.<type name, snake_cased>`.
    public static func created<Resource>(_ type: Resource.Type, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.created, resource: type, organization: organization, public: isPublic)
    }

    /// `application/vnd.globality.pubsub._.changed.<resource>`.
    public static func changed(_ resource: String, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.changed, resource: resource, organization: organization, public: isPublic)
    }

    /// `application/vnd.globality.pubsub._.changed.<type name, snake_cased>`.
    public static func changed<Resource>(_ type: Resource.Type, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.changed, resource: type, organization: organization, public: isPublic)
    }

    /// `application/vnd.globality.pubsub._.deleted.<resource>`.
    public static func deleted(_ resource: String, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.deleted, resource: resource, organization: organization, public: isPublic)
    }

    /// `application/vnd.globality.pubsub._.deleted.<type name, snake_cased>`.
    public static func deleted<Resource>(_ type: Resource.Type, organization: String = defaultOrganization, public isPublic: Bool = false) -> MediaType {
        MediaType(.deleted, resource: type, organization: organization, public: isPublic)
    }

    // MARK: Wildcards

    /// True for a pattern ending in `.*`.
    public var isWildcard: Bool { rawValue.hasSuffix(".*") }

    /// The wildcard that covers this media type: everything before its last `.`-segment, then `.*`
    /// (`...created.foo_bar` -> `...created.*`), as microcosm-pubsub's `find_matching_media_type` forms it.
    public var wildcard: MediaType {
        guard let dot = rawValue.lastIndex(of: ".") else { return MediaType(".*") }
        return MediaType(rawValue[..<dot] + ".*")
    }

    /// True when this media type, or this trailing-`.*` pattern, covers `mediaType`.
    ///
    /// A pattern stands for exactly one more segment: `a.b.*` matches `a.b.c`, not `a.b.c.d`.
    public func matches(_ mediaType: MediaType) -> Bool {
        self == mediaType || (isWildcard && mediaType.wildcard == self)
    }

    /// True when `segment` is one of the `.`-separated parts of this media type.
    public func hasSegment(_ segment: String) -> Bool {
        rawValue.split(separator: ".", omittingEmptySubsequences: false).contains { $0 == segment }
    }

    public var description: String { rawValue }
}
