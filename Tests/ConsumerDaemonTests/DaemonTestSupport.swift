import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import Synchronization
import XCTest

/// A testing graph whose consumer reads queue `things-worker` (standard, or `things-worker.fifo`)
/// of an in-memory broker, through a ``ScriptedSQS`` that records receives and can fail batch
/// entries; its logger keeps records in ``logs``. The broker runs on a ``ManualBrokerClock``
/// unless `manualClock` is false; the loop runs on the broker's clock.
///
/// The consumer long-polls 20 s (of the bed's clock), so a receive waits in the broker until a
/// message comes, without spinning; the loop does not sleep when idle, and its error backoff is short.
struct DaemonTestBed {
    let graph: Graph
    /// The clock's time when the bed was made.
    let start: Date
    let broker: InMemoryBroker
    let clock: any BrokerClock
    let sqs: ScriptedSQS
    let logs: InMemoryLogHandler
    let queueURL: String

    static func make(fifo: Bool = false, manualClock: Bool = true, queueAttributes: [String: String] = [:],
                     deadLetterQueue: String? = nil, config: JSONObject = [:]) async throws -> Self {
        let clock: any BrokerClock = manualClock ? ManualBrokerClock() : SystemBrokerClock()
        let broker = InMemoryBroker(clock: clock)
        if let deadLetterQueue { _ = try await broker.sqs.createQueue(name: deadLetterQueue, attributes: [:]) }
        let name = fifo ? "things-worker.fifo" : "things-worker"
        let queueURL = try await broker.sqs.createQueue(name: name, attributes: (fifo ? ["FifoQueue": "true"] : [:])
                                                            .merging(queueAttributes) { $1 })
        let base: JSONObject = [
            "sqs_consumer": ["sqs_queue_url": .string(queueURL), "wait_seconds": 20],
            "consumer_daemon": ["error_backoff_seconds": 0.001, "max_error_backoff_seconds": 0.002],
            "sleep_policy": ["default_sleep_timeout": 0],
        ]
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: Configuration.merge(base, config))
        let sqs = ScriptedSQS(inner: broker.sqs, clock: clock)
        graph.assign(.pubsubBroker, broker)
        graph.assign(.sqsClient, sqs as any SQSAPI)
        let logs = InMemoryLogHandler()
        graph.assign("logger", Logger(label: "things", level: .debug, handler: logs))
        return Self(graph: graph, start: clock.now, broker: broker, clock: clock, sqs: sqs, logs: logs, queueURL: queueURL)
    }

    var manualClock: ManualBrokerClock { clock as! ManualBrokerClock }

    /// A loop over the graph's consumer that hands each message to `dispatch`; its report lists
    /// message ids. It runs on `clock` (a ``RecordingClock`` to see its sleeps), else the bed's.
    /// With a `visibilityTimeout` it takes that as the queue's; without, it reads the queue's.
    func loop(visibilityTimeout: Int? = nil, settings: ConsumerDaemonSettings? = nil, clock: (any BrokerClock)? = nil,
              onBatch: (@Sendable (ConsumerLoopBatch) -> Void)? = nil,
              _ dispatch: @escaping ConsumerLoop.Dispatch) throws -> ConsumerLoop {
        ConsumerLoop(consumer: try graph.sqsConsumer, settings: try settings ?? graph.consumerDaemonSettings,
                     queueAttributes: visibilityTimeout.map { ConsumerQueueAttributes(visibilityTimeout: $0) },
                     clock: (clock ?? self.clock).swiftClock, logger: graph.logger, onBatch: onBatch, recordsMessageIds: true,
                     dispatch: dispatch)
    }

    /// A loop over the graph's consumer through the graph's dispatcher and `handlers`.
    func loop(handlers: MessageHandlers, visibilityTimeout: Int? = nil) throws -> ConsumerLoop {
        graph.assign(.sqsMessageHandlers, handlers)
        let dispatcher = try graph.sqsMessageDispatcher
        return try loop(visibilityTimeout: visibilityTimeout) { await dispatcher.dispatch($0) }
    }

    /// Sends `body` to the queue (in `group` for a FIFO queue); returns the message id.
    @discardableResult
    func send(_ body: String, group: String? = nil) async throws -> String {
        let request = SendMessageRequest(queueURL: queueURL, messageBody: body, messageGroupId: group,
                                         messageDeduplicationId: group.map { _ in UUID().uuidString })
        return try await broker.sqs.sendMessage(request).messageId
    }

    /// Sends a created.thing message for `uri` (raw delivery: the body is the message).
    @discardableResult
    func sendThing(_ uri: String, group: String? = nil, opaqueData: JSONObject? = nil) async throws -> String {
        try await send(try graph.pubsubMessageSchemaRegistry.encode(.created("Thing"), fields: ["uri": .string(uri)], opaqueData: opaqueData),
                       group: group)
    }

    /// The messages left in the queue (visible, in flight, delayed).
    func remaining() async throws -> [BrokerMessage] {
        try await broker.messages(in: queueURL)
    }

    /// The current time of the bed's clock.
    var now: Date { clock.now }

    /// How many batch calls of `action` (`DeleteMessageBatch`, `ChangeMessageVisibilityBatch`) were made.
    func calls(_ action: String) -> Int {
        sqs.batchCalls.filter { $0.action == action }.count
    }

    /// Moves the manual clock `seconds` forward, then waits until `condition` holds: the loop's
    /// reaction to that moment, so the test never moves time on before the loop has caught up.
    func advance(by seconds: Double, until what: String, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: () async -> Bool) async {
        manualClock.advance(by: .milliseconds(Int64(seconds * 1000)))
        await eventually("\(what), at \(now.timeIntervalSince(start)) s", file: file, line: line, condition)
    }

    /// True when the queue holds no message.
    var isEmpty: Bool { get async { (try? await remaining().isEmpty) ?? false } }

    /// Waits until the queue holds no message.
    func waitUntilEmpty(file: StaticString = #filePath, line: UInt = #line) async {
        await eventually("the queue empty", file: file, line: line) { (try? await remaining().isEmpty) ?? false }
    }

    /// Runs `loop` until the queue holds no message, then shuts it down gracefully; returns its report.
    func runUntilEmpty(_ loop: ConsumerLoop, file: StaticString = #filePath, line: UInt = #line) async -> ConsumerLoopReport {
        let run = Task { await loop.run() }
        await waitUntilEmpty(file: file, line: line)
        loop.triggerGracefulShutdown()
        return await run.value
    }
}

