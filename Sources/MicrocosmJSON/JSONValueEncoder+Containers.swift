#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The machinery behind ``JSONValueEncoder``: an `Encoder` that builds ``JSONValue`` in place.
///
/// Objects are built directly in a ``JSONObject`` held by a box the containers share, so each
/// member is one insertion (no dictionary is copied or rebuilt per field). Nested containers asked
/// for by key (`nestedContainer`, `superEncoder`) get a placeholder in the parent that is filled
/// when the parent finishes, so members keep the order they were first written in.
enum JSONValueEncoding {
    static func encode<T: Encodable>(_ value: T, at parent: JSONCodingPath, _ component: JSONCodingPath.Component? = nil) throws -> JSONValue {
        if let special = try special(value, at: parent, component) { return special }
        let encoder = ValueEncoder(parent: parent, component: component)
        try value.encode(to: encoder)
        return encoder.finish()
    }

    /// The types written in a fixed way rather than through their own `encode(to:)` (and the
    /// common leaves, so an array of strings needs no encoder per element).
    @inline(__always)
    static func special<T: Encodable>(_ value: T, at parent: JSONCodingPath, _ component: JSONCodingPath.Component?) throws -> JSONValue? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .int(value as! Int) }
        if T.self == Double.self { return .double(value as! Double) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == JSONValue.self { return (value as! JSONValue) }
        if T.self == JSONObject.self { return .object(value as! JSONObject) }
        if T.self == Date.self {
            guard let text = ISODateTime.format(value as! Date) else {
                throw EncodingError.invalidValue(value, context(parent, component, "\(value) is outside the years 1...9999"))
            }
            return .string(text)
        }
        if T.self == UUID.self { return .string((value as! UUID).uuidString.lowercased()) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if parent.snakeCaseKeys, let dictionary = value as? any JSONStringKeyedDictionary {
            // A dictionary's keys are data, not property names: written as they are, sorted.
            return .object(try dictionary.encodeMembers(at: path(parent, component)))
        }
        if T.self == Decimal.self {
            let text = (value as! Decimal).description
            if let integer = Int(text) { return .int(integer) }
            return .double(Double(text) ?? .nan)
        }
        return nil
    }

    static func context(_ parent: JSONCodingPath, _ component: JSONCodingPath.Component?, _ description: String) -> EncodingError.Context {
        EncodingError.Context(codingPath: path(parent, component).codingKeys, debugDescription: description)
    }

    static func path(_ parent: JSONCodingPath, _ component: JSONCodingPath.Component?) -> JSONCodingPath {
        switch component {
        case nil: return parent
        case .key(let key)?: return parent.appending(key: key)
        case .index(let index)?: return parent.appending(index: index)
        }
    }

    static func integer<T: BinaryInteger>(_ value: T, at parent: JSONCodingPath, _ component: JSONCodingPath.Component?) throws -> JSONValue {
        guard let integer = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, context(parent, component, "\(T.self) \(value) does not fit a JSON integer (Int)"))
        }
        return .int(integer)
    }

    static func float(_ value: Float) -> JSONValue {
        // The Float's own shortest text, read as a Double: 0.1 stays 0.1 on the wire.
        .double(Double(value.description) ?? Double(value))
    }
}

/// A container's storage, shared by reference with the encoder that made it.
final class ObjectBox {
    var object = JSONObject()
    var pending: [(key: String, value: PendingValue)] = []

    func finish() -> JSONObject {
        for (key, value) in pending { object[key] = value.finish() }
        pending = []
        return object
    }
}

final class ArrayBox {
    var elements: [JSONValue] = []
    var pending: [(index: Int, value: PendingValue)] = []

    func finish() -> [JSONValue] {
        for (index, value) in pending { elements[index] = value.finish() }
        pending = []
        return elements
    }
}

/// A nested container or encoder whose value is known only when its parent finishes.
enum PendingValue {
    case object(ObjectBox)
    case array(ArrayBox)
    case encoder(ValueEncoder)

    func finish() -> JSONValue {
        switch self {
        case .object(let box): return .object(box.finish())
        case .array(let box): return .array(box.finish())
        case .encoder(let encoder): return encoder.finish()
        }
    }
}

final class ValueEncoder: Encoder {
    private enum Storage {
        case empty
        case value(JSONValue)
        case object(ObjectBox)
        case array(ArrayBox)
    }

    let parent: JSONCodingPath
    private let component: JSONCodingPath.Component?
    private var storage = Storage.empty
    private var cachedPath: JSONCodingPath?

    init(parent: JSONCodingPath, component: JSONCodingPath.Component?) {
        self.parent = parent
        self.component = component
    }

    /// Where this encoder writes; built on first use.
    var path: JSONCodingPath {
        if let cachedPath { return cachedPath }
        let path = JSONValueEncoding.path(parent, component)
        cachedPath = path
        return path
    }

