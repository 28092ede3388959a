#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The machinery behind ``JSONValueDecoder``: a `Decoder` that reads ``JSONValue`` in place.
///
/// Keyed containers look members up in the ``JSONObject`` they were given (no copy); paths are
/// linked lazily and rendered only for errors.
enum JSONValueDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at parent: JSONCodingPath,
                                     _ component: JSONCodingPath.Component?) throws -> T {
        if let special = try special(type, from: value, at: parent, component) { return special }
        return try T(from: ValueDecoder(value: value, parent: parent, component: component))
    }

    /// The types read in a fixed way (and the common leaves, without a decoder per value).
    @inline(__always)
    static func special<T: Decodable>(_ type: T.Type, from value: JSONValue, at parent: JSONCodingPath,
                                      _ component: JSONCodingPath.Component?) throws -> T? {
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch(value, "string", parent, component) }
            return (text as! T)
        }
        if T.self == Int.self { return (try integer(Int.self, value, parent, component) as! T) }
        if T.self == Double.self { return (try double(value, parent, component) as! T) }
        if T.self == Bool.self {
            guard case .bool(let flag) = value else { throw mismatch(value, "bool", parent, component) }
            return (flag as! T)
        }
        if T.self == JSONValue.self { return (value as! T) }
        if T.self == JSONObject.self {
            guard case .object(let object) = value else { throw mismatch(value, "object", parent, component) }
            return (object as! T)
        }
        if T.self == Date.self {
            guard case .string(let text) = value else { throw mismatch(value, "ISO 8601 date-time", parent, component) }
            guard let date = ISODateTime.parse(text) else { throw invalid(value, "ISO 8601 date-time", parent, component) }
            return (date as! T)
        }
        if T.self == UUID.self {
            guard case .string(let text) = value else { throw mismatch(value, "UUID", parent, component) }
            guard let uuid = UUID(uuidString: text) else { throw invalid(value, "UUID", parent, component) }
            return (uuid as! T)
        }
        if T.self == Data.self {
            guard case .string(let text) = value else { throw mismatch(value, "base64 text", parent, component) }
            guard let data = Data(base64Encoded: text) else { throw invalid(value, "base64 text", parent, component) }
            return (data as! T)
        }
        if T.self == URL.self {
            guard case .string(let text) = value else { throw mismatch(value, "URL", parent, component) }
            guard let url = URL(string: text) else { throw invalid(value, "URL", parent, component) }
            return (url as! T)
        }
        if T.self == Decimal.self {
            let decimal: Decimal?
            switch value {
            case .int(let integer): decimal = Decimal(integer)
            case .double(let number) where number.isFinite: decimal = Decimal(string: JSONSerializer.pythonRepr(number))
            default: throw mismatch(value, "number", parent, component)
            }
            guard let decimal else { throw invalid(value, "number", parent, component) }
            return (decimal as! T)
        }
        return nil
    }

    // MARK: Leaves

    @inline(__always)
    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, _ parent: JSONCodingPath,
                                              _ component: JSONCodingPath.Component?) throws -> T {
        switch value {
        case .int(let integer):
            if let result = T(exactly: integer) { return result }
        case .double(let number):
            if let result = T(exactly: number) { return result }
        default:
            break
        }
        throw mismatch(value, T.self == Int.self ? "int" : "\(T.self)", parent, component)
    }

    @inline(__always)
    static func double(_ value: JSONValue, _ parent: JSONCodingPath, _ component: JSONCodingPath.Component?) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let integer): return Double(integer)
        default: throw mismatch(value, "number", parent, component)
        }
    }

    // MARK: Errors (built only when thrown)

    static func text(_ parent: JSONCodingPath, _ component: JSONCodingPath.Component?) -> String {
        switch component {
        case nil: return parent.text
        case .key(let key)?: return parent.appending(key: key).text
        case .index(let index)?: return parent.appending(index: index).text
        }
    }

    static func mismatch(_ value: JSONValue, _ expected: String, _ parent: JSONCodingPath,
                         _ component: JSONCodingPath.Component?) -> JSONValueDecoderError {
        .typeMismatch(text(parent, component), expected: expected, seen: value)
    }

    static func invalid(_ value: JSONValue, _ expected: String, _ parent: JSONCodingPath,
                        _ component: JSONCodingPath.Component?) -> JSONValueDecoderError {
        .invalidValue(text(parent, component), expected: expected, seen: value)
    }

    static func missing(_ expected: String?, _ parent: JSONCodingPath, _ component: JSONCodingPath.Component?) -> JSONValueDecoderError {
        .missing(text(parent, component), expected: expected)
    }
}

final class ValueDecoder: Decoder {
    let value: JSONValue
    let parent: JSONCodingPath
    private let component: JSONCodingPath.Component?
    private var cachedPath: JSONCodingPath?

    init(value: JSONValue, parent: JSONCodingPath, component: JSONCodingPath.Component?) {
        self.value = value
        self.parent = parent
        self.component = component
    }

    /// Where this decoder reads; built on first use.
    var path: JSONCodingPath {
        if let cachedPath { return cachedPath }
        let path: JSONCodingPath
        switch component {
        case nil: path = parent
        case .key(let key)?: path = parent.appending(key: key)
        case .index(let index)?: path = parent.appending(index: index)
        }
        cachedPath = path
        return path
    }

