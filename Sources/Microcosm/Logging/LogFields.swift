/// Log metadata as key-value pairs in the order they were added, for lines logged per message:
/// a later pair wins over an earlier one with the same key, as when the pairs are set into a
/// dictionary one by one (the first pair's key, the last pair's value).
///
/// ``Logger/log(_:_:fields:file:line:)`` renders them straight into the line's bytes when the
/// logger writes text to a stream, and builds the dictionary only for other handlers.
package struct LogFields: Sendable {
    /// The pairs, in order.
    package private(set) var pairs: [(key: String, value: String)] = []

    package init(capacity: Int = 0) {
        pairs.reserveCapacity(capacity)
    }

    package mutating func append(_ key: String, _ value: String) {
        pairs.append((key, value))
    }

    /// Removes every pair with `key`, as setting nil in the dictionary would.
    package mutating func remove(_ key: String) {
        pairs.removeAll { $0.key == key }
    }

    package mutating func append(contentsOf other: LogFields) {
        pairs.append(contentsOf: other.pairs)
    }

    /// The pairs set into a dictionary in order: the metadata handlers other than a text stream get.
    package var dictionary: [String: String] {
        var dictionary: [String: String] = [:]
        dictionary.reserveCapacity(pairs.count)
        for (key, value) in pairs { dictionary[key] = value }
        return dictionary
    }
}
