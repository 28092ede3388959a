import Foundation

/// A signing time as SigV4 writes it: `20150830T123600Z` (UTC, whole seconds) and its date `20150830`.
struct SigV4Timestamp: Sendable, Hashable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `X-Amz-Date` value.
    let amzDate: String
    /// `yyyyMMdd`, the first part of the credential scope.
    let dateStamp: String

    /// The UTC calendar time of `date`, fractional seconds dropped (as botocore's `strftime` does).
    init(_ date: Date) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let dayNumber = secondOfDay < 0 ? days - 1 : days
        let second = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
        let (year, month, day) = SigV4Timestamp.civilDate(daysSinceEpoch: dayNumber)
        var text: [UInt8] = []
        text.reserveCapacity(20)
        SigV4Timestamp.append(year, width: 4, to: &text)
        SigV4Timestamp.append(month, width: 2, to: &text)
        SigV4Timestamp.append(day, width: 2, to: &text)
        dateStamp = String(decoding: text, as: UTF8.self)
        text.append(UInt8(ascii: "T"))
        SigV4Timestamp.append(second / 3600, width: 2, to: &text)
        SigV4Timestamp.append(second % 3600 / 60, width: 2, to: &text)
        SigV4Timestamp.append(second % 60, width: 2, to: &text)
        text.append(UInt8(ascii: "Z"))
        amzDate = String(decoding: text, as: UTF8.self)
    }

    /// Year, month and day of the proleptic Gregorian calendar for a day count from 1970-01-01
    /// (the "civil from days" algorithm, with 400-year eras).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (years beyond 9999 keep all their digits).
    private static func append(_ value: Int64, width: Int, to text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        var digitCount = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            digitCount += 1
        }
        for _ in digitCount..<max(width, digitCount) { text.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