    var codingPath: [any CodingKey] { path.codingKeys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = storage {
            box = existing
        } else {
            box = ObjectBox()
            storage = .object(box)
        }
        return KeyedEncodingContainer(KeyedValueEncodingContainer<Key>(encoder: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = storage {
            box = existing
        } else {
            box = ArrayBox()
            storage = .array(box)
        }
        return UnkeyedValueEncodingContainer(encoder: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// The value written; an empty object when nothing was.
    func finish() -> JSONValue {
        switch storage {
        case .empty: return .object(JSONObject())
        case .value(let value): return value
        case .object(let box): return .object(box.finish())
        case .array(let box): return .array(box.finish())
        }
    }

    fileprivate func set(_ value: JSONValue) { storage = .value(value) }
}

extension ValueEncoder: SingleValueEncodingContainer {
    func encodeNil() { set(.null) }
    func encode(_ value: Bool) { set(.bool(value)) }
    func encode(_ value: String) { set(.string(value)) }
    func encode(_ value: Double) { set(.double(value)) }
    func encode(_ value: Float) { set(JSONValueEncoding.float(value)) }
    func encode(_ value: Int) { set(.int(value)) }
    func encode(_ value: Int8) { set(.int(Int(value))) }
    func encode(_ value: Int16) { set(.int(Int(value))) }
    func encode(_ value: Int32) { set(.int(Int(value))) }
    func encode(_ value: Int64) { set(.int(Int(value))) }
    func encode(_ value: UInt) throws { set(try JSONValueEncoding.integer(value, at: path, nil)) }
    func encode(_ value: UInt8) { set(.int(Int(value))) }
    func encode(_ value: UInt16) { set(.int(Int(value))) }
    func encode(_ value: UInt32) { set(.int(Int(value))) }
    func encode(_ value: UInt64) throws { set(try JSONValueEncoding.integer(value, at: path, nil)) }

    func encode<T: Encodable>(_ value: T) throws {
        if let special = try JSONValueEncoding.special(value, at: path, nil) {
            set(special)
        } else {
            // Same position in the tree: the value writes straight into this encoder.
            try value.encode(to: self)
        }
    }
}

struct KeyedValueEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    let box: ObjectBox

    var codingPath: [any CodingKey] { encoder.codingPath }

    /// The member name written for `key` (snake_case when the tree uses snake_case keys).
    @inline(__always)
    private func name(_ key: Key) -> String { encoder.parent.name(key) }

    private func put(_ value: JSONValue, _ key: Key) { box.object[name(key)] = value }

    mutating func encodeNil(forKey key: Key) { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) { put(JSONValueEncoding.float(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) { put(.int(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        put(try JSONValueEncoding.integer(value, at: encoder.path, .key(name(key))), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { put(.int(Int(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        put(try JSONValueEncoding.integer(value, at: encoder.path, .key(name(key))), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(try JSONValueEncoding.encode(value, at: encoder.path, .key(name(key))), key)
    }

    private func placeholder(_ value: PendingValue, _ key: Key) {
        box.object[name(key)] = .null
        box.pending.append((name(key), value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueEncoder(parent: encoder.path, component: .key(name(key)))
        let nested = ObjectBox()
        placeholder(.object(nested), key)
        return KeyedEncodingContainer(KeyedValueEncodingContainer<NestedKey>(encoder: child, box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = ValueEncoder(parent: encoder.path, component: .key(name(key)))
        let nested = ArrayBox()
        placeholder(.array(nested), key)
        return UnkeyedValueEncodingContainer(encoder: child, box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(parent: encoder.path, component: .key("super"))
        box.object["super"] = .null
        box.pending.append(("super", .encoder(child)))
        return child
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = ValueEncoder(parent: encoder.path, component: .key(name(key)))
        placeholder(.encoder(child), key)
        return child
    }
}

struct UnkeyedValueEncodingContainer: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    let box: ArrayBox

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { box.elements.count }

    private func append(_ value: JSONValue) { box.elements.append(value) }

    mutating func encodeNil() { append(.null) }
    mutating func encode(_ value: Bool) { append(.bool(value)) }
    mutating func encode(_ value: String) { append(.string(value)) }
    mutating func encode(_ value: Double) { append(.double(value)) }
    mutating func encode(_ value: Float) { append(JSONValueEncoding.float(value)) }
    mutating func encode(_ value: Int) { append(.int(value)) }
    mutating func encode(_ value: Int8) { append(.int(Int(value))) }
    mutating func encode(_ value: Int16) { append(.int(Int(value))) }
    mutating func encode(_ value: Int32) { append(.int(Int(value))) }
    mutating func encode(_ value: Int64) { append(.int(Int(value))) }
    mutating func encode(_ value: UInt) throws { append(try JSONValueEncoding.integer(value, at: encoder.path, .index(count))) }
    mutating func encode(_ value: UInt8) { append(.int(Int(value))) }
    mutating func encode(_ value: UInt16) { append(.int(Int(value))) }
    mutating func encode(_ value: UInt32) { append(.int(Int(value))) }
    mutating func encode(_ value: UInt64) throws { append(try JSONValueEncoding.integer(value, at: encoder.path, .index(count))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try JSONValueEncoding.encode(value, at: encoder.path, .index(count)))
    }

    private func placeholder(_ value: PendingValue) {
        box.pending.append((box.elements.count, value))
        box.elements.append(.null)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueEncoder(parent: encoder.path, component: .index(count))
        let nested = ObjectBox()
        placeholder(.object(nested))
        return KeyedEncodingContainer(KeyedValueEncodingContainer<NestedKey>(encoder: child, box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = ValueEncoder(parent: encoder.path, component: .index(count))
        let nested = ArrayBox()
        placeholder(.array(nested))
        return UnkeyedValueEncodingContainer(encoder: child, box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let child = ValueEncoder(parent: encoder.path, component: .index(count))
        placeholder(.encoder(child))
        return child
    }
}

/// `[String: V]` dictionaries, whose keys ``JSONKeyStrategy/snakeCase`` leaves alone.
protocol JSONStringKeyedDictionary {
    func encodeMembers(at path: JSONCodingPath) throws -> JSONObject
}

extension Dictionary: JSONStringKeyedDictionary where Key == String, Value: Encodable {
    func encodeMembers(at path: JSONCodingPath) throws -> JSONObject {
        var object = JSONObject()
        for key in keys.sorted() {
            object[key] = try JSONValueEncoding.encode(self[key]!, at: path, .key(key))
        }
        return object
    }
}
