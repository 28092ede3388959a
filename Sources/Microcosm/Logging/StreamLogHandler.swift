#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import MicrocosmJSON
import Synchronization

/// Writes one line per record to a file descriptor (standard error by default).
///
/// Text: `2026-11-29T14:00:00.123Z INFO things: handled message pubsub.media_type=...`.
/// JSON: one object per line with `timestamp`, `level`, `logger`, `message` and the metadata,
/// for log shippers.
public final class StreamLogHandler: LogHandler {
    /// The line format.
    public enum Format: String, Sendable {
        case text, json
    }

    private let descriptor: Int32
    let format: Format
    private let lock = Mutex(())

    /// A handler writing `format` lines to `descriptor`.
    public init(descriptor: Int32, format: Format = .text) {
        self.descriptor = descriptor
        self.format = format
    }

    /// A handler writing to standard error.
    public static func standardError(format: Format = .text) -> StreamLogHandler {
        StreamLogHandler(descriptor: 2, format: format)
    }

    public func log(_ record: LogRecord) {
        var line = Array(render(record).utf8)
        line.append(0x0a)
        writeLine(line)
    }

    /// Writes `line` (its newline included) whole, one line at a time.
    func writeLine(_ line: [UInt8]) {
        lock.withLock { _ in
            _ = writeAll(descriptor, line)
        }
    }

    /// The line for `record`, without the newline.
    public func render(_ record: LogRecord) -> String {
        let timestamp = StreamLogHandler.timestamp(record.date)
        switch format {
        case .text:
            var text = "\(timestamp) \(record.level.rawValue.uppercased()) \(record.label): \(record.message)"
            for key in record.metadata.keys.sorted() { text += " \(key)=\(record.metadata[key]!)" }
            return text
        case .json:
            var object = JSONObject()
            object["timestamp"] = .string(timestamp)
            object["level"] = .string(record.level.rawValue)
            object["logger"] = .string(record.label)
            object["message"] = .string(record.message)
            for key in record.metadata.keys.sorted() where object[key] == nil {
                object[key] = .string(record.metadata[key]!)
            }
            return JSONSerializer.compact.string(.object(object))
        }
    }

    /// `2026-11-29T14:00:00.123Z`
    package static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }
}
