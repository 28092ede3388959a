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
    public private(set) var fields: [Field] {
        get { lines?.fields ?? storedFields }
        set {
            storedFields = newValue
            lines = nil
        }
    }

    /// The fields, unless ``lines`` holds them.
    private var storedFields: [Field]
    /// A response's header lines, read when asked (``AWSHTTPHeaderLines``); nil once the fields are changed.
    private var lines: AWSHTTPHeaderLines?

    public init(_ fields: [Field] = []) {
        storedFields = fields
        lines = nil
    }

    /// The fields of a response's header lines, read from them only when asked.
    package init(lines: AWSHTTPHeaderLines) {
        storedFields = []
        self.lines = lines
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { Field(name: $0.0, value: $0.1) })
    }

    /// Makes ``storedFields`` hold the fields, before a change.
    private mutating func storeFields() {
        guard let lines else { return }
        storedFields = lines.fields
        self.lines = nil
    }

    /// The first value of `name` (any case); setting replaces every field of that name (nil removes).
    public subscript(name: String) -> String? {
        get {
            if let lines { return lines.values(for: name, first: true).first }
            return storedFields.first { $0.name.caseInsensitiveEquals(name) }?.value
        }
        set {
            storeFields()
            if let index = storedFields.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
                if let newValue {
                    storedFields[index].value = newValue
                    var position = index + 1
                    while position < storedFields.count {
                        if storedFields[position].name.caseInsensitiveEquals(name) { storedFields.remove(at: position) } else { position += 1 }
                    }
                } else {
                    storedFields.removeAll { $0.name.caseInsensitiveEquals(name) }
                }
            } else if let newValue {
                storedFields.append(Field(name: name, value: newValue))
            }
        }
    }

    /// Every value of `name` (any case), in order.
    public func values(for name: String) -> [String] {
        if let lines { return lines.values(for: name, first: false) }
        return storedFields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// Adds a field, keeping any others of the same name.
    public mutating func add(name: String, value: String) {
        storeFields()
        storedFields.append(Field(name: name, value: value))
    }

    /// Makes room for `count` fields in all.
    mutating func reserveCapacity(_ count: Int) {
        storeFields()
        storedFields.reserveCapacity(count)
    }

    /// True when a field named `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        if let lines { return !lines.values(for: name, first: true).isEmpty }
        return storedFields.contains { $0.name.caseInsensitiveEquals(name) }
    }

    public var count: Int { lines?.count ?? storedFields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public static func == (lhs: AWSHTTPHeaders, rhs: AWSHTTPHeaders) -> Bool { lhs.fields == rhs.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

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
