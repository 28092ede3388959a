import MicrocosmPubSub
/// What one run of a ``ConsumerLoop`` did: why it ended, how each message ended, and where it
/// went: deleted, handed back to the queue, not acknowledged, still being handled at the end, or
/// lost with its lease.
///
/// Every message received ends in exactly one of these five places. The counts are always kept;
/// the message ids behind them only when the loop records them (``ConsumerLoop/recordsMessageIds``:
/// by default for Lambda events, files and standard input, whose messages are few; not for a
/// queue, so a daemon that runs for months does not grow).
///
/// ```swift
/// let report = await loop.run()
/// print(report.results[.succeeded, default: 0], "succeeded;", report.handedBack, "back in the queue")
/// ```
public struct ConsumerLoopReport: Sendable, CustomStringConvertible {
    /// Why the loop ended.
    public enum Ending: Sendable, Hashable {
        /// A finite source (standard input, a file, a Lambda event) had no more messages.
        case sourceExhausted
        /// ``ConsumerLoop/triggerGracefulShutdown()`` (a signal, or the run's task was cancelled).
        case shutdown
        /// The source could not be read at all (a file or standard input failed).
        case sourceFailed(String)
        /// The task running ``ConsumerLoop/run()`` was cancelled: the loop stopped at once,
        /// cancelling running handlers and acknowledging nothing more.
        case cancelled
        /// ``ConsumerLoop/run()`` was called on a loop that had already run (or was running): it
        /// did nothing.
        case alreadyRun
    }

    /// Why the loop ended.
    public var ending: Ending
    /// Messages received.
    public var received = 0
    /// How many messages were handled to each result.
    public var results: [MessageHandlingResult.Kind: Int] = [:]
    /// Messages deleted (acknowledged) after a result that deletes.
    public var deleted = 0
    /// Messages handed back to the queue: nacked after RETRIED or FAILED (visibility set by the
    /// handler's `Nack` or the backoff policy), or never started and released with visibility 0.
    public var handedBack = 0
    /// Messages whose delete or visibility change failed for good (SQS delivers them again after
    /// their visibility timeout); each failure is logged.
    public var unacknowledged = 0
    /// Messages whose handler was still running when the grace period ended or the run was
    /// cancelled (SQS delivers them again after their visibility timeout).
    public var unfinished = 0
    /// Messages whose lease was lost: their visibility could not be extended before it ran out,
    /// or SQS said their receipt handle was no longer valid. Their handler was cancelled (or never
    /// started) and they were not deleted: SQS delivers them again.
    public var leaseLost = 0
    /// The ids of the deleted messages, in the order deleted, when recorded.
    public var deletedIds: [String] = []
    /// The ids of the messages handed back, in the order handed back, when recorded.
    public var handedBackIds: [String] = []
    /// The ids of the messages not acknowledged, when recorded.
    public var unacknowledgedIds: [String] = []
    /// The ids of the messages unfinished at the end, when recorded.
    public var unfinishedIds: [String] = []
    /// The ids of the messages whose lease was lost, when recorded.
    public var leaseLostIds: [String] = []

    /// Whether the id lists are kept.
    let recordsMessageIds: Bool

    /// An empty report.
    public init(ending: Ending, recordsMessageIds: Bool = true) {
        self.ending = ending
        self.recordsMessageIds = recordsMessageIds
    }

    /// Messages handled to a result.
    public var handled: Int { results.values.reduce(0, +) }

    /// The ids of the messages not handled to a result that deletes them, when recorded: what a
    /// Lambda partial batch response names as failures.
    public var notDeleted: [String] { handedBackIds + unacknowledgedIds + unfinishedIds + leaseLostIds }

    /// Where a message ended.
    enum Place { case deleted, handedBack, unacknowledged, unfinished, leaseLost }

    /// Counts `messages` as ended in `place` (and records their ids, when the report does).
    mutating func record(_ messages: [ConsumedMessage], as place: Place) {
        switch place {
        case .deleted: deleted += messages.count
        case .handedBack: handedBack += messages.count
        case .unacknowledged: unacknowledged += messages.count
        case .unfinished: unfinished += messages.count
        case .leaseLost: leaseLost += messages.count
        }
        guard recordsMessageIds, !messages.isEmpty else { return }
        let ids = messages.map(\.messageId)
        switch place {
        case .deleted: deletedIds += ids
        case .handedBack: handedBackIds += ids
        case .unacknowledged: unacknowledgedIds += ids
        case .unfinished: unfinishedIds += ids
        case .leaseLost: leaseLostIds += ids
        }
    }

    public var description: String {
        let counts = MessageHandlingResult.Kind.all.compactMap { kind in results[kind].map { "\(kind) \($0)" } }
        return "received \(received), " + (counts.isEmpty ? "none handled" : counts.joined(separator: ", "))
            + "; deleted \(deleted), handed back \(handedBack)"
            + (unacknowledged == 0 ? "" : ", unacknowledged \(unacknowledged)")
            + (unfinished == 0 ? "" : ", unfinished \(unfinished)")
            + (leaseLost == 0 ? "" : ", lease lost \(leaseLost)")
    }
}
