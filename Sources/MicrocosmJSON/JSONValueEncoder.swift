#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes `Encodable` values as ``JSONValue``, keeping object keys in the order `encode(to:)`
/// writes them.
///
/// Synthesized `Codable` writes properties in declaration order, so a struct comes out with its
/// fields in the order it declares them, which is how marshmallow writes a schema's fields.
/// Values Python writes its own way are written as Python writes them:
/// - `Date`: `datetime.isoformat()` of an aware UTC datetime, `2026-11-29T13:59:25.420000+00:00`
///   (no fraction for whole seconds); years 1...9999, as Python's `datetime`.
/// - `UUID`: lower-case text, as `str(uuid)`. `Data`: base64. `URL`: its absolute string.
/// - `Float`: the shortest decimal that reads back as the same `Float` (`0.1`, not `0.100000001`).
/// - `nil` optionals are left out (synthesized code calls `encodeIfPresent`).
/// ``JSONValue`` and ``JSONObject`` members are written as they are.
///
/// ```swift
/// struct Thing: Codable { var uri: String; var count: Int?; var tags: [String] }
/// let value = try JSONValueEncoder().encode(Thing(uri: "http://things/1", count: nil, tags: ["a"]))
/// JSONSerializer.python.string(value)   // {"uri": "http://things/1", "tags": ["a"]}
/// ```
public struct JSONValueEncoder: Sendable {
    /// How coding keys are named in the output (``JSONKeyStrategy``).
    public var keyStrategy: JSONKeyStrategy

    /// An encoder; `keyStrategy` `.snakeCase` writes property names in snake_case.
    public init(keyStrategy: JSONKeyStrategy = .asWritten) {
        self.keyStrategy = keyStrategy
    }

    /// The JSON value of `value`.
    ///
    /// Throws `EncodingError.invalidValue` (naming the key path) for values JSON cannot hold here:
    /// integers above `Int.max`, dates outside the years 1...9999; and whatever `encode(to:)` throws.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoding.encode(value, at: .root(keyStrategy))
    }

    /// The JSON object `value` encodes to; throws `EncodingError.invalidValue` when it is not an object.
    ///
    /// ```swift
    /// let fields = try JSONValueEncoder().encodeObject(URIMessage(uri: "http://things/1"))   // ["uri": ...]
    /// ```
    public func encodeObject<T: Encodable>(_ value: T) throws -> JSONObject {
        let encoded = try encode(value)
        guard case .object(let object) = encoded else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: [], debugDescription: "\(T.self) encodes to \(encoded.typeName), not an object"))
        }
        return object
    }
}
