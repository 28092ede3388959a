/// A small structured logger: a label, a level, metadata and a handler.
///
/// Metadata keys are namespaced (`pubsub.media_type`, `aws.request_id`). The graph's logger
/// (binding `logger`) adds the current opaque values to every record.
///
/// ```swift
/// graph.logger.info("handled message", metadata: ["pubsub.media_type": mediaType])
/// ```
public struct Logger: Sendable {
    /// The name records carry.
    public var label: String
    /// Records below this level are dropped before the message is built.
    public var level: LogLevel
    /// Metadata added to every record.
    public var metadata: [String: String]
    /// Where records go.
    public var handler: any LogHandler
    /// Called per record for metadata of the moment (the graph supplies opaque values here).
    public var metadataProvider: (@Sendable () -> [String: String])?

    public init(label: String, level: LogLevel = .info, metadata: [String: String] = [:],
                handler: any LogHandler = StreamLogHandler.standardError(),
                metadataProvider: (@Sendable () -> [String: String])? = nil) {
        self.label = label
        self.level = level
        self.metadata = metadata
        self.handler = handler
        self.metadataProvider = metadataProvider
    }

    /// True when records at `level` are handled.
    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    /// This logger with `extra` metadata on every record.
    public func with(_ extra: [String: String]) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    /// Logs `message` at `level`; the message and its metadata are only built when the level is enabled.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, metadata extra: @autoclosure () -> [String: String] = [:],
                    file: String = #fileID, line: UInt = #line) {
        guard isEnabled(level) else { return }
        var merged = metadata
        if let provided = metadataProvider?() { merged.merge(provided) { _, new in new } }
        merged.merge(extra()) { _, new in new }
        handler.log(LogRecord(label: label, level: level, message: message(), metadata: merged, file: file, line: line))
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.trace, message(), metadata: metadata(), file: file, line: line)
    }

    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.debug, message(), metadata: metadata(), file: file, line: line)
    }

    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.info, message(), metadata: metadata(), file: file, line: line)
    }

    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.notice, message(), metadata: metadata(), file: file, line: line)
    }

    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.warning, message(), metadata: metadata(), file: file, line: line)
    }

    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.error, message(), metadata: metadata(), file: file, line: line)
    }

    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> [String: String] = [:], file: String = #fileID, line: UInt = #line) {
        log(.critical, message(), metadata: metadata(), file: file, line: line)
    }
}
