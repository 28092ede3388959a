#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One log event as handlers receive it.
public struct LogRecord: Sendable, Hashable {
    /// The logger's label (the service name for the graph's logger).
    public var label: String
    public var level: LogLevel
    public var message: String
    /// Logger metadata, then the metadata provider's, then the call's (later keys win).
    public var metadata: [String: String]
    public var date: Date
    public var file: String
    public var line: UInt

    public init(label: String, level: LogLevel, message: String, metadata: [String: String],
                date: Date = Date(), file: String = #fileID, line: UInt = #line) {
        self.label = label
        self.level = level
        self.message = message
        self.metadata = metadata
        self.date = date
        self.file = file
        self.line = line
    }
}
