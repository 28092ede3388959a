import Microcosm
import MicrocosmJSON

/// Message fields (or opaque data) given as ordinary Swift values: what `produce`, the deferred
/// producers and the test expectations accept besides ``JSONObject``.
///
/// Each value is encoded as message content is (``PubSubWire/encoder``): numbers, strings and
/// bools as themselves, `nil` optionals as `null`, arrays and dictionaries as JSON arrays and
/// objects, dates as ISO 8601 text as marshmallow's `DateTime` writes them
/// (`2026-11-29T13:59:25.420000+00:00`; no fraction for whole seconds; UTC), UUIDs in lower case,
/// and any other `Encodable` as its fields, property names in snake_case. The fields are written
/// sorted by key (a Swift dictionary has no order; typed schemas write their own order anyway).
///
/// ```swift
/// let amount = 12.5, status = "paid"
/// try await producer.produce(.changed("Order"), ["field_name": "status", "new_value": status], uri: uri)
/// try await producer.produce(.created("Payment"), ["amount": amount, "paid_at": Date.now], uri: uri)
/// ```
public typealias MessageFields = [String: any Encodable]

extension PubSubWire {
    /// `fields` as a JSON object, keys sorted, each value encoded as message content is.
    ///
    /// Throws ``PubSubMessageError/encodingFailed(_:_:)`` naming `mediaType` and the field when a
    /// value cannot be encoded (a date outside the years 1...9999, an integer above `Int.max`).
    public static func object(_ fields: MessageFields, mediaType: MediaType) throws(PubSubMessageError) -> JSONObject {
        var object = JSONObject()
        for key in fields.keys.sorted() {
            do {
                object[key] = try encode(fields[key]!)
            } catch EncodingError.invalidValue(let value, let context) {
                let path: [any CodingKey] = [FieldKey(stringValue: key)] + context.codingPath
                throw .encodingFailed(mediaType, EncodingError.invalidValue(value, EncodingError.Context(
                    codingPath: path, debugDescription: context.debugDescription, underlyingError: context.underlyingError)))
            } catch {
                throw .encodingFailed(mediaType, error)
            }
        }
        return object
    }

    /// `value` encoded as message content is (an opened existential).
    private static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        try encoder.encode(value)
    }
}

/// The name of a field of ``MessageFields``, at the head of an encoding error's path.
private struct FieldKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