    var codingPath: [any CodingKey] { path.codingKeys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw JSONValueDecoding.mismatch(value, "object", parent, component)
        }
        return KeyedDecodingContainer(KeyedValueDecodingContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw JSONValueDecoding.mismatch(value, "array", parent, component)
        }
        return UnkeyedValueDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw JSONValueDecoding.mismatch(value, "bool", parent, component) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw JSONValueDecoding.mismatch(value, "string", parent, component) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoding.double(value, parent, component) }
    func decode(_ type: Float.Type) throws -> Float { Float(try JSONValueDecoding.double(value, parent, component)) }
    func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoding.integer(type, value, parent, component) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoding.integer(type, value, parent, component) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let special = try JSONValueDecoding.special(type, from: value, at: parent, component) { return special }
        // Same position in the tree: the value reads straight from this decoder.
        return try T(from: self)
    }
}

struct KeyedValueDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ValueDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    /// The member for `key`: under its snake_case name when the tree uses snake_case keys, else
    /// (or when that is absent) under the key as written.
    @inline(__always)
    private func lookup(_ key: Key) -> JSONValue? {
        guard decoder.parent.snakeCaseKeys else { return object[key.stringValue] }
        let name = JSONKeyStrategy.snakeCase(key.stringValue)
        return object[name] ?? (name == key.stringValue ? nil : object[key.stringValue])
    }

    /// The member name `key` stands for, as errors and nested paths name it.
    @inline(__always)
    private func name(_ key: Key) -> String { decoder.parent.name(key) }

    @inline(__always)
    private func member(_ key: Key, _ expected: @autoclosure () -> String) throws -> JSONValue {
        guard let value = lookup(key) else {
            throw JSONValueDecoding.missing(expected(), decoder.path, .key(name(key)))
        }
        return value
    }

    @inline(__always)
    private func present(_ key: Key) -> JSONValue? {
        guard let value = lookup(key), !value.isNull else { return nil }
        return value
    }

    private func mismatch(_ value: JSONValue, _ expected: String, _ key: Key) -> JSONValueDecoderError {
        JSONValueDecoding.mismatch(value, expected, decoder.path, .key(name(key)))
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key, "value").isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let value = try member(key, "bool")
        guard case .bool(let flag) = value else { throw mismatch(value, "bool", key) }
        return flag
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let value = try member(key, "string")
        guard case .string(let text) = value else { throw mismatch(value, "string", key) }
        return text
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try JSONValueDecoding.double(try member(key, "number"), decoder.path, .key(name(key)))
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, forKey: key)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        let value = try member(key, T.self == Int.self ? "int" : "\(T.self)")
        return try JSONValueDecoding.integer(type, value, decoder.path, .key(name(key)))
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try member(key, JSONValueDecoderError.name(of: T.self))
        return try JSONValueDecoding.decode(type, from: value, at: decoder.path, .key(name(key)))
    }

    // One lookup for an optional member (the default implementations make three).

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(value, "string", key) }
        return text
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(value, "bool", key) }
        return flag
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.integer(type, value, decoder.path, .key(name(key)))
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.double(value, decoder.path, .key(name(key)))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.decode(type, from: value, at: decoder.path, .key(name(key)))
    }

    // Nesting

    private func child(_ key: Key, _ value: JSONValue) -> ValueDecoder {
        ValueDecoder(value: value, parent: decoder.path, component: .key(name(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key, try member(key, "object")).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key, try member(key, "array")).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: object["super"] ?? .null, parent: decoder.path, component: .key("super"))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        child(key, lookup(key) ?? .null)
    }
}

struct UnkeyedValueDecodingContainer: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: ValueDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private func next(_ expected: @autoclosure () -> String) throws -> JSONValue {
        guard currentIndex < elements.count else {
            throw JSONValueDecoding.missing(expected(), decoder.path, .index(currentIndex))
        }
        return elements[currentIndex]
    }

    private mutating func read<T>(_ expected: @autoclosure () -> String,
                                  _ body: (JSONValue, JSONCodingPath, JSONCodingPath.Component) throws -> T) throws -> T {
        let value = try next(expected())
        let result = try body(value, decoder.path, .index(currentIndex))
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard try next("value").isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        try read("bool") { value, path, component in try JSONValueDecoding.decode(type, from: value, at: path, component) }
    }

    mutating func decode(_ type: String.Type) throws -> String {
        try read("string") { value, path, component in try JSONValueDecoding.decode(type, from: value, at: path, component) }
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        try read("number") { value, path, component in try JSONValueDecoding.double(value, path, component) }
    }

    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try read(T.self == Int.self ? "int" : "\(T.self)") { value, path, component in
            try JSONValueDecoding.integer(type, value, path, component)
        }
    }

    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try read(JSONValueDecoderError.name(of: T.self)) { value, path, component in
            try JSONValueDecoding.decode(type, from: value, at: path, component)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try read("object") { value, path, component in
            try ValueDecoder(value: value, parent: path, component: component).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try read("array") { value, path, component in
            try ValueDecoder(value: value, parent: path, component: component).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        try read("value") { value, path, component in ValueDecoder(value: value, parent: path, component: component) }
    }
}
