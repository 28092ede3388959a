/// Where log records go: a stream, memory, or a bridge to another logging system.
///
/// A bridge to swift-log is one small type (see the README).
public protocol LogHandler: Sendable {
    /// Handles one record; called only for records at or above the logger's level.
    func log(_ record: LogRecord)
}
