#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

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
        // At most 13 characters of year (Int64 seconds), then 4 + 1 + 6 + 1: a stack buffer, not an array.
        (dateStamp, amzDate) = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var count = 0
            SigV4Timestamp.append(year, width: 4, to: buffer, at: &count)
            SigV4Timestamp.append(month, width: 2, to: buffer, at: &count)
            SigV4Timestamp.append(day, width: 2, to: buffer, at: &count)
            let dateStamp = String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
            buffer[count] = UInt8(ascii: "T")
            count += 1
            SigV4Timestamp.append(second / 3600, width: 2, to: buffer, at: &count)
            SigV4Timestamp.append(second % 3600 / 60, width: 2, to: buffer, at: &count)
            SigV4Timestamp.append(second % 60, width: 2, to: buffer, at: &count)
            buffer[count] = UInt8(ascii: "Z")
            count += 1
            return (dateStamp, String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self))
        }
    }

    /// Writes `value` in decimal at `count`, zero-padded to `width` digits (years beyond 9999 keep all their digits).
    private static func append(_ value: Int64, width: Int, to text: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        if value < 0 {
            text[count] = UInt8(ascii: "-")
            count += 1
        }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        var digitCount = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            digitCount += 1
        }
        for _ in digitCount..<max(width, digitCount) {
            text[count] = UInt8(ascii: "0")
            count += 1
        }
        while divisor > 0 {
            text[count] = UInt8(ascii: "0") + UInt8(magnitude / divisor % 10)
            count += 1
            divisor /= 10
        }
    }
}
