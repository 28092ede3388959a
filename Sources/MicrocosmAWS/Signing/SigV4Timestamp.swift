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
        var text = ""
        text.reserveCapacity(16)
        SigV4Timestamp.append(year, width: 4, to: &text)
        SigV4Timestamp.append(month, width: 2, to: &text)
        SigV4Timestamp.append(day, width: 2, to: &text)
        dateStamp = text
        text += "T"
        SigV4Timestamp.append(second / 3600, width: 2, to: &text)
        SigV4Timestamp.append(second % 3600 / 60, width: 2, to: &text)
        SigV4Timestamp.append(second % 60, width: 2, to: &text)
        text += "Z"
        amzDate = text
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

    private static func append(_ value: Int64, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }
}
