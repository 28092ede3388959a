/// What one run of a ``ConsumerLoop`` did: why it ended, how each message ended, and which
/// messages went back to the queue or could not be acknowledged.
///
/// Every message received ends in exactly one of ``deleted``, ``handedBack``, ``unacknowledged``
/// or ``unfinished``.
///
/// ```swift
/// let report = await loop.run()
/// print(report.results[.succeeded, default: 0], "succeeded;", report.handedBack.count, "back in the queue")
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
    }

    /// Why the loop ended.
    public var ending: Ending
    /// Messages received.
    public var received = 0
    /// How many messages ended in each result.
    public var results: [MessageHandlingResult.Kind: Int] = [:]
    /// Message ids deleted (acknowledged) after a result that deletes, in the order acknowledged.
    public var deleted: [String] = []
    /// Message ids handed back to the queue: nacked after RETRIED or FAILED (visibility set by the
    /// handler's `Nack` or the backoff policy), or never started and released with visibility 0.
    public var handedBack: [String] = []
    /// Message ids whose delete or visibility change failed for good (SQS delivers them again
    /// after their visibility timeout); each failure is logged.
    public var unacknowledged: [String] = []
    /// Message ids whose handler was still running when the grace period ended (SQS delivers them
    /// again after their visibility timeout).
    public var unfinished: [String] = []

    /// An empty report.
    public init(ending: Ending) {
        self.ending = ending
    }

    /// Messages handled to a result.
    public var handled: Int { results.values.reduce(0, +) }

    /// The ids of messages that were not handled to a result that deletes them: what a Lambda
    /// partial batch response names as failures.
    public var notDeleted: [String] { handedBack + unacknowledged + unfinished }

    public var description: String {
        let counts = MessageHandlingResult.Kind.all.compactMap { kind in results[kind].map { "\(kind) \($0)" } }
        return "received \(received), " + (counts.isEmpty ? "none handled" : counts.joined(separator: ", "))
            + "; deleted \(deleted.count), handed back \(handedBack.count)"
            + (unacknowledged.isEmpty ? "" : ", unacknowledged \(unacknowledged.count)")
            + (unfinished.isEmpty ? "" : ", unfinished \(unfinished.count)")
    }
}
