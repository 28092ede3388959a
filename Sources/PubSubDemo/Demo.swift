import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// The demo itself: creates a topic, a queue with a dead-letter queue and the subscription,
/// publishes the ``DemoScenario``'s messages through the producer (and one body that is not JSON
/// straight to the queue), runs the daemon's ``ConsumerLoop`` until the queue is drained, and
/// reports where every message ended.
///
/// ```swift
/// let demo = Demo(options: DemoOptions(), progress: { print($0) })
/// let report = try await demo.run()
/// report.lines.forEach { print($0) }      // the results table and the dead-letter queue
/// ```
///
/// On the embedded in-memory broker (`memory://`, the default) nothing leaves the process and no
/// credentials are needed. With an endpoint (moto, LocalStack), the resources get unique names and
/// are deleted at the end; credentials and region are found as for any AWS client.
public struct Demo: Sendable {
    /// The graph's service name: the loggers' label.
    public static let serviceName = "pubsub-demo"

    /// Where the demo runs and how.
    public let options: DemoOptions
    /// Where the demo says what it is doing, a line at a time.
    public let progress: @Sendable (String) -> Void
    /// Sees each graph before the demo uses it (tests assign or override bindings).
    public let prepareGraph: @Sendable (Graph) async throws -> Void

    /// A demo with `options`, saying what it does through `progress`.
    public init(options: DemoOptions, progress: @escaping @Sendable (String) -> Void = { _ in },
                prepareGraph: @escaping @Sendable (Graph) async throws -> Void = { _ in }) {
        self.options = options
        self.progress = progress
        self.prepareGraph = prepareGraph
    }

    /// Runs the demo; throws when a resource cannot be created or a message cannot be sent.
    public func run() async throws -> DemoReport {
        let admin = try Graph(name: Self.serviceName, registry: .pubsub, loader: .empty, config: [
            "sns_producer": .object(clientConfig), "sqs_consumer": .object(clientConfig), "logging": ["level": .string(options.logLevel)],
        ])
        try await prepareGraph(admin)
        let sns = try admin.snsClient
        let sqs = try admin.sqsClient
        var resources = DemoResources(suffix: options.isEmbedded ? nil : DemoResources.uniqueSuffix())
        let report: DemoReport
        do {
            try await resources.create(sns: sns, sqs: sqs)
            report = try await run(admin: admin, resources: resources)
        } catch {
            _ = await cleanUp(resources, sns: sns, sqs: sqs)
            throw error
        }
        let problems = await cleanUp(resources, sns: sns, sqs: sqs)
        if !problems.isEmpty { throw DemoError(problems.joined(separator: "; ")) }
        return report
    }

    /// `endpoint_url` and `region_name` for both clients.
    private var clientConfig: JSONObject {
        ["endpoint_url": .string(options.endpointURL), "region_name": .string(options.region)]
    }

