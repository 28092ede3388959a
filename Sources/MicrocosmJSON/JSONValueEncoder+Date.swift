#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Dates as ISO 8601 text, written the way Python's `datetime.isoformat()` writes an aware UTC
/// datetime (what marshmallow's `DateTime` field dumps), read in the common ISO 8601 forms.
///
/// Pure arithmetic on the proleptic Gregorian calendar: no formatter, no calendar, no locale.
enum ISODateTime {
    private static let secondsPerDay: Int64 = 86_400

    /// `2026-11-29T13:59:25.420000+00:00`, or `2026-11-29T13:59:25+00:00` for whole seconds.
    ///
    /// Rounded to the microsecond, half to even, as Python's `datetime.fromtimestamp` rounds.
    /// Nil outside the years 1...9999, which Python's `datetime` cannot hold either.
    static func format(_ date: Date) -> String? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval > -62_135_596_801, interval < 253_402_300_800 else { return nil }
        var whole = interval.rounded(.down)
        var micros = Int64(((interval - whole) * 1_000_000).rounded(.toNearestOrEven))
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        let seconds = Int64(whole)
        let days = CivilDate.floorDivide(seconds, secondsPerDay)
        let secondOfDay = seconds - days * secondsPerDay
        let (year, month, day) = CivilDate.civil(fromDays: days)
        guard (1...9999).contains(year) else { return nil }

        var out: [UInt8] = []
        out.reserveCapacity(32)
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
        if micros != 0 {
            out.append(UInt8(ascii: "."))
            appendDigits(micros, width: 6, to: &out)
        }
        out.append(contentsOf: "+00:00".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits.reversed())
    }

}
