/// The decoder behind ``JSONSchemaDescriber``: every container records what is asked of it into
/// a ``JSONSchemaDescriber/Node`` and answers with placeholders.
struct DescribingDecoder: Decoder {
    let node: JSONSchemaDescriber.Node
    let context: JSONSchemaDescriber.Context
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .unknown = node.shape { node.shape = .object }
        return KeyedDecodingContainer(KeyedDescriber<Key>(node: node, context: context, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedDescriber(items: node.items(), context: context, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueDescriber(node: node, context: context, codingPath: codingPath)
    }
}

/// An object: each key asked for becomes a property, required unless read with
/// `decodeIfPresent` or looked for first with `contains`.
private struct KeyedDescriber<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: JSONSchemaDescriber.Node
    let context: JSONSchemaDescriber.Context
    let codingPath: [any CodingKey]

    /// Nothing is known to be there: code that reads what it finds is not described.
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool {
        node.markOptional(context.wireName(key))
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        node.markOptional(context.wireName(key))
        return false
    }

    private func value<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try context.describe(T.self, into: node.property(context.wireName(key), required: true))
    }

    private func optionalValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        let name = context.wireName(key)
        node.markOptional(name)
        let property = node.property(name, required: false)
        do {
            return try context.describe(T.self, into: property)
        } catch {
            return nil   // recorded in the property; an optional field does not stop its object
        }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalValue(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optionalValue(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        DescribingDecoder(node: node, context: context, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder(for: key) }

    private func decoder(for key: Key) -> DescribingDecoder {
        DescribingDecoder(node: node.property(context.wireName(key), required: true), context: context,
                          codingPath: codingPath + [key])
    }
}

/// An array: every element read is described as its `items`; it ends after the first.
private struct UnkeyedDescriber: UnkeyedDecodingContainer {
    let items: JSONSchemaDescriber.Node
    let context: JSONSchemaDescriber.Context
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: JSONSchemaDescriber.Node, context: JSONSchemaDescriber.Context, codingPath: [any CodingKey]) {
        self.items = items
        self.context = context
        self.codingPath = codingPath
    }

    var count: Int? { nil }
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try context.describe(T.self, into: items)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try DescribingDecoder(node: items, context: context, codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return UnkeyedDescriber(items: items.items(), context: context, codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        currentIndex += 1
        return DescribingDecoder(node: items, context: context, codingPath: codingPath)
    }
}

/// A single value: its type is the leaf it is read as.
private struct SingleValueDescriber: SingleValueDecodingContainer {
    let node: JSONSchemaDescriber.Node
    let context: JSONSchemaDescriber.Context
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { false }

    private func value<T: Decodable>(_ type: T.Type) throws -> T { try context.describe(T.self, into: node) }

    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
}