    private func run(admin: Graph, resources: DemoResources) async throws -> DemoReport {
        let sqs = try admin.sqsClient
        guard let topicArn = resources.topicArn, let queueURL = resources.queueURL, let deadLetterQueueURL = resources.deadLetterQueueURL else {
            throw DemoError("the demo's resources were not all created")
        }
        progress("pubsub demo on \(options.isEmbedded ? "the embedded in-memory broker (memory://): no AWS, no credentials" : options.endpointURL)")
        progress("  topic        \(topicArn)")
        progress("  queue        \(queueURL) (VisibilityTimeout \(DemoResources.visibilityTimeout) s)")
        progress("  dead letters \(deadLetterQueueURL) (RedrivePolicy maxReceiveCount \(DemoResources.maxReceiveCount))")

        let graph = try daemonGraph(admin: admin, topicArn: topicArn, queueURL: queueURL)
        let metrics = InMemoryPubSubMetrics()
        let attempts = DemoAttempts()
        graph.assign(.pubsubMetrics, metrics as any PubSubMetrics)
        graph.assign(.sqsMessageHandlers, DemoScenario.handlers(recordingIn: attempts))
        try await prepareGraph(graph)
        try graph.use(BindingKey.snsProducer.name, BindingKey.sqsConsumer.name, BindingKey.sqsMessageDispatcher.name,
                      BindingKey.consumerDaemon.name, BindingKey.pubsubClock.name, BindingKey.pubsubIOExecutor.name)
        graph.lock()

        let producer = try graph.snsProducer
        for message in DemoScenario.messages {
            let opaqueData: JSONObject = message.ttl.map { [PubSubWire.ttlKey: .string(String($0))] } ?? [:]
            try await producer.produce(message.mediaType, message.fields, opaqueData: opaqueData)
        }
        let poison = try await sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: DemoScenario.poisonBody))
        let sent = DemoScenario.messages.count + 1
        progress("published \(DemoScenario.messages.count) messages (created, changed and deleted orders, created invoices) to the "
                 + "topic; sent 1 that is not JSON straight to the queue")
        try await waitForDelivery(of: sent, to: queueURL, sqs: sqs)

        let settings = try graph.consumerDaemonSettings
        progress("running the daemon loop (concurrency \(settings.concurrency); FAILED and RETRIED messages come back after "
                 + "\(DemoScenario.retrySeconds) s) until the queue is drained...")
        let loop = try ConsumerLoop(graph: graph, visibilityTimeout: DemoResources.visibilityTimeout)
        let clock = ContinuousClock()
        let start = clock.now
        let run = Task { await loop.run() }
        let drained: Bool
        do {
            drained = try await waitUntilDrained(queueURL, sqs: sqs)
        } catch {
            loop.triggerGracefulShutdown()
            _ = await run.value
            throw error
        }
        let elapsed = start.duration(to: clock.now)
        loop.triggerGracefulShutdown()
        let loopReport = await run.value
        progress(drained ? String(format: "drained in %.1f s; daemon loop: \(loopReport)", Self.seconds(elapsed))
                         : "not drained after \(Int(Self.seconds(options.timeout))) s; daemon loop: \(loopReport)")

        let deadLetters = try await deadLetterMessages(admin: admin, resources: resources)
        return DemoReport(endpoint: options.endpointURL, topicArn: topicArn, queueURL: queueURL, deadLetterQueueURL: deadLetterQueueURL,
                          poisonMessageId: poison.messageId, rows: rows(metrics: metrics, deadLetters: deadLetters),
                          attempts: attempts.all, deadLetters: deadLetters, deadLetterListing: options.isEmbedded ? .inspected : .received,
                          loop: loopReport, drained: drained, elapsed: elapsed)
    }

    /// The daemon's graph: the library's bindings configured for the demo's topic and queue, on
    /// the same broker (embedded) or transport (endpoint) as `admin`.
    private func daemonGraph(admin: Graph, topicArn: String, queueURL: String) throws -> Graph {
        var consumer = clientConfig
        consumer["sqs_queue_url"] = .string(queueURL)
        consumer["wait_seconds"] = 1
        consumer["backoff_policy"] = "NaiveBackoffPolicy"
        consumer["message_retry_visibility_timeout_seconds"] = .int(DemoScenario.retrySeconds)
        let graph = try Graph(name: Self.serviceName, registry: .pubsub, loader: .empty, config: [
            "sns_producer": .object(clientConfig),
            "sns_topic_arns": ["default": .string(topicArn)],
            "sqs_consumer": .object(consumer),
            "consumer_daemon": ["concurrency": .int(options.concurrency), "grace_period_seconds": 5],
            "sleep_policy": ["default_sleep_timeout": 0.1],
            "logging": ["level": .string(options.logLevel)],
        ])
        if options.isEmbedded {
            graph.assign(.pubsubBroker, try admin.pubsubBroker)
        } else {
            graph.assign(.awsTransport, try admin.awsTransport)
        }
        return graph
    }

