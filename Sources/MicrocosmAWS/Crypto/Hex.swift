/// Lower-case hexadecimal encoding of bytes, and decoding back.
///
/// ```swift
/// Hex.encode([0xde, 0xad, 0xbe, 0xef])   // "deadbeef"
/// Hex.decode("DEADbeef")                 // [0xde, 0xad, 0xbe, 0xef]
/// Hex.decode("abc")                      // nil (odd length)
/// ```
package enum Hex {
    private static let digits: StaticString = "0123456789abcdef"

    /// The bytes as lower-case hexadecimal, two characters per byte.
    package static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        guard !bytes.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            digits.withUTF8Buffer { digits in
                var position = 0
                for byte in bytes {
                    output[position] = digits[Int(byte >> 4)]
                    output[position + 1] = digits[Int(byte & 0x0f)]
                    position += 2
                }
            }
            return bytes.count * 2
        }
    }

    /// Appends the bytes as lower-case hexadecimal to `output`.
    static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        output.withUnsafeMutableBufferPointer { output in
            digits.withUTF8Buffer { digits in
                var position = start
                for byte in bytes {
                    output[position] = digits[Int(byte >> 4)]
                    output[position + 1] = digits[Int(byte & 0x0f)]
                    position += 2
                }
            }
        }
    }

    /// The bytes as lower-case hexadecimal, two characters per byte.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// The bytes that `text` spells in hexadecimal (either case); nil when `text` is not an even run of hex digits.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
