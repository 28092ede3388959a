import Synchronization

/// Keeps records in memory, for tests.
///
/// ```swift
/// let logs = InMemoryLogHandler()
/// graph.assign("logger", Logger(label: "test", level: .trace, handler: logs))
/// XCTAssertEqual(logs.records.last?.metadata["pubsub.result"], "SUCCEEDED")
/// ```
public final class InMemoryLogHandler: LogHandler {
    private let stored = Mutex<[LogRecord]>([])

    public init() {}

    public func log(_ record: LogRecord) {
        stored.withLock { $0.append(record) }
    }

    /// Every record so far, oldest first.
    public var records: [LogRecord] { stored.withLock { $0 } }

    /// The messages so far, oldest first.
    public var messages: [String] { records.map(\.message) }

    /// Forgets every record.
    public func clear() { stored.withLock { $0.removeAll() } }
}
