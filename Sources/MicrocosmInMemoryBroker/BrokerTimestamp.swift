#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

/// The two ways SNS and SQS write times: ISO 8601 UTC with milliseconds (the envelope's
/// `Timestamp`) and milliseconds since the epoch (`SentTimestamp`). Written by hand: a
/// `DateFormatter` per publish would cost more than the rest of the broker's work.
enum BrokerTimestamp {
    /// Whole milliseconds since the epoch (rounded down, as moto's `unix_time_millis`).
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// `2021-02-16T21:41:19.978Z`.
    static func iso8601(_ date: Date) -> String {
        let milliseconds = milliseconds(date)
        var days = milliseconds / 86_400_000
        var inDay = milliseconds % 86_400_000
        if inDay < 0 {
            inDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = CivilDate.civil(fromDays: days)

        return String(unsafeUninitializedCapacity: 24) { buffer in
            var position = 0
            func put(_ value: Int64, digits: Int) {
                var value = value
                for index in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[position + index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                position += digits
            }
            func put(_ character: Unicode.Scalar) {
                buffer[position] = UInt8(ascii: character)
                position += 1
            }
            put(year, digits: 4)
            put("-")
            put(month, digits: 2)
            put("-")
            put(day, digits: 2)
            put("T")
            put(inDay / 3_600_000, digits: 2)
            put(":")
            put(inDay / 60_000 % 60, digits: 2)
            put(":")
            put(inDay / 1000 % 60, digits: 2)
            put(".")
            put(inDay % 1000, digits: 3)
            put("Z")
            return position
        }
    }
}
