import MicrocosmJSON
/// Opaque values: a map with case-insensitive keys, stored lower-cased and in insertion order,
/// whose values keep their JSON type (as microcosm's `NormalizedDict`).
///
/// `values["X-Request-Id"]` and `values["x-request-id"]` are the same entry. The string subscript
/// is the common case (request ids): it reads a string as itself and any other value as its compact
/// JSON text (`3`, `true`, `{"a":[1,true]}`), and writes strings. `values[json: key]` reads and
/// writes the JSON value itself, which is what goes on the wire: a consumed `3` is produced as `3`,
/// never as `"3"`.
///
/// ```swift
/// var values: OpaqueValues = ["X-Request-Id": "req-1", "retries": 3]
/// values["x-request-id"]          // "req-1"
/// values[json: "retries"]         // .int(3)
/// values["retries"]               // "3"
/// ```
public struct OpaqueValues: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var storage: JSONObject

    public init() { storage = JSONObject() }

    /// The given strings, keys lower-cased (a later duplicate wins), sorted by key.
    public init(_ values: [String: String]) {
        storage = JSONObject()
        for key in values.keys.sorted() { storage[key.lowercased()] = .string(values[key]!) }
    }

    /// The given JSON values in their order, keys lower-cased (a later duplicate wins, keeping the
    /// first one's place).
    public init(_ object: JSONObject) {
        storage = JSONObject()
        for (key, value) in object { storage[key.lowercased()] = value }
    }

    /// Values of any `Encodable` type (strings, numbers, bools, ``JSONValue``...), as JSON.
    public init(dictionaryLiteral elements: (String, any Encodable)...) {
        storage = JSONObject()
        for (key, value) in elements { storage[key.lowercased()] = Self.json(value) }
    }

    /// The value for `key` (any case) as text: a string as itself, anything else as compact JSON.
    /// Setting stores a string (nil removes the entry).
    public subscript(key: String) -> String? {
        get { storage[key.lowercased()].map(Self.text) }
        set { storage[key.lowercased()] = newValue.map(JSONValue.string) }
    }

    /// The JSON value for `key` (any case); setting keeps the key's place (nil removes the entry).
    public subscript(json key: String) -> JSONValue? {
        get { storage[key.lowercased()] }
        set { storage[key.lowercased()] = newValue }
    }

    /// The number of entries.
    public var count: Int { storage.count }

    /// True when empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// The keys, lower-cased, in order.
    public var keys: [String] { storage.keys }

    /// These values with `other` merged over them, as Python's `dict.update`: a key already here
    /// keeps its place and takes the new value; new keys follow, in `other`'s order.
    public func merging(_ other: OpaqueValues) -> OpaqueValues {
        guard !other.isEmpty else { return self }
        guard !isEmpty else { return other }
        var result = self
        for (key, value) in other.storage { result.storage[key] = value }
        return result
    }

    /// The entries as text (see the string subscript), keys lower-cased: for log metadata.
    public var dictionary: [String: String] {
        var dictionary: [String: String] = [:]
        dictionary.reserveCapacity(storage.count)
        for (key, value) in storage { dictionary[key] = Self.text(value) }
        return dictionary
    }

    /// The entries as a JSON object, in order, with their JSON types: what goes into `opaqueData`.
    public var jsonObject: JSONObject { storage }

    /// The entries in order, with their JSON values.
    public func makeIterator() -> JSONObject.Iterator { storage.makeIterator() }

    public var description: String {
        "[" + storage.map { "\($0.key): \(Self.text($0.value))" }.joined(separator: ", ") + "]"
    }

    /// `value` as text: a string as itself, anything else as compact JSON.
    package static func text(_ value: JSONValue) -> String {
        value.stringValue ?? JSONSerializer.compact.string(value)
    }

    /// `value` as JSON (a value that cannot be encoded, as its description).
    private static func json<T: Encodable>(_ value: T) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .string(String(describing: value))
    }
}
