import MicrocosmPubSub
import Synchronization

/// The result of every message a testing daemon started in process has handled, in the order
/// handling ended (read by `waitForResults` in MicrocosmPubSubTesting).
final class ConsumerDaemonResults: Sendable {
    private let results = Mutex<[MessageHandlingResult]>([])

    func append(_ result: MessageHandlingResult) {
        results.withLock { $0.append(result) }
    }

    /// A closure that appends each result it is given.
    var recorder: @Sendable (MessageHandlingResult) -> Void {
        { [self] result in append(result) }
    }

    var all: [MessageHandlingResult] { results.withLock { $0 } }
}
