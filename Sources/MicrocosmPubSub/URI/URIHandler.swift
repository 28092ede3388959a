import Microcosm
import MicrocosmAWS

/// A handler of messages that point at a resource by `uri` (microcosm-pubsub's `URIHandler`): the
/// resource is fetched, decoded as ``Resource`` and handed to ``handle(_:resource:)``.
///
/// For each message, as in microcosm-pubsub:
/// 1. ``reasonToSkip(_:)``: a reason means the resource is not fetched; the result is SKIPPED and
///    `Skipping <handler> because <reason>` is logged at INFO.
/// 2. The resource is fetched with a GET of `uri` whose headers are the opaque values (so
///    `x-request-id` follows; ``headers(for:opaque:)`` may change them), from the resource cache
///    when ``shouldCacheResource(mediaType:uri:)`` allows it. A 404 (when ``nackIfNotFound``) throws
///    ``Nack`` for ``resourceNackTimeout`` seconds ("URI resource not found"): the resource is not
///    committed yet, so the message comes back. For a message with `field_name`, a resource whose
///    field does not equal `new_value` is nacked the same way. Any other status, a transport
///    failure, a body that is not JSON or does not decode is an error: FAILED.
/// 3. ``handle(_:resource:)``: true means handled (SUCCEEDED, `Handled <handler>` at DEBUG); false,
///    ignored (SKIPPED, `Ignored <handler>` at INFO).
///
/// Register it like any handler type; ``init(graph:)`` runs once, when the dispatcher is created.
/// ```swift
/// struct Order: Decodable, Sendable { var id: String; var state: String }
///
/// struct OrderCreatedHandler: URIHandler {
///     let store: OrderStore
///     init(graph: Graph) throws { store = try graph.resolve("order_store") }
///
///     func reasonToSkip(_ message: URIMessage) -> String? {
///         message.uri.contains("/test/") ? "test order" : nil
///     }
///
///     func handle(_ message: URIMessage, resource order: Order) async throws -> Bool {
///         guard order.state == "placed" else { return false }     // ignored
///         try await store.save(order)
///         return true
///     }
/// }
/// handlers.register(OrderCreatedHandler.self, for: .created("Order"))
/// ```
public protocol URIHandler: Sendable {
    /// What the resource decodes as (microcosm-pubsub's `resource_type`).
    associatedtype Resource: Decodable & Sendable
    /// What the message decodes as: ``URIMessage`` unless the handler reads more of it
    /// (``ChangedURIMessage``, or a type of its own).
    associatedtype Message: Decodable & Sendable = URIMessage

    /// Builds the handler from the graph (called once per dispatcher, before any message).
    init(graph: Graph) throws

    /// Handles the message with its resource: true when handled, false when ignored.
    ///
    /// May throw ``SkipMessage``, ``IgnoreMessage`` or ``Nack`` as any handler may.
    func handle(_ message: Message, resource: Resource) async throws -> Bool

    /// A reason not to fetch the resource at all, or nil (microcosm-pubsub's `get_reason_to_skip`).
    /// Default: nil.
    func reasonToSkip(_ message: Message) async throws -> String?

    /// The headers of the GET (microcosm-pubsub's `get_headers`). Default: the opaque values.
    func headers(for message: Message, opaque: OpaqueValues) -> AWSHTTPHeaders

    /// Seconds until a message whose resource is not there yet comes back (microcosm-pubsub's
    /// `resource_nack_timeout`). Default: 1.
    var resourceNackTimeout: Int { get }

    /// Whether a 404, or a changed field that does not have its new value yet, nacks the message
    /// (microcosm-pubsub's `nack_if_not_found`); false makes a 404 FAILED. Default: true.
    var nackIfNotFound: Bool { get }

    /// Whether this handler uses the graph's resource cache, when `resource_cache.enabled` binds one
    /// (microcosm-pubsub's `resource_cache_enabled`). Default: true.
    var resourceCacheEnabled: Bool { get }

    /// How long a fetched resource stays cached (microcosm-pubsub's `resource_cache_ttl`). Default: 60 seconds.
    var resourceCacheTTL: Duration { get }

    /// Whether the resource of a message may come from, and go to, the cache (microcosm-pubsub's
    /// `resource_cache_whitelist_callable`). Default: ``URIResourceCache/isCacheable(mediaType:uri:)``,
    /// created events only.
    func shouldCacheResource(mediaType: MediaType, uri: String) -> Bool
}

extension URIHandler {
    public func reasonToSkip(_ message: Message) async throws -> String? { nil }

    public func headers(for message: Message, opaque: OpaqueValues) -> AWSHTTPHeaders {
        AWSHTTPHeaders(opaque.dictionary.sorted { $0.key < $1.key }.map { AWSHTTPHeaders.Field(name: $0.key, value: $0.value) })
    }

    public var resourceNackTimeout: Int { 1 }

    public var nackIfNotFound: Bool { true }

    public var resourceCacheEnabled: Bool { true }

    public var resourceCacheTTL: Duration { .seconds(60) }

    public func shouldCacheResource(mediaType: MediaType, uri: String) -> Bool {
        URIResourceCache.isCacheable(mediaType: mediaType, uri: uri)
    }
}

extension URIResourceCache {
    /// microcosm-pubsub's default whitelist: only a `created` media type (`.created.` with any
    /// character on either side, as its regular expression reads) of a resource whose URI has an
    /// event path segment (`/<lowercase letters>_event/`), since events do not change once created.
    ///
    /// ```swift
    /// let uri = "https://projects/api/v2/project_event/0598355c"
    /// URIResourceCache.isCacheable(mediaType: .created("ProjectEvent"), uri: uri)   // true
    /// URIResourceCache.isCacheable(mediaType: .changed("ProjectEvent"), uri: uri)   // false: not created
    /// URIResourceCache.isCacheable(mediaType: .created("Project"), uri: "https://projects/api/v2/project/1")  // false: not an event
    /// ```
    public static func isCacheable(mediaType: MediaType, uri: String) -> Bool {
        hasEventSegment(uri) && containsCreated(mediaType.rawValue)
    }

    /// `re.search(r"/[a-z]+_event/", uri)`.
    static func hasEventSegment(_ uri: String) -> Bool {
        let bytes = Array(uri.utf8)
        let suffix = Array("_event/".utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "/") else { index += 1; continue }
            var end = index + 1
            while end < bytes.count, bytes[end] >= UInt8(ascii: "a"), bytes[end] <= UInt8(ascii: "z") { end += 1 }
            if end > index + 1, end + suffix.count <= bytes.count, Array(bytes[end..<end + suffix.count]) == suffix { return true }
            index = end
        }
        return false
    }

    /// `re.search(r".created.", mediaType)`: "created" with a character (not a newline) on either side.
    static func containsCreated(_ mediaType: String) -> Bool {
        let characters = Array(mediaType)
        let word = Array("created")
        guard characters.count >= word.count + 2 else { return false }
        for start in 1...(characters.count - word.count - 1)
        where characters[start - 1] != "\n" && characters[start + word.count] != "\n"
            && Array(characters[start..<start + word.count]) == word {
            return true
        }
        return false
    }
}
