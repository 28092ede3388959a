import Synchronization

/// Keeps what dispatching reports in memory, for tests and demos.
///
/// ```swift
/// let metrics = InMemoryPubSubMetrics()
/// graph.assign(.pubsubMetrics, metrics)
/// _ = try await graph.sqsMessageDispatcher.dispatch(message)
/// XCTAssertEqual(metrics.count(of: .succeeded), 1)
/// XCTAssertEqual(metrics.messages.first?.mediaType, .created("Thing"))
/// ```
public final class InMemoryPubSubMetrics: PubSubMetrics {
    /// What was recorded for one message.
    public struct Message: Sendable, Hashable {
        public var kind: MessageHandlingResult.Kind
        public var mediaType: MediaType?
        public var elapsed: Duration
        /// Seconds from publishing to the start of handling, when known.
        public var publishToHandleDelay: Double?
    }

    /// What was recorded for one batch.
    public struct Batch: Sendable, Hashable {
        /// Messages in the batch, not counting IGNORED ones.
        public var size: Int
        public var elapsed: Duration
    }

    private struct State {
        var messages: [Message] = []
        var batches: [Batch] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func recordMessage(_ result: MessageHandlingResult) {
        let message = Message(kind: result.kind, mediaType: result.mediaType, elapsed: result.elapsed,
                              publishToHandleDelay: result.publishToHandleDelay)
        state.withLock { $0.messages.append(message) }
    }

    public func recordBatch(size: Int, elapsed: Duration) {
        state.withLock { $0.batches.append(Batch(size: size, elapsed: elapsed)) }
    }

    /// Every message recorded, oldest first.
    public var messages: [Message] { state.withLock { $0.messages } }

    /// Every batch recorded, oldest first.
    public var batches: [Batch] { state.withLock { $0.batches } }

    /// How many messages ended in each kind of result (kinds never seen are absent).
    public var counts: [MessageHandlingResult.Kind: Int] {
        state.withLock { state in state.messages.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 } }
    }

    /// How many messages ended in `kind`.
    public func count(of kind: MessageHandlingResult.Kind) -> Int {
        state.withLock { state in state.messages.count { $0.kind == kind } }
    }

    /// Forgets everything recorded.
    public func clear() {
        state.withLock { $0 = State() }
    }
}
