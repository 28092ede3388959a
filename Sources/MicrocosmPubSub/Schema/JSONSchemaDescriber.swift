#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

/// Describes a `Decodable` type as JSON Schema by running its `init(from:)` against a decoder that
/// answers every request with a placeholder and records what was asked: the keys (named on the
/// wire by the key strategy), which of them were read with `decodeIfPresent` or looked for with
/// `contains` (optional), nested objects, arrays, string-keyed dictionaries, the leaves
/// (`String`, integers, floating point, `Bool`, `Date`, `UUID`, `URL`, `Data`, `Decimal`,
/// ``JSONValue``, ``JSONObject``) and `CaseIterable` raw-value enums with their values.
///
/// What an `init(from:)` does not ask for is not seen: a branch it does not take, keys it reads by
/// iterating `allKeys`. When it throws on a placeholder (a check on the value, an enum without
/// `CaseIterable`, a recursive type), the parts it stopped in say so in a `$comment` that starts
/// with `incomplete:`.
enum JSONSchemaDescriber {
    /// The JSON Schema of `type`'s values, its keys named by `keyStrategy`.
    static func describe<T: Decodable>(_ type: T.Type, keyStrategy: JSONKeyStrategy = .snakeCase) -> JSONValue {
        let context = Context(keyStrategy: keyStrategy)
        let root = Node()
        do {
            _ = try context.describe(T.self, into: root)
        } catch {
            root.markIncomplete(error)
        }
        return root.schema
    }

    /// What one value was seen to be.
    final class Node {
        enum Shape {
            case unknown
            case leaf(JSONObject)
            case object
            case array(Node)
            case dictionary(Node)
        }

        var shape = Shape.unknown
        /// An object's properties, by wire name, in the order they were first asked for.
        private(set) var properties: [(name: String, node: Node)] = []
        private(set) var required: Set<String> = []
        /// Keys looked for with `contains` or `decodeNil`: optional whatever reads them next.
        private var optional: Set<String> = []
        private var incomplete: String?

        /// The property `name`, made on first use; `required` unless it was seen as optional.
        func property(_ name: String, required isRequired: Bool) -> Node {
            if case .unknown = shape { shape = .object }
            if isRequired, !optional.contains(name) { required.insert(name) }
            if let found = properties.first(where: { $0.name == name }) { return found.node }
            let node = Node()
            properties.append((name, node))
            return node
        }

        func markOptional(_ name: String) {
            optional.insert(name)
            required.remove(name)
        }

        /// The node of an array's items, made on first use.
        func items() -> Node {
            if case .array(let items) = shape { return items }
            let items = Node()
            shape = .array(items)
            return items
        }

        func setLeaf(_ schema: JSONObject) {
            if case .leaf(let existing) = shape, existing != schema {
                shape = .leaf([:])   // read as two different things: say nothing about its type
            } else {
                shape = .leaf(schema)
            }
        }

        func markIncomplete(_ error: any Error) {
            guard incomplete == nil else { return }
            incomplete = "incomplete: " + JSONSchemaDescriber.describe(error)
        }

        var schema: JSONValue {
            var schema: JSONObject
            switch shape {
            case .unknown:
                schema = [:]
            case .leaf(let leaf):
                schema = leaf
            case .object:
                schema = ["type": "object"]
                if !properties.isEmpty {
                    schema["properties"] = .object(JSONObject(properties.map { ($0.name, $0.node.schema) }))
                }
                if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
            case .array(let items):
                schema = ["type": "array", "items": items.schema]
            case .dictionary(let values):
                schema = ["type": "object", "additionalProperties": values.schema]
            }
            if let incomplete { schema["$comment"] = .string(incomplete) }
            return .object(schema)
        }
    }

    /// Stops a description: a type met again inside itself.
    struct Recursion: Error, CustomStringConvertible {
        let type: String
        var description: String { "\(type) contains itself; its inner values are not described" }
    }

    /// The key strategy and the types being described (to stop at recursion).
    final class Context {
        let keyStrategy: JSONKeyStrategy
        private var stack: [ObjectIdentifier] = []

        init(keyStrategy: JSONKeyStrategy) { self.keyStrategy = keyStrategy }

        func wireName(_ key: any CodingKey) -> String {
            keyStrategy == .snakeCase ? JSONKeyStrategy.snakeCase(key.stringValue) : key.stringValue
        }