    /// Waits until the queue holds `count` messages: SNS may deliver after Publish returns (LocalStack does).
    private func waitForDelivery(of count: Int, to queueURL: String, sqs: any SQSAPI) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let counts = try await Self.queueCounts(queueURL, sqs: sqs)
            if counts.reduce(0, +) >= count { return }
            guard ContinuousClock.now < deadline else {
                throw DemoError("only \(counts.reduce(0, +)) of \(count) messages reached the queue \(queueURL) within 10 s")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls the queue until nothing is visible, in flight or delayed twice in a row (true), or
    /// until the timeout (false).
    private func waitUntilDrained(_ queueURL: String, sqs: any SQSAPI) async throws -> Bool {
        let deadline = ContinuousClock.now + options.timeout
        var emptyInARow = 0
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            emptyInARow = try await Self.queueCounts(queueURL, sqs: sqs).allSatisfy { $0 == 0 } ? emptyInARow + 1 : 0
            if emptyInARow == 2 { return true }
        }
        return false
    }

    /// Visible, in flight and delayed messages of a queue (GetQueueAttributes).
    private static func queueCounts(_ queueURL: String, sqs: any SQSAPI) async throws -> [Int] {
        let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
        let attributes = try await sqs.getQueueAttributes(queueURL: queueURL, names: names)
        return names.map { attributes[$0].flatMap { Int($0) } ?? 0 }
    }

    /// The dead-letter queue's messages: looked at in place in the embedded broker; received
    /// (up to 10 at a time until none come) from an endpoint, where the queue is deleted next.
    private func deadLetterMessages(admin: Graph, resources: DemoResources) async throws -> [DemoReport.DeadLetter] {
        guard let queueURL = resources.queueURL, let deadLetterQueueURL = resources.deadLetterQueueURL else { return [] }
        if options.isEmbedded {
            return try await admin.pubsubBroker.deadLetterMessages(of: queueURL).map {
                DemoReport.DeadLetter(messageId: $0.messageId, receiveCount: $0.receiveCount, body: $0.body)
            }
        }
        let sqs = try admin.sqsClient
        var found: [DemoReport.DeadLetter] = []
        while true {
            let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: deadLetterQueueURL, maxNumberOfMessages: 10,
                                                                              waitTimeSeconds: 1, visibilityTimeout: 60))
            if messages.isEmpty { return found }
            found += messages.map { DemoReport.DeadLetter(messageId: $0.messageId, receiveCount: $0.receiveCount ?? 0, body: $0.body) }
        }
    }

    /// The table's rows: per media type, the messages sent, the results recorded by the
    /// dispatcher's metrics, and the dead-lettered messages (by the media type their body names).
    private func rows(metrics: InMemoryPubSubMetrics, deadLetters: [DemoReport.DeadLetter]) -> [DemoReport.Row] {
        let recorded = metrics.messages
        return DemoScenario.mediaTypes.map { mediaType in
            let sent = mediaType.map { type in DemoScenario.messages.count { $0.mediaType == type } } ?? 1
            let results = recorded.filter { $0.mediaType == mediaType }.reduce(into: [MessageHandlingResult.Kind: Int]()) {
                $0[$1.kind, default: 0] += 1
            }
            let deadLettered = deadLetters.count { Self.mediaType(ofBody: $0.body) == mediaType }
            return DemoReport.Row(mediaType: mediaType, messages: sent, results: results, deadLettered: deadLettered)
        }
    }

    /// The media type a body names: its own `mediaType`, or that of the SNS envelope's `Message`.
    static func mediaType(ofBody body: String) -> MediaType? {
        guard case .object(let object)? = try? JSONParser.parse(body) else { return nil }
        if case .string(let text)? = object["mediaType"] { return MediaType(text) }
        if case .string(let message)? = object["Message"] { return mediaType(ofBody: message) }
        return nil
    }

    /// Deletes the resources made on an endpoint (the embedded broker goes with the process);
    /// returns a line for each that could not be deleted.
    private func cleanUp(_ resources: DemoResources, sns: any SNSAPI, sqs: any SQSAPI) async -> [String] {
        guard !options.isEmbedded, !resources.isEmpty else { return [] }
        let problems = await resources.delete(sns: sns, sqs: sqs)
        if problems.isEmpty {
            progress("deleted the topic, the queues and the subscription from \(options.endpointURL)")
        }
        return problems
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
