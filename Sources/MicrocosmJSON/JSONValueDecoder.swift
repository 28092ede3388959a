#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes `Decodable` values from ``JSONValue``; errors name the field path and the types.
///
/// The counterpart of ``JSONValueEncoder``:
/// - `Date` from ISO 8601 text in its common forms (`2026-11-29T13:59:25.420000+00:00`,
///   `...25.42Z`, `...25`, `2026-11-29 13:59`, `2026-11-29`); text without a zone is UTC.
/// - `UUID` from text in either case, `Data` from base64, `URL` from its string.
/// - Integers from JSON integers, or from numbers with no fraction (`1.0`), within the type's range.
/// - `Double`/`Float` from any JSON number. `Bool` and `String` only from their own JSON types.
/// - Members the type does not ask for are ignored; an absent or null member reads as `nil`
///   for an optional property.
///
/// ```swift
/// struct Thing: Codable { var uri: String; var count: Int? }
/// let thing = try JSONValueDecoder().decode(Thing.self, from: ["uri": "http://things/1"])
/// // ["uri": 5] throws: field 'uri': expected string, got int 5
/// ```
public struct JSONValueDecoder: Sendable {
    /// How coding keys are named in the input (``JSONKeyStrategy``).
    public var keyStrategy: JSONKeyStrategy

    /// A decoder; `keyStrategy` `.snakeCase` reads properties from their snake_case names (or,
    /// when absent, from the names as written).
    public init(keyStrategy: JSONKeyStrategy = .asWritten) {
        self.keyStrategy = keyStrategy
    }

    /// Decodes `type` from `value`.
    ///
    /// Throws ``JSONValueDecoderError`` (a `DecodingError` thrown by some `init(from:)` is turned
    /// into one), or whatever else an `init(from:)` throws.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: JSONValue) throws -> T {
        do {
            return try JSONValueDecoding.decode(type, from: value, at: .root(keyStrategy), nil)
        } catch let error as DecodingError {
            throw JSONValueDecoderError(error)
        }
    }
}