        /// Describes `T` into `node` and returns a placeholder value of it.
        func describe<T: Decodable>(_ type: T.Type, into node: Node) throws -> T {
            if let (schema, value) = JSONSchemaDescriber.leaf(T.self) {
                node.setLeaf(schema)
                return value as! T
            }
            if let enumType = T.self as? any (CaseIterable & RawRepresentable).Type,
               let (schema, first) = JSONSchemaDescriber.cases(of: enumType), let value = first as? T {
                node.setLeaf(schema)
                return value
            }
            if let dictionaryType = T.self as? any DescribableDictionary.Type {
                let values: Node
                if case .dictionary(let existing) = node.shape { values = existing } else { values = Node() }
                node.shape = .dictionary(values)
                return try dictionaryType.describeValues(into: values, context: self) as! T
            }
            let identifier = ObjectIdentifier(T.self)
            if stack.contains(identifier) { throw Recursion(type: String(describing: T.self)) }
            stack.append(identifier)
            defer { stack.removeLast() }
            do {
                return try T(from: DescribingDecoder(node: node, context: self))
            } catch {
                node.markIncomplete(error)
                throw error
            }
        }
    }

    /// The leaves: their schema and a placeholder.
    static func leaf<T>(_ type: T.Type) -> (JSONObject, Any)? {
        switch type {
        case is String.Type: return (["type": "string"], "")
        case is Bool.Type: return (["type": "boolean"], false)
        case is Int.Type: return (["type": "integer"], 0 as Int)
        case is Int8.Type: return (["type": "integer"], 0 as Int8)
        case is Int16.Type: return (["type": "integer"], 0 as Int16)
        case is Int32.Type: return (["type": "integer"], 0 as Int32)
        case is Int64.Type: return (["type": "integer"], 0 as Int64)
        case is UInt.Type: return (["type": "integer"], 0 as UInt)
        case is UInt8.Type: return (["type": "integer"], 0 as UInt8)
        case is UInt16.Type: return (["type": "integer"], 0 as UInt16)
        case is UInt32.Type: return (["type": "integer"], 0 as UInt32)
        case is UInt64.Type: return (["type": "integer"], 0 as UInt64)
        case is Double.Type: return (["type": "number"], 0 as Double)
        case is Float.Type: return (["type": "number"], 0 as Float)
        case is Decimal.Type: return (["type": "number"], Decimal(0))
        case is Date.Type: return (["type": "string", "format": "date-time"], Date(timeIntervalSince1970: 0))
        case is UUID.Type: return (["type": "string", "format": "uuid"], UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        case is URL.Type: return (["type": "string", "format": "uri"], URL(string: "http://localhost")!)
        case is Data.Type: return (["type": "string", "contentEncoding": "base64"], Data())
        case is JSONValue.Type: return ([:], JSONValue.null)
        case is JSONObject.Type: return (["type": "object"], JSONObject())
        default: return nil
        }
    }

    /// A raw-value enum's schema (its values, in declaration order) and its first case.
    static func cases<E: CaseIterable & RawRepresentable>(of type: E.Type) -> (JSONObject, Any)? {
        guard let first = E.allCases.first else { return nil }
        let raws = E.allCases.map(\.rawValue)
        if let strings = raws as? [String] {
            return (["type": "string", "enum": .array(strings.map(JSONValue.string))], first)
        }
        if let integers = raws as? [Int] {
            return (["type": "integer", "enum": .array(integers.map(JSONValue.int))], first)
        }
        return nil
    }

    /// One line for what stopped a description.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as Recursion:
            return error.description
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "init(from:) threw" + (path.isEmpty ? "" : " at '\(path)'") + ": \(context.debugDescription)"
        default:
            return "init(from:) threw: \(error)"
        }
    }
}

/// A string-keyed dictionary: its values are described as `additionalProperties`.
protocol DescribableDictionary {
    static func describeValues(into node: JSONSchemaDescriber.Node, context: JSONSchemaDescriber.Context) throws -> Any
}

extension Dictionary: DescribableDictionary where Key == String, Value: Decodable {
    static func describeValues(into node: JSONSchemaDescriber.Node, context: JSONSchemaDescriber.Context) throws -> Any {
        _ = try context.describe(Value.self, into: node)
        return [String: Value]()
    }
}
