/// A small structured logger: a label, a level, metadata and a handler.
///
/// Metadata keys are namespaced (`pubsub.media_type`, `aws.request_id`). The graph's logger
/// (binding `logger`) adds the current opaque values to every record, and so does a logger you
/// assign or override as `logger` (`graph.assign("logger", Logger(label: "test", handler: logs))`).
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
    /// The opaque values records carry (set by the graph on its `logger`), under the provider's metadata.
    var opaque: Opaque?

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
        if let opaque { merged.merge(Logger.loggedOpaqueValues(opaque)) { _, new in new } }
        if let provided = metadataProvider?() { merged.merge(provided) { _, new in new } }
        merged.merge(extra()) { _, new in new }
        handler.log(LogRecord(label: label, level: level, message: message(), metadata: merged, file: file, line: line))
    }

    /// Opaque keys left out of every record: a receipt handle is some 200 characters an operator
    /// cannot use (the dispatcher's result line still carries it, as microcosm-pubsub's does).
    static let unloggedOpaqueKeys: Set<String> = ["receipt_handle"]

    /// The opaque values of the current task that records carry.
    static func loggedOpaqueValues(_ opaque: Opaque) -> [String: String] {
        opaque.values.dictionary.filter { !unloggedOpaqueKeys.contains($0.key) }
    }

    /// This logger carrying `opaque`'s values on every record (what the graph does for its `logger`).
    package func carrying(_ opaque: Opaque) -> Logger {
        var copy = self
        copy.opaque = opaque
        return copy
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
