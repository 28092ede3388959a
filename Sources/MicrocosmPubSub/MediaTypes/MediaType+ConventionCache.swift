import Synchronization

extension MediaType {
    /// The text of a convention media type, from a small process-wide cache: producers make
    /// `.created("FooBar")` per message (as Python's `created("FooBar")` is), and snake_casing the
    /// name and joining the parts cost more than a lookup. The cache forgets everything when it
    /// holds ``conventionCacheLimit`` names, so names made from data cannot grow it without bound.
    static func conventionText(_ change: LifecycleChange, resource: String, organization: String, isPublic: Bool) -> String {
        let key = ConventionKey(change: change.rawValue, resource: resource, organization: organization, isPublic: isPublic)
        if let text = conventionCache.withLock({ $0.text(for: key) }) { return text }
        let text = makeConventionText(change, resource: resource, organization: organization, isPublic: isPublic)
        conventionCache.withLock { $0.insert(text, for: key) }
        return text
    }

    /// The most convention media types the cache holds.
    package static let conventionCacheLimit = 256

    /// How many convention media types the cache holds now.
    package static var conventionCacheCount: Int { conventionCache.withLock { $0.texts.count } }

    private struct ConventionKey: Hashable {
        let change: String
        let resource: String
        let organization: String
        let isPublic: Bool
    }

    /// The cached texts, and the last one asked for (a producer usually makes one media type over
    /// and over: comparing its key is cheaper than hashing it).
    private struct ConventionCache {
        var texts: [ConventionKey: String] = [:]
        var last: (key: ConventionKey, text: String)?

        mutating func text(for key: ConventionKey) -> String? {
            if let last, last.key == key { return last.text }
            guard let text = texts[key] else { return nil }
            last = (key, text)
            return text
        }

        mutating func insert(_ text: String, for key: ConventionKey) {
            if texts.count >= MediaType.conventionCacheLimit { texts.removeAll() }
            texts[key] = text
            last = (key, text)
        }
    }

    private static let conventionCache = Mutex(ConventionCache())
}
