/// How ``JSONValueEncoder`` writes and ``JSONValueDecoder`` reads the names of coding keys.
///
/// With ``snakeCase`` a key is written in snake_case, as Python's fields are named: each ASCII
/// capital letter that starts a word becomes `_` and the lower-case letter (`shippedAt` ->
/// `shipped_at`, `orderID` -> `order_id`, `httpURLValue` -> `http_url_value`, `line2Text` ->
/// `line2_text`). A key with no capital letter (`uri`, `shipped_at`, `x-request-id`) is written
/// as it is, so `CodingKeys` with snake_case raw values override the conversion. Reading looks
/// for the snake_case name first, then the key as written. Keys of dictionaries (`[String: V]`,
/// ``JSONObject``) are data, not property names, and are never converted.
///
/// ```swift
/// struct Shipped: Codable { var uri: String; var shippedAt: Date }
/// try JSONValueEncoder(keyStrategy: .snakeCase).encode(shipped)   // {"uri": ..., "shipped_at": ...}
/// ```
public enum JSONKeyStrategy: Sendable, Hashable {
    /// Keys as the coding keys spell them (Swift's property names, or the `CodingKeys` raw values).
    case asWritten
    /// Keys in snake_case (what pubsub messages use).
    case snakeCase

    /// `key` in snake_case: `shippedAt` -> `shipped_at`, `orderID` -> `order_id`; a key without
    /// ASCII capitals is returned as it is.
    public static func snakeCase(_ key: String) -> String {
        let utf8 = key.utf8
        guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return key }
        let bytes = Array(utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 4)
        for (index, byte) in bytes.enumerated() {
            guard byte >= 0x41 && byte <= 0x5A else {
                result.append(byte)
                continue
            }
            if index > 0 {
                let previous = bytes[index - 1]
                let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
                let previousIsUpper = previous >= 0x41 && previous <= 0x5A
                let previousIsLowerOrDigit = (previous >= 0x61 && previous <= 0x7A) || (previous >= 0x30 && previous <= 0x39)
                let nextIsLower = next.map { $0 >= 0x61 && $0 <= 0x7A } ?? false
                // "aB" / "1B": a new word; "ABc": the last capital of a run starts the next word.
                if previousIsLowerOrDigit || (previousIsUpper && nextIsLower) { result.append(0x5F) }
            }
            result.append(byte + 0x20)
        }
        return String(decoding: result, as: UTF8.self)
    }
}
