import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import Synchronization

/// Messages per second handled by one daemon on the in-memory broker with a simulated API
/// latency, at concurrency 1 and 32, next to the sequential loop of microcosm-pubsub's original
/// design, in one run.
///
/// Each measured run has a graph and broker of its own (`memory://`, `Registry.pubsub`): a topic,
/// a queue subscribed to it with the SNS envelope (as on AWS), and ``messages`` of
/// `created.foo_bar` published through `graph.snsProducer` before the latency is switched on. Then
/// every SNS and SQS call takes ``latency`` (`broker.faults.setLatency`), and the clock runs from
/// the start of the loop until the last of the pre-loaded messages has been deleted (a fixed number
/// of messages, not a fixed time). Handler: trivial (returns true), through the graph's
/// `sqs_message_dispatcher`, logging at warning.
///
/// - sequential: `consume()` (ReceiveMessage, up to 10), then for each message `dispatch` and
///   `ack` (DeleteMessage, one call per message), repeat: Python's `SQSMessageDispatcher.handle_batch`
///   with `message.ack()` per message.
/// - c1, c32: `ConsumerLoop(graph:)` with `consumer_daemon.concurrency` 1 and 32, as the daemon
///   makes it (the queue's `VisibilityTimeout` read first, so the heartbeat runs).
struct DaemonBench {
    /// How many messages each mode handles (pre-loaded): about 3-6 s each at the expected rates.
    let messages: [Mode: Int]

    static let latency = Duration.milliseconds(latencyMilliseconds)
    static let accountId = "123456789012"
    static let topicName = "bench-daemon"
    static let queueName = "bench-daemon-worker"
    static let topicArn = "arn:aws:sns:us-east-1:\(accountId):\(topicName)"
    static let queueURL = "memory://sqs.us-east-1/\(accountId)/\(queueName)"
    static let mediaType = MediaType.created("FooBar")
    static let goal = 20.0
    static let latencyMilliseconds = 10

    enum Mode: String, CaseIterable {
        case sequential, c1, c32

        var concurrency: Int? {
            switch self {
            case .sequential: return nil
            case .c1: return 1
            case .c32: return 32
            }
        }
    }

