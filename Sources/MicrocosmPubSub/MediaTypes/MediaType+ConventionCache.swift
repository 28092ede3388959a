import Synchronization

extension MediaType {
    /// The text of a convention media type, from a small process-wide cache: producers make
    /// `.created("FooBar")` per message (as Python's `created("FooBar")` is), and snake_casing the
    /// name and joining the parts cost more than a lookup. The cache forgets everything when it
    /// holds ``conventionCacheLimit`` names, so names made from data cannot grow it without bound.
    static func conventionText(_ change: LifecycleChange, resource: String, organization: String, isPublic: Bool) -> String {
        let key = ConventionKey(change: change.rawValue, resource: resource, organization: organization, isPublic: isPublic)
        if let text = conventionCache.withLock({ $0[key] }) { return text }
        let text = makeConventionText(change, resource: resource, organization: organization, isPublic: isPublic)
        conventionCache.withLock { cache in
            if cache.count >= conventionCacheLimit { cache.removeAll() }
            cache[key] = text
        }
        return text
    }

    /// The most convention media types the cache holds.
    package static let conventionCacheLimit = 256

    /// How many convention media types the cache holds now.
    package static var conventionCacheCount: Int { conventionCache.withLock { $0.count } }

    private struct ConventionKey: Hashable {
        let change: String
        let resource: String
        let organization: String
        let isPublic: Bool
    }

    private static let conventionCache = Mutex<[ConventionKey: String]>([:])
}
