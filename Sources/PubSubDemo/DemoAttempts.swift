import MicrocosmPubSub
import Synchronization

/// Every call of a demo handler, from any number of tasks: which message, on which receive, and
/// how the handler ended it.
public final class DemoAttempts: Sendable {
    /// One handler call.
    public struct Attempt: Sendable, Hashable {
        /// The message's media type.
        public var mediaType: MediaType?
        /// The message's `uri`, or `id <id>`.
        public var key: String
        /// The SQS message id.
        public var messageId: String
        /// Its receive count on this delivery (SQS's `ApproximateReceiveCount`).
        public var receiveCount: Int
        /// The result the handler's return or error makes.
        public var kind: MessageHandlingResult.Kind
        /// Why it failed, was retried or skipped.
        public var reason: String?
    }

    private let attempts = Mutex<[Attempt]>([])

    init() {}

    func record(_ attempt: Attempt) {
        attempts.withLock { $0.append(attempt) }
    }

    /// Every call, in the order they ended.
    public var all: [Attempt] { attempts.withLock { $0 } }
}
