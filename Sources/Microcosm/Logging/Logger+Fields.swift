#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Logger {
    /// Logs `message` at `level` with `fields` as the call's metadata: the same record as
    /// `log(level, message, metadata: fields.dictionary)`. A ``StreamLogHandler`` writing text gets
    /// the line rendered straight into bytes (no dictionaries, no string interpolation): for lines
    /// logged per message, as the dispatcher's result line.
    package func log(_ level: LogLevel, _ message: String, fields: LogFields, file: String = #fileID, line: UInt = #line) {
        guard isEnabled(level) else { return }
        if let stream = handler as? StreamLogHandler, stream.format == .text {
            stream.writeLine(textLine(level, message, fields: fields, date: Date()))
        } else {
            log(level, message, metadata: fields.dictionary, file: file, line: line)
        }
    }

    /// The text line, newline included, that a text ``StreamLogHandler`` writes for the record
    /// `log(level, message, metadata: fields.dictionary)` makes at `date`: this logger's metadata,
    /// the logged opaque values, the provider's metadata, then `fields` (later keys win), sorted by key.
    package func textLine(_ level: LogLevel, _ message: String, fields: LogFields, date: Date) -> [UInt8] {
        var all = LogFields(capacity: metadata.count + fields.pairs.count + 16)
        for (key, value) in metadata { all.append(key, value) }
        if let opaque {
            for (key, value) in opaque.values where !Logger.unloggedOpaqueKeys.contains(where: { $0 == key }) {
                all.append(key, OpaqueValues.text(value))
            }
        }
        if let provided = metadataProvider?() {
            for (key, value) in provided { all.append(key, value) }
        }
        all.append(contentsOf: fields)
        return StreamLogHandler.textLine(date: date, level: level, label: label, message: message, fields: all)
    }
}
