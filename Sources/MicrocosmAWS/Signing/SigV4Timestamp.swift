import Foundation
import Microcosm

/// A signing time as SigV4 writes it: `20150830T123600Z` (UTC, whole seconds) and its date `20150830`.
struct SigV4Timestamp: Sendable, Hashable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `X-Amz-Date` value.
    let amzDate: String
    /// `yyyyMMdd`, the first part of the credential scope.
    let dateStamp: String

    /// The UTC calendar time of `date`, fractional seconds dropped (as botocore's `strftime` does).
    init(_ date: Date) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let dayNumber = CivilDate.floorDivide(seconds, 86_400)
        let second = seconds - dayNumber * 86_400
        let (year, month, day) = CivilDate.civil(fromDays: dayNumber)
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