/// Waits until `condition` holds, checking every few milliseconds; fails the test (naming
/// `what`) if it does not within `timeout`, which only bounds a failing test.
func eventually(_ what: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
                _ condition: () async throws -> Bool) async rethrows {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try? await Task.sleep(for: .milliseconds(2))
    }
    XCTFail("timed out waiting for: \(what)", file: file, line: line)
}

/// Suspends until the calling task is cancelled (a handler that only cancellation ends).
func untilCancelled() async {
    let never = Gate()
    await withTaskCancellationHandler {
        await never.wait()
    } onCancel: {
        never.open()
    }
}

/// A gate handlers wait at until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// What handlers saw, in order, from any number of tasks.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// A counter handlers bump, with the highest value it reached.
final class Gauge: Sendable {
    private let state = Mutex<(current: Int, peak: Int)>((0, 0))

    @discardableResult
    func increment() -> Int {
        state.withLock { state in
            state.current += 1
            state.peak = max(state.peak, state.current)
            return state.current
        }
    }

    func decrement() { state.withLock { $0.current -= 1 } }
    var current: Int { state.withLock { $0.current } }
    var peak: Int { state.withLock { $0.peak } }
}

/// A clock that records every sleep asked of it (the time it was asked, and until when), then
/// sleeps on `inner`: a loop given one shows when it pauses and for how long, while the broker
/// keeps `inner`.
final class RecordingClock: BrokerClock {
    struct Sleep: Sendable {
        let from: Date
        let until: Date
        var seconds: TimeInterval { until.timeIntervalSince(from) }
    }

    let inner: any BrokerClock
    private let recorded = Mutex<[Sleep]>([])

    init(_ inner: any BrokerClock) { self.inner = inner }

    var now: Date { inner.now }

    /// Every sleep so far, in the order they were asked for.
    var sleeps: [Sleep] { recorded.withLock { $0 } }

    func sleep(until deadline: Date) async throws {
        let sleep = Sleep(from: inner.now, until: deadline)
        recorded.withLock { $0.append(sleep) }
        try await inner.sleep(until: deadline)
    }
}

/// An `SQSAPI` in front of the broker's that records receives (with the clock's time when each
/// returned, or failed) and batch calls, and fails batch entries the test scripts.
final class ScriptedSQS: SQSAPI {
    struct BatchCall: Sendable {
        let action: String
        let receiptHandles: [String]
        /// The clock's time when the call was made.
        let at: Date
    }

    let inner: any SQSAPI
    let clock: any BrokerClock
    private let state = Mutex<State>(State())

    private struct State {
        var receives: [(at: Date, count: Int)] = []
        var failedReceives: [Date] = []
        var batchCalls: [BatchCall] = []
        /// Per action, per call (0-based), the entry positions to fail and how.
        var entryFailures: [String: [Int: [Int: BatchResultError]]] = [:]
        var callCounts: [String: Int] = [:]
        var attributeReads = 0
        /// Per action, per call (0-based), a gate the call waits at before it is applied.
        var holds: [String: [Int: Gate]] = [:]
    }