    /// The default number of messages per mode; `scale` multiplies them (from `--seconds`: 5 is 1x).
    init(scale: Double = 1) {
        messages = [.sequential: 500, .c1: 2000, .c32: 10_000].mapValues { max(100, Int((Double($0) * scale).rounded())) }
    }

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        printError("daemon bench: in-memory broker, \(DaemonBench.latencyMilliseconds) ms per SNS/SQS call; "
                   + Mode.allCases.map { "\($0.rawValue) \(messages[$0]!) messages" }.joined(separator: ", ")
                   + "; unpinned (\(ProcessInfo.processInfo.activeProcessorCount) CPUs)")
        var figures: [Mode: Measurement] = [:]
        for mode in Mode.allCases {
            let measurement = try await measure(mode, count: messages[mode]!)
            figures[mode] = measurement
            printError("  \(mode.rawValue): \(measurement.summary)")
        }
        #if DEBUG
        let build = "debug build"
        #else
        let build = "release build"
        #endif
        print("messages per second handled, in-memory broker with \(DaemonBench.latencyMilliseconds) ms per call, \(build):")
        print("mode        messages  seconds  msg/s     vs sequential  SQS calls")
        let sequential = figures[.sequential]!.perSecond
        for mode in Mode.allCases {
            let figure = figures[mode]!
            let times = String(format: "%.1fx", figure.perSecond / sequential)
            print(mode.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "%-9d %-8.2f %-9.1f ", figure.messages, figure.seconds, figure.perSecond)
                  + times.padding(toLength: 15, withPad: " ", startingAt: 0) + figure.calls)
        }
        let ratio = figures[.c32]!.perSecond / sequential
        print(String(format: "ratio c32 / sequential: %.1f", ratio) + " (goal >= \(Int(DaemonBench.goal)): \(ratio >= DaemonBench.goal ? "met" : "not met"))")
        print(benchJSON("daemon", [
            ("sequential_per_s", (sequential * 10).rounded() / 10), ("c1_per_s", (figures[.c1]!.perSecond * 10).rounded() / 10),
            ("c32_per_s", (figures[.c32]!.perSecond * 10).rounded() / 10), ("ratio_c32", (ratio * 10).rounded() / 10),
            ("ratio_c1", (figures[.c1]!.perSecond / sequential * 10).rounded() / 10),
            ("latency_ms", Double(DaemonBench.latencyMilliseconds)),
            ("sequential_messages", Double(figures[.sequential]!.messages)), ("c1_messages", Double(figures[.c1]!.messages)),
            ("c32_messages", Double(figures[.c32]!.messages)),
        ]))
    }

    /// One mode's figure and what it cost in SQS calls.
    struct Measurement {
        let messages: Int
        let seconds: Double
        let counts: CallCounts

        var perSecond: Double { Double(messages) / seconds }

        /// `receive 1000 x 9.8, delete-batch 1000 x 9.8, ...`
        var calls: String {
            var parts = ["receive \(counts.receives) x \(Self.average(counts.received, counts.receives))"]
            if counts.deleteCalls > 0 { parts.append("DeleteMessage \(counts.deleteCalls)") }
            if counts.deleteBatchCalls > 0 {
                parts.append("DeleteMessageBatch \(counts.deleteBatchCalls) x \(Self.average(counts.deletedInBatches, counts.deleteBatchCalls))")
            }
            if counts.otherCalls > 0 { parts.append("other \(counts.otherCalls)") }
            return parts.joined(separator: ", ")
        }

        var summary: String {
            String(format: "%d messages in %.2f s: %.1f msg/s; ", messages, seconds, perSecond) + calls
        }

        private static func average(_ total: Int, _ calls: Int) -> String {
            calls == 0 ? "0" : String(format: "%.1f", Double(total) / Double(calls))
        }
    }

    private func measure(_ mode: Mode, count: Int) async throws -> Measurement {
        var config: JSONObject = [
            "sns_topic_arns": ["default": .string(DaemonBench.topicArn)],
            "sns_producer": ["endpoint_url": "memory://"],
            "sqs_consumer": ["endpoint_url": "memory://", "sqs_queue_url": .string(DaemonBench.queueURL)],
            "logging": ["level": "warning"],
        ]
        if let concurrency = mode.concurrency { config["consumer_daemon"] = ["concurrency": .int(concurrency)] }
        let graph = try Graph(name: "pubsub-bench", registry: .pubsub, loader: .empty, config: config)
        let broker = try graph.pubsubBroker
        let topicArn = try await broker.sns.createTopic(name: DaemonBench.topicName, attributes: [:])
        let queueURL = try await broker.sqs.createQueue(name: DaemonBench.queueName, attributes: ["VisibilityTimeout": "30"])
        guard topicArn == DaemonBench.topicArn, queueURL == DaemonBench.queueURL else {
            throw BenchTools.Failure(description: "the broker made \(topicArn) and \(queueURL)")
        }
        _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: DaemonBench.queueName),
                                           attributes: [:])
        let sqs = CountingSQS(inner: broker.sqs)
        graph.assign(.sqsClient, sqs as any SQSAPI)
        var handlers = MessageHandlers()
        handlers.register(DaemonBench.mediaType) { _ in true }
        graph.assign(.sqsMessageHandlers, handlers)

        let producer = try graph.snsProducer
        for index in 0..<count {
            _ = try await producer.produce(DaemonBench.mediaType, uri: "http://example.com/foo_bars/\(index)")
        }
        let loaded = try await broker.visibleMessages(in: queueURL).count
        guard loaded == count else { throw BenchTools.Failure(description: "pre-loaded \(loaded) messages, expected \(count)") }
        broker.faults.setLatency(DaemonBench.latency)

        let clock = ContinuousClock()
        let seconds: Double
        if mode.concurrency == nil {
            let start = clock.now
            try await DaemonBench.sequential(graph: graph, count: count)
            seconds = BenchTools.seconds(start.duration(to: clock.now))
        } else {
            let consumer = try graph.sqsConsumer
            let visibilityTimeout = try await ConsumerLoop.queueVisibilityTimeout(of: consumer)
            let loop = try ConsumerLoop(graph: graph, visibilityTimeout: visibilityTimeout)
            sqs.reset()
            let start = clock.now
            let run = Task { await loop.run() }
            await sqs.waitForDeletes(count)
            seconds = BenchTools.seconds(start.duration(to: clock.now))
            loop.triggerGracefulShutdown()
            let report = await run.value
            guard report.results == [.succeeded: count], report.deleted == count else {
                throw BenchTools.Failure(description: "\(mode.rawValue): the loop's report is \(report), expected \(count) SUCCEEDED and deleted")
            }
        }
        broker.faults.setLatency(nil)
        let left = try await broker.messages(in: queueURL).count
        guard left == 0 else { throw BenchTools.Failure(description: "\(mode.rawValue): \(left) messages left in the queue") }
        return Measurement(messages: count, seconds: seconds, counts: sqs.counts)
    }

    /// microcosm-pubsub's original loop: receive up to 10, handle each and delete it, repeat.
    private static func sequential(graph: Graph, count: Int) async throws {
        let consumer = try graph.sqsConsumer
        let dispatcher = try graph.sqsMessageDispatcher
        var deleted = 0
        while deleted < count {
            for message in try await consumer.consume() {
                let result = await dispatcher.dispatch(message)
                guard result.kind == .succeeded else { throw BenchTools.Failure(description: "sequential: \(result)") }
                try await consumer.ack(message)
                deleted += 1
            }
        }
    }
}

