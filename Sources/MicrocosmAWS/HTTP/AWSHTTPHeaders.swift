/// HTTP header fields in order, looked up case-insensitively.
///
/// Descriptions redact credentials: `Authorization` and `X-Amz-Security-Token` values never appear.
public struct AWSHTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable {
    /// One field.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in the order they were added.
    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (any case); setting replaces every field of that name (nil removes).
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.caseInsensitiveEquals(name) }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
                if let newValue {
                    fields[index].value = newValue
                    var position = index + 1
                    while position < fields.count {
                        if fields[position].name.caseInsensitiveEquals(name) { fields.remove(at: position) } else { position += 1 }
                    }
                } else {
                    fields.removeAll { $0.name.caseInsensitiveEquals(name) }
                }
            } else if let newValue {
                fields.append(Field(name: name, value: newValue))
            }
        }
    }

    /// Every value of `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// Adds a field, keeping any others of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Makes room for `count` fields in all.
    mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    /// True when a field named `name` (any case) is present.
    public func contains(_ name: String) -> Bool { fields.contains { $0.name.caseInsensitiveEquals(name) } }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Header names whose values are secrets.
    public static let sensitiveNames: Set<String> = ["authorization", "x-amz-security-token", "x-aws-ec2-metadata-token"]

    /// The fields with the values of ``sensitiveNames`` replaced by `<redacted>`.
    public var redactedFields: [Field] {
        fields.map { field in
            AWSHTTPHeaders.sensitiveNames.contains(field.name.lowercased()) ? Field(name: field.name, value: "<redacted>") : field
        }
    }

    public var description: String {
        "[" + redactedFields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }

    public var debugDescription: String { description }

    /// `dump()` and debuggers see the redacted fields too.
    public var customMirror: Mirror {
        Mirror(self, unlabeledChildren: redactedFields.map { "\($0.name): \($0.value)" }, displayStyle: .collection)
    }
}

extension String {
    /// ASCII case-insensitive equality (header names are ASCII).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let lhs = utf8, rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        let compared: Bool?? = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where left[index] != right[index] {
                    if String.asciiLowercased(left[index]) != String.asciiLowercased(right[index]) { return false }
                }
                return true
            }
        }
        if let compared, let compared { return compared }
        for (a, b) in zip(lhs, rhs) where a != b {
            if String.asciiLowercased(a) != String.asciiLowercased(b) { return false }
        }
        return true
    }

    @inline(__always)
    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte + 32 : byte
    }
}
