import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub

/// Why a daemon could not start, and the exit status that says so: 64 for configuration (the
/// consumer, the dispatcher, a queue that does not exist), 1 for the rest (the health port, ``ConsumerDaemon/prepare(_:)``).
struct ConsumerDaemonStartUpFailure: Error {
    let status: Int32
    let underlying: any Error
}

/// A daemon past its start-up: its queue and topics made when embedded, the loop built, the
/// health endpoint listening, ``ConsumerDaemon/prepare(_:)`` done.
final class StartedConsumerDaemon: Sendable {
    let graph: Graph
    let loop: ConsumerLoop
    let state: ConsumerDaemonStateCell
    let health: HealthServer?
    /// Every message's result, when recorded (a testing daemon started in process).
    let results: ConsumerDaemonResults?

    private init(graph: Graph, loop: ConsumerLoop, state: ConsumerDaemonStateCell, health: HealthServer?,
                 results: ConsumerDaemonResults?) {
        self.graph = graph
        self.loop = loop
        self.state = state
        self.health = health
        self.results = results
    }

    /// Starts `daemon` on `graph` (made by ``ConsumerDaemon/makeGraph(arguments:environment:overrides:)``):
    /// makes the queue and topics when embedded, reads the queue's attributes, builds the loop,
    /// opens the health endpoint, runs ``ConsumerDaemon/prepare(_:)`` and logs the start-up line.
    /// Nil when `shutdown` was triggered before the loop could start. With `recordsResults`, keeps
    /// every message's result in ``results``.
    static func startUp(_ daemon: some ConsumerDaemon, graph: Graph, shutdown: ConsumerDaemonShutdown,
                        recordsResults: Bool = false) async throws(ConsumerDaemonStartUpFailure) -> StartedConsumerDaemon? {
        let logger = graph.logger
        let name = daemon.name
        let consumer: SQSConsumer
        let settings: ConsumerDaemonSettings
        let loop: ConsumerLoop
        let attributes: ConsumerQueueAttributes?
        let embeddedQueueURL: String?
        let results = recordsResults ? ConsumerDaemonResults() : nil
        do {
            consumer = try graph.sqsConsumer
            let dispatcher = try graph.sqsMessageDispatcher
            settings = try graph.consumerDaemonSettings
            for (mediaType, handler) in dispatcher.handlerNames.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                logger.info("Handling: \(mediaType) with handler: \(handler)")
            }
            let read = try await shutdown.untilTriggered { () async throws -> Box in
                let queueURL = try await Self.createEmbedded(graph: graph, consumer: consumer)
                await TopologyCheck.atStartUp(daemon, graph: graph)   // topology.check_at_start_up: warns, never fails
                return Box(queueURL: queueURL, attributes: try await ConsumerDaemonQueue.startUpAttributes(of: consumer))
            }
            guard let read else { return nil }
            attributes = read.attributes
            embeddedQueueURL = read.queueURL
            loop = try ConsumerLoop(graph: graph, queueAttributes: attributes, onResult: results?.recorder)
        } catch {
            throw ConsumerDaemonStartUpFailure(status: UsageError.exitStatus, underlying: error)
        }
        let state = ConsumerDaemonStateCell()
        let health: HealthServer?
        let meter = try? graph.awsUsageMeter
        do {
            health = try settings.healthPort.map { port in
                try HealthServer(host: settings.healthHost, port: port, name: name, state: {
                    let failures = loop.failedReceivesInARow
                    return ConsumerDaemonHealth(state: state.value, failedReceives: failures.count, lastReceiveError: failures.lastError)
                }, usage: { meter?.usage })
            }
        } catch {
            throw ConsumerDaemonStartUpFailure(status: 1, underlying: error)
        }
        do {
            try await daemon.prepare(graph)
        } catch {
            await health?.stop()
            throw ConsumerDaemonStartUpFailure(status: 1, underlying: error)
        }
        let plan = attributes.flatMap { loop.retryPlan(for: $0) }
        let source = embeddedQueueURL.map { "queue '\($0)' (in-memory broker)" } ?? "\(consumer.source)"
        logger.info("Starting daemon \(name): \(source), concurrency \(settings.concurrency)"
                        + (loop.leaseDescription.map { ", \($0)" } ?? "")
                        + (plan.map { "; \($0.summary)" } ?? (consumer.queueURL == nil ? "" : "; retries: not known until the queue's "
                                                                  + "attributes can be read"))
                        + (health.map { "; health on \($0.healthURL)" } ?? ""))
        for warning in plan?.warnings ?? [] { logger.warning(warning) }
        return StartedConsumerDaemon(graph: graph, loop: loop, state: state, health: health, results: results)
    }

    /// What start-up learns about the queue.
    private struct Box: Sendable {
        let queueURL: String?
        let attributes: ConsumerQueueAttributes?
    }

    /// Makes the topics and queue the configuration names in the graph's in-memory broker, when
    /// the graph uses it; returns the queue's URL there when the consumer reads it.
    private static func createEmbedded(graph: Graph, consumer: SQSConsumer) async throws -> String? {
        guard graph.isCreated(.pubsubBroker) else { return nil }
        var topology = EmbeddedTopology(graph.config)
        guard case .queue(_, _ as InMemorySQS) = consumer.source.kind else {
            topology.leaveOutQueue()
            try await topology.create(in: try graph.pubsubBroker, logger: graph.logger)
            return nil
        }
        return try await topology.create(in: try graph.pubsubBroker, logger: graph.logger)
    }

    /// Starts a graceful shutdown: no more receives, in-flight handlers finish.
    func drain() {
        state.set(.draining)
        loop.triggerGracefulShutdown()
    }

    /// Runs the loop to its end, then the daemon's shutdown hook, then closes the health endpoint.
    func runToEnd(_ daemon: some ConsumerDaemon) async -> (report: ConsumerLoopReport, shutdownError: (any Error)?) {
        state.set(.running)
        let report = await loop.run()
        state.set(.stopped)
        var shutdownError: (any Error)?
        do {
            try await daemon.shutDown(graph, report: report)
        } catch {
            graph.logger.error("shutting down daemon \(daemon.name) failed: \(error)")
            shutdownError = error
        }
        await health?.stop()
        graph.logger.info("Stopped daemon \(daemon.name) (\(report.ending)): \(report)")
        if let usage = (try? graph.awsUsageMeter)?.usage, usage.calls > 0 {
            graph.logger.info("AWS requests of daemon \(daemon.name): \(usage)")
        }
        return (report, shutdownError)
    }
}