    init(inner: any SQSAPI, clock: any BrokerClock) {
        self.inner = inner
        self.clock = clock
    }

    /// When each receive returned (the clock's time) and how many messages it brought.
    var receives: [(at: Date, count: Int)] { state.withLock { $0.receives } }

    /// When each receive that threw did (the clock's time).
    var failedReceives: [Date] { state.withLock { $0.failedReceives } }

    /// Every DeleteMessageBatch and ChangeMessageVisibilityBatch call.
    var batchCalls: [BatchCall] { state.withLock { $0.batchCalls } }

    /// Makes call number `call` (0-based) of `action` report the entries at `positions` as failed with `error`.
    func failEntries(_ action: String, call: Int, positions: [Int], with error: BatchResultError) {
        state.withLock { state in
            for position in positions { state.entryFailures[action, default: [:]][call, default: [:]][position] = error }
        }
    }

    /// Makes call number `call` (0-based) of `action` wait until `gate` opens before it is applied.
    func hold(_ action: String, call: Int, until gate: Gate) {
        state.withLock { $0.holds[action, default: [:]][call] = gate }
    }

    private func scripted(_ action: String, handles: [String], ids: [String],
                          perform: ([Int]) async throws -> BatchResult<String>) async throws -> BatchResult<String> {
        let now = clock.now
        let (failures, hold): ([Int: BatchResultError], Gate?) = state.withLock { state in
            let call = state.callCounts[action, default: 0]
            state.callCounts[action] = call + 1
            state.batchCalls.append(BatchCall(action: action, receiptHandles: handles, at: now))
            return (state.entryFailures[action]?[call] ?? [:], state.holds[action]?[call])
        }
        if let hold { await hold.wait() }
        let passed = ids.indices.filter { failures[$0] == nil }
        var result = passed.isEmpty ? BatchResult<String>() : try await perform(passed)
        for (position, error) in failures.sorted(by: { $0.key < $1.key }) where ids.indices.contains(position) {
            result.failed.append(BatchResultError(id: ids[position], code: error.code, message: error.message, senderFault: error.senderFault))
        }
        return result
    }

    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        let messages: [SQSMessage]
        do {
            messages = try await inner.receiveMessage(request)
        } catch {
            let now = clock.now
            state.withLock { $0.failedReceives.append(now) }
            throw error
        }
        let now = clock.now
        state.withLock { $0.receives.append((now, messages.count)) }
        return messages
    }

    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        try await scripted("DeleteMessageBatch", handles: entries.map(\.receiptHandle), ids: entries.map(\.id)) { passed in
            try await inner.deleteMessageBatch(queueURL: queueURL, entries: passed.map { entries[$0] })
        }
    }

    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        try await scripted("ChangeMessageVisibilityBatch", handles: entries.map(\.receiptHandle), ids: entries.map(\.id)) { passed in
            try await inner.changeMessageVisibilityBatch(queueURL: queueURL, entries: passed.map { entries[$0] })
        }
    }

    func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult { try await inner.sendMessage(request) }
    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        try await inner.sendMessageBatch(queueURL: queueURL, entries: entries)
    }
    func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try await inner.deleteMessage(queueURL: queueURL, receiptHandle: receiptHandle)
    }
    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        try await inner.changeMessageVisibility(queueURL: queueURL, receiptHandle: receiptHandle, visibilityTimeout: visibilityTimeout)
    }
    func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try await inner.createQueue(name: name, attributes: attributes)
    }
    func deleteQueue(queueURL: String) async throws { try await inner.deleteQueue(queueURL: queueURL) }
    func purgeQueue(queueURL: String) async throws { try await inner.purgeQueue(queueURL: queueURL) }
    func getQueueURL(queueName: String) async throws -> String { try await inner.getQueueURL(queueName: queueName) }
    func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        state.withLock { $0.attributeReads += 1 }
        return try await inner.getQueueAttributes(queueURL: queueURL, names: names)
    }

    /// How many GetQueueAttributes calls were made.
    var attributeReads: Int { state.withLock { $0.attributeReads } }
    func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try await inner.setQueueAttributes(queueURL: queueURL, attributes: attributes)
    }
}

/// The result a closure dispatch returns for `kind`.
func result(_ kind: MessageHandlingResult.Kind, retryAfter: Int? = nil) -> MessageHandlingResult {
    MessageHandlingResult(kind: kind, mediaType: .created("Thing"), retryVisibilityTimeout: retryAfter)
}

/// A dispatch that records each message it starts in `started`, waits at `release`, then succeeds.
func heldAt(_ release: Gate, recordingIn started: Recorder<String>) -> ConsumerLoop.Dispatch {
    { message in
        started.append(message.messageId)
        await release.wait()
        return result(.succeeded)
    }
}
