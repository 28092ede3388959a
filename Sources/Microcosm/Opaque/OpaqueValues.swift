/// A string map with case-insensitive keys, stored lower-cased (as microcosm-pubsub writes them).
///
/// `values["X-Request-Id"]` and `values["x-request-id"]` are the same entry.
public struct OpaqueValues: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var storage: [String: String]

    public init() { storage = [:] }

    /// The given values, keys lower-cased (a later duplicate wins).
    public init(_ values: [String: String]) {
        storage = [:]
        for (key, value) in values { storage[key.lowercased()] = value }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        storage = [:]
        for (key, value) in elements { storage[key.lowercased()] = value }
    }

    /// The value for `key`, any case.
    public subscript(key: String) -> String? {
        get { storage[key.lowercased()] }
        set { storage[key.lowercased()] = newValue }
    }

    /// The number of entries.
    public var count: Int { storage.count }

    /// True when empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// These values with `other` merged over them.
    public func merging(_ other: OpaqueValues) -> OpaqueValues {
        guard !other.isEmpty else { return self }
        guard !isEmpty else { return other }
        var result = self
        result.storage.merge(other.storage) { _, new in new }
        return result
    }

    /// The entries as a dictionary with lower-cased keys.
    public var dictionary: [String: String] { storage }

    /// The entries as a JSON object with keys sorted.
    public var jsonObject: JSONObject {
        JSONObject(storage.keys.sorted().map { ($0, JSONValue.string(storage[$0]!)) })
    }

    public func makeIterator() -> Dictionary<String, String>.Iterator { storage.makeIterator() }

    public var description: String {
        "[" + storage.keys.sorted().map { "\($0): \(storage[$0]!)" }.joined(separator: ", ") + "]"
    }
}
