/// A JSON object that remembers the order its keys were first added, like a Python dict.
///
/// Equality ignores order (as in Python): two objects are equal when they hold the same members.
public struct JSONObject: Sendable {
    /// The members in insertion order.
    private var members: [(key: String, value: JSONValue)]
    /// Positions in `members` by key, kept only for objects larger than ``linearLimit``: messages,
    /// envelopes and configuration sections are small, and comparing a few keys costs less than
    /// hashing one.
    private var positions: [String: Int]?

    /// The most members an object finds by comparing keys one by one.
    static let linearLimit = 16

    /// An empty object.
    public init() {
        members = []
    }

    /// An object with `pairs` in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init()
        members.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// True when there are no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys in insertion order.
    public var keys: [String] { members.map(\.key) }

    /// The member named `key`; assigning nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let newValue {
                if let position = position(of: key) {
                    members[position].value = newValue
                } else {
                    members.append((key, newValue))
                    if positions != nil {
                        positions![key] = members.count - 1
                    } else if members.count > Self.linearLimit {
                        indexPositions()
                    }
                }
            } else if let position = position(of: key) {
                members.remove(at: position)
                if positions != nil { indexPositions() }
            }
        }
    }

    /// Removes and returns the member named `key`.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = self[key]
        self[key] = nil
        return old
    }

    /// The members as a plain (unordered) dictionary.
    public var dictionary: [String: JSONValue] {
        Dictionary(members.lazy.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    /// Builds `positions` for a large object, or drops it for one that became small.
    private mutating func indexPositions() {
        guard members.count > Self.linearLimit else {
            positions = nil
            return
        }
        var index = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { index[member.key] = position }
        positions = index
    }
}

extension JSONObject: Sequence {
    /// Iterates members in insertion order.
    public struct Iterator: IteratorProtocol {
        fileprivate var members: IndexingIterator<[(key: String, value: JSONValue)]>

        public mutating func next() -> (key: String, value: JSONValue)? { members.next() }
    }

    public func makeIterator() -> Iterator { Iterator(members: members.makeIterator()) }

    public var underestimatedCount: Int { members.count }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }

    /// Independent of order, as equality is: the members' own hashes are combined commutatively
    /// (as `Dictionary` does).
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for member in members {
            var memberHasher = hasher
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}

extension JSONObject: CustomStringConvertible {
    public var description: String { JSONSerializer.compact.string(.object(self)) }
}
