import Microcosm
import MicrocosmJSON
import Synchronization

/// Resources fetched by ``URIHandler``s, kept for a while by URI so that several handlers of one
/// created event fetch it once (microcosm-pubsub's `resource_cache`, in memory instead of memcached),
/// bound as `resource_cache` when config `resource_cache.enabled` is true.
///
/// Each entry lives for the TTL it was stored with; past that, ``value(for:)`` no longer returns
/// it. At most `maxEntries` are kept: storing one more drops the oldest stored. Time is the given
/// clock's (the graph's `pubsub_clock`), so tests move it by hand.
///
/// ```swift
/// let cache = URIResourceCache(maxEntries: 1000)
/// cache.store(.object(["id": "1"]), for: uri, ttl: .seconds(60))
/// cache.value(for: uri)    // the object, for 60 seconds
/// ```
public final class URIResourceCache: Sendable {
    /// How many entries are kept at most.
    public let maxEntries: Int

    private struct Entry {
        var value: JSONValue
        var expires: Duration
        var sequence: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys in the order they were stored, with the sequence number of that store (stale when the key was stored again).
        var order: [(key: String, sequence: Int)] = []
        var head = 0
        var nextSequence = 0
    }

    private let state = Mutex(State())
    private let elapsed: @Sendable () -> Duration

    /// A cache of at most `maxEntries` resources (config `resource_cache.max_entries`) timed by `clock`.
    public convenience init(maxEntries: Int = 10_000, clock: any Clock<Duration> = ContinuousClock()) {
        self.init(maxEntries: maxEntries, elapsed: URIResourceCache.counting(clock))
    }

    private init(maxEntries: Int, elapsed: @escaping @Sendable () -> Duration) {
        self.maxEntries = max(1, maxEntries)
        self.elapsed = elapsed
    }

    private static func counting(_ clock: some Clock<Duration>) -> @Sendable () -> Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }

    /// The resource stored for `uri`, unless its TTL has passed.
    public func value(for uri: String) -> JSONValue? {
        let now = elapsed()
        return state.withLock { state -> JSONValue? in
            guard let entry = state.entries[uri] else { return nil }
            guard now < entry.expires else {
                state.entries[uri] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Stores `value` for `uri` for `ttl`, replacing what was there.
    public func store(_ value: JSONValue, for uri: String, ttl: Duration) {
        let expires = elapsed() + ttl
        state.withLock { state in
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.entries[uri] = Entry(value: value, expires: expires, sequence: sequence)
            state.order.append((uri, sequence))
            while state.entries.count > maxEntries, state.head < state.order.count {
                let oldest = state.order[state.head]
                state.head += 1
                if state.entries[oldest.key]?.sequence == oldest.sequence { state.entries[oldest.key] = nil }
            }
            // Keys stored again leave stale places behind: compact once they outnumber the live ones.
            if state.order.count - state.head > 2 * max(state.entries.count, 16) || state.head > state.order.count / 2 {
                let live = state.entries
                state.order = state.order[state.head...].filter { live[$0.key]?.sequence == $0.sequence }
                state.head = 0
            }
        }
    }

    /// How many entries are held (expired ones included until they are read or pushed out).
    public var count: Int { state.withLock { $0.entries.count } }

    /// Drops every entry.
    public func removeAll() {
        state.withLock { $0 = State() }
    }
}
