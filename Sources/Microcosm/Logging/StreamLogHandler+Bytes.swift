#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension StreamLogHandler {
    /// The text line of ``render(_:)``, newline included, written straight into bytes from
    /// `fields` (a later pair wins, see ``LogFields``) instead of a record's dictionary.
    package static func textLine(date: Date, level: LogLevel, label: String, message: String, fields: LogFields) -> [UInt8] {
        let pairs = fields.pairs
        // By key, then by order: a run of equal keys is one entry, the first pair's key and the last pair's value.
        let order = pairs.indices.sorted { left, right in
            let leftKey = pairs[left].key, rightKey = pairs[right].key
            return leftKey < rightKey || (leftKey == rightKey && left < right)
        }
        var out: [UInt8] = []
        out.reserveCapacity(64 + label.utf8.count + message.utf8.count + pairs.count * 32)
        appendTimestamp(date, to: &out)
        out.append(0x20)
        out.append(contentsOf: level.uppercasedName.utf8)
        out.append(0x20)
        out.append(contentsOf: label.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: message.utf8)
        var position = 0
        while position < order.count {
            let first = order[position]
            var last = first
            while position + 1 < order.count, pairs[order[position + 1]].key == pairs[first].key {
                position += 1
                last = order[position]
            }
            out.append(0x20)
            out.append(contentsOf: pairs[first].key.utf8)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: pairs[last].value.utf8)
            position += 1
        }
        out.append(0x0a)
        return out
    }

    /// ``timestamp(_:)``'s text, written into `out`.
    package static func appendTimestamp(_ date: Date, to out: inout [UInt8]) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) {
            guard value >= 0 else {
                // As timestamp(_:) pads a negative number: zeros before its sign.
                let digits = String(value)
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.utf8.count)))
                out.append(contentsOf: digits.utf8)
                return
            }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var rest = value
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - count)))
                for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
            }
        }
        pad(parts.tm_year + 1900, 4)
        out.append(UInt8(ascii: "-"))
        pad(parts.tm_mon + 1, 2)
        out.append(UInt8(ascii: "-"))
        pad(parts.tm_mday, 2)
        out.append(UInt8(ascii: "T"))
        pad(parts.tm_hour, 2)
        out.append(UInt8(ascii: ":"))
        pad(parts.tm_min, 2)
        out.append(UInt8(ascii: ":"))
        pad(parts.tm_sec, 2)
        out.append(UInt8(ascii: "."))
        pad(Int32(milliseconds % 1000), 3)
        out.append(UInt8(ascii: "Z"))
    }
}

extension LogLevel {
    /// The name as text lines show it (`INFO`).
    var uppercasedName: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .critical: "CRITICAL"
        case .error: "ERROR"
        }
    }
}
