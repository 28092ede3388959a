#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ISODateTime {
    /// Reads the common ISO 8601 forms, as Python's `datetime.fromisoformat` does:
    ///
    /// `2026-11-29`, `2026-11-29T13:59`, `2026-11-29T13:59:25`, `2026-11-29 13:59:25.42`, with any
    /// number of fraction digits (`.` or `,`; digits past the microsecond are dropped, as Python
    /// drops them), and a zone of `Z`, `+00:00`, `+0000`, `+00` or none. Text without a zone is
    /// taken as UTC. Nil when the text is not such a date.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.date()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard !atEnd, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func number(digits count: Int) -> Int64? {
            guard bytes.count - index >= count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }

        mutating func date() -> Date? {
            guard let year = number(digits: 4), take(UInt8(ascii: "-")),
                  let month = number(digits: 2), take(UInt8(ascii: "-")),
                  let day = number(digits: 2) else { return nil }
            guard year >= 1, (1...12).contains(month), day >= 1, day <= ISODateTime.daysIn(month: month, year: year) else {
                return nil
            }
            var seconds = CivilDate.days(fromYear: year, month: month, day: day) * 86_400
            var microseconds: Int64 = 0
            if !atEnd {
                guard take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || take(UInt8(ascii: " ")) else { return nil }
                guard let hour = number(digits: 2), take(UInt8(ascii: ":")), let minute = number(digits: 2),
                      hour < 24, minute < 60 else { return nil }
                seconds += hour * 3600 + minute * 60
                if take(UInt8(ascii: ":")) {
                    guard let second = number(digits: 2), second < 60 else { return nil }
                    seconds += second
                    if take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) {
                        guard let fraction = fraction() else { return nil }
                        microseconds = fraction
                    }
                }
                guard let offset = zoneOffset() else { return nil }
                seconds -= offset
            }
            guard atEnd else { return nil }
            return Date(timeIntervalSince1970: Double(seconds) + Double(microseconds) / 1e6)
        }

        /// Fraction digits as microseconds (digits past the sixth are read and dropped).
        mutating func fraction() -> Int64? {
            var microseconds: Int64 = 0
            var count = 0
            while !atEnd, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if count < 6 { microseconds = microseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 6) { microseconds *= 10 }
            return microseconds
        }

        /// Seconds east of UTC; zero for `Z` or no zone.
        mutating func zoneOffset() -> Int64? {
            if atEnd { return 0 }
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
            let sign: Int64
            if take(UInt8(ascii: "+")) {
                sign = 1
            } else if take(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = number(digits: 2), hours < 24 else { return nil }
            var offset = hours * 3600
            if !atEnd {
                let colon = take(UInt8(ascii: ":"))
                guard let minutes = number(digits: 2), minutes < 60 else { return nil }
                offset += minutes * 60
                if colon ? take(UInt8(ascii: ":")) : !atEnd {
                    guard let seconds = number(digits: 2), seconds < 60 else { return nil }
                    offset += seconds
                }
            }
            return sign * offset
        }
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