/// What the SQS calls of one measured run were.
struct CallCounts {
    var receives = 0
    var received = 0
    var deleteCalls = 0
    var deleteBatchCalls = 0
    var deletedInBatches = 0
    var otherCalls = 0

    var deleted: Int { deleteCalls + deletedInBatches }
}

/// The broker's SQS, counting calls and deletes, and telling a waiter when a number of messages
/// has been deleted.
final class CountingSQS: SQSAPI {
    private let inner: any SQSAPI
    private let state = Mutex<(counts: CallCounts, waiter: (target: Int, continuation: CheckedContinuation<Void, Never>)?)>((CallCounts(), nil))

    init(inner: any SQSAPI) {
        self.inner = inner
    }

    var counts: CallCounts { state.withLock { $0.counts } }

    /// Forgets the counts so far.
    func reset() { state.withLock { $0.counts = CallCounts() } }

    /// Returns once `target` messages have been deleted.
    func waitForDeletes(_ target: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.counts.deleted >= target { return true }
                state.waiter = (target, continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func update(_ change: (inout CallCounts) -> Void) {
        let reached = state.withLock { state -> CheckedContinuation<Void, Never>? in
            change(&state.counts)
            guard let waiter = state.waiter, state.counts.deleted >= waiter.target else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        reached?.resume()
    }

    func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        let messages = try await inner.receiveMessage(request)
        update { $0.receives += 1; $0.received += messages.count }
        return messages
    }

    func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try await inner.deleteMessage(queueURL: queueURL, receiptHandle: receiptHandle)
        update { $0.deleteCalls += 1 }
    }

    func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        let result = try await inner.deleteMessageBatch(queueURL: queueURL, entries: entries)
        update { $0.deleteBatchCalls += 1; $0.deletedInBatches += result.successful.count }
        return result
    }

    func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult {
        update { $0.otherCalls += 1 }
        return try await inner.sendMessage(request)
    }

    func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        update { $0.otherCalls += 1 }
        return try await inner.sendMessageBatch(queueURL: queueURL, entries: entries)
    }

    func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        update { $0.otherCalls += 1 }
        try await inner.changeMessageVisibility(queueURL: queueURL, receiptHandle: receiptHandle, visibilityTimeout: visibilityTimeout)
    }

    func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        update { $0.otherCalls += 1 }
        return try await inner.changeMessageVisibilityBatch(queueURL: queueURL, entries: entries)
    }

    func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try await inner.createQueue(name: name, attributes: attributes)
    }

    func deleteQueue(queueURL: String) async throws { try await inner.deleteQueue(queueURL: queueURL) }
    func purgeQueue(queueURL: String) async throws { try await inner.purgeQueue(queueURL: queueURL) }
    func getQueueURL(queueName: String) async throws -> String { try await inner.getQueueURL(queueName: queueName) }

    func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        update { $0.otherCalls += 1 }
        return try await inner.getQueueAttributes(queueURL: queueURL, names: names)
    }

    func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try await inner.setQueueAttributes(queueURL: queueURL, attributes: attributes)
    }
}
