/// Message ids, subscription ids and receipt-handle parts for the in-memory broker, from a fast
/// generator (xoshiro256**) seeded once from the system, so an id costs no system call.
struct BrokerIdentifiers {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A random (version 4) UUID in lower case, as AWS writes message ids.
    mutating func uuid() -> String {
        let high = (next() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000
        let low = (next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, nibbles: Int, from shift: Int) {
                for index in 0..<nibbles {
                    buffer[position] = Self.digits[Int((value >> UInt64(shift - 4 * index)) & 0xf)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high, nibbles: 8, from: 60)
            dash()
            put(high, nibbles: 4, from: 28)
            dash()
            put(high, nibbles: 4, from: 12)
            dash()
            put(low, nibbles: 4, from: 60)
            dash()
            put(low, nibbles: 12, from: 44)
            return position
        }
    }

    /// 32 lower-case hex digits: 16 for `high`, then 16 for `low`.
    static func hex(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                buffer[index] = digits[Int((high >> shift) & 0xf)]
                buffer[16 + index] = digits[Int((low >> shift) & 0xf)]
            }
            return 32
        }
    }

    /// The value of 16 hex digits, nil for anything else.
    static func parseHex(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count == 16 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
