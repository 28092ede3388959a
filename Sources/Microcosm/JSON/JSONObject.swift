/// A JSON object that remembers the order its keys were first added, like a Python dict.
///
/// Equality ignores order (as in Python): two objects are equal when they hold the same members.
public struct JSONObject: Sendable {
    private var orderedKeys: [String]
    private var storage: [String: JSONValue]

    /// An empty object.
    public init() {
        orderedKeys = []
        storage = [:]
    }

    /// An object with `pairs` in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of members.
    public var count: Int { orderedKeys.count }

    /// True when there are no members.
    public var isEmpty: Bool { orderedKeys.isEmpty }

    /// The keys in insertion order.
    public var keys: [String] { orderedKeys }

    /// The member named `key`; assigning nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { orderedKeys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                orderedKeys.removeAll { $0 == key }
            }
        }
    }

    /// Removes and returns the member named `key`.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = storage[key]
        self[key] = nil
        return old
    }

    /// The members as a plain (unordered) dictionary.
    public var dictionary: [String: JSONValue] { storage }
}

extension JSONObject: Sequence {
    /// Iterates members in insertion order.
    public struct Iterator: IteratorProtocol {
        fileprivate let object: JSONObject
        fileprivate var index = 0

        public mutating func next() -> (key: String, value: JSONValue)? {
            guard index < object.orderedKeys.count else { return nil }
            let key = object.orderedKeys[index]
            index += 1
            return (key, object.storage[key]!)
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }

    public var underestimatedCount: Int { orderedKeys.count }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}

extension JSONObject: CustomStringConvertible {
    public var description: String { JSONSerializer.compact.string(.object(self)) }
}
