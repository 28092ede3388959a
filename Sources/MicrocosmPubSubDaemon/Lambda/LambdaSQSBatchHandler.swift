#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// Handles the SQS events of a Lambda function through a daemon's warm graph: each record goes
/// through the graph's dispatcher (`sqs_message_dispatcher`) exactly as a daemon's loop handles a
/// message from its queue, up to `consumer_daemon.concurrency` at once (FIFO groups in order), and
/// the result is the partial batch response Lambda's `ReportBatchItemFailures` reads.
///
/// - A record handled to SUCCEEDED, SKIPPED, IGNORED or EXPIRED is done: Lambda deletes it.
/// - Every other record is named in `batchItemFailures`, so SQS delivers it again after the
///   queue's visibility timeout (and, after `maxReceiveCount`, moves it to the dead-letter
///   queue): RETRIED (a `Nack`: its delay cannot be set from Lambda), FAILED (a handler error, a
///   body that is not JSON or fails its schema), the later records of a FIFO group after one that
///   failed, and every record not started before ``deadlineMargin`` before the invocation's
///   deadline or still running when it comes.
/// - An event that is not an SQS event (no `Records`, a record whose `eventSource` is not
///   `aws:sqs` or without a `messageId`) throws ``LambdaRuntimeError/invalidEvent(_:underlying:)``:
///   reported as an invocation error, so Lambda retries the batch whole.
/// - An event with a `warm` member (a scheduled warm-up, as microcosm-pubsub's
///   `make_lambda_handler` answers it) gets `"warming up"`.
///
/// ```swift
/// let handler = try LambdaSQSBatchHandler(graph: graph)       // the daemon's graph, created once
/// let body = try await handler.handle(invocation)              // {"batchItemFailures":[{"itemIdentifier":"..."}]}
/// ```
public final class LambdaSQSBatchHandler: Sendable {
    /// How long before the invocation's deadline the handler stops starting records; records
    /// running then get all but the last quarter of it to finish, and are failures if they do not.
    public let deadlineMargin: Duration

    private let consumer: SQSConsumer
    private let dispatcher: SQSMessageDispatcher
    private let settings: ConsumerDaemonSettings
    private let metrics: any PubSubMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// A handler over `graph`'s consumer settings (`sqs_consumer`, `sqs_envelope`), dispatcher,
    /// `consumer_daemon` settings and metrics; the graph must have created them (a daemon's graph
    /// has). `now` is the wall clock deadlines are read against.
    public init(graph: Graph, deadlineMargin: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.consumer = try graph.sqsConsumer
        self.dispatcher = try graph.sqsMessageDispatcher
        self.settings = try graph.consumerDaemonSettings
        self.metrics = try graph.pubsubMetrics
        self.logger = graph.logger
        self.deadlineMargin = deadlineMargin
        self.now = now
    }

    /// Handles `invocation`'s SQS event and returns the response body: the partial batch
    /// response, or `"warming up"` for a warm-up event.
    ///
    /// Throws ``LambdaRuntimeError`` (``LambdaRuntimeError/Code/invalidEvent``) when the event is
    /// not an SQS event; never because of a record.
    public func handle(_ invocation: LambdaInvocation) async throws -> [UInt8] {
        let event: JSONValue
        do {
            event = try JSONParser.parse(invocation.event)
        } catch {
            throw LambdaRuntimeError.invalidEvent("not JSON: \(error)", underlying: error)
        }
        if case .object(let members) = event, members["warm"] != nil {
            return Array(#""warming up""#.utf8)
        }
        let records = try Self.records(of: event)
        let failures = await handle(records, invocation: invocation)
        return Array(LambdaBatchResponse(batchItemFailures: failures).json.utf8)
    }

    /// Handles `records` and returns the message ids of those not done, in the event's order.
    private func handle(_ records: [(messageId: String, record: JSONValue)], invocation: LambdaInvocation) async -> [String] {
        guard !records.isEmpty else { return [] }
        let source: MessageSource
        do {
            source = try MessageSource.lambdaEvent(.array(records.map(\.record)))
        } catch {
            return records.map(\.messageId)   // not reached: the records are an array
        }
        let consumer = SQSConsumer(source: source, envelope: self.consumer.envelope, backoffPolicy: self.consumer.backoffPolicy,
                                   limit: self.consumer.limit, waitSeconds: 0, visibilityTimeout: nil, logger: self.consumer.logger)
        let untilCutoff = invocation.deadline.map { Duration.seconds($0.timeIntervalSince(now())) - deadlineMargin }
        var settings = self.settings
        settings.gracePeriod = min(settings.gracePeriod, deadlineMargin * 3 / 4)
        let dispatcher = self.dispatcher
        let metrics = self.metrics
        let loop = ConsumerLoop(consumer: consumer, settings: settings, queueAttributes: nil, clock: ContinuousClock(), logger: logger,
                                onBatch: { metrics.recordBatch(size: $0.size, elapsed: $0.elapsed) }, recordsMessageIds: true,
                                ioExecutor: nil, maxProcessingAttempts: dispatcher.maxProcessingAttempts) { message in
            await dispatcher.dispatch(message)
        }
        if let untilCutoff, untilCutoff <= .zero {
            logger.warning("Lambda invocation \(invocation.requestId): less than \(ConsumerLoop.seconds(deadlineMargin)) s before its "
                               + "deadline; none of its \(records.count) record(s) started, all reported as failures")
            loop.triggerGracefulShutdown()
        }
        let report = await LambdaInvocation.$current.withValue(invocation) {
            await withTaskGroup(of: Void.self, returning: ConsumerLoopReport.self) { group in
                if let untilCutoff, untilCutoff > .zero {
                    group.addTask {
                        guard (try? await Task.sleep(for: untilCutoff)) != nil else { return }
                        loop.triggerGracefulShutdown()
                    }
                }
                let report = await loop.run()
                group.cancelAll()
                return report
            }
        }
        let deleted = Set(report.deletedIds)
        let failures = records.map(\.messageId).filter { !deleted.contains($0) }
        logger.info("Lambda invocation \(invocation.requestId): \(report); \(failures.count) batch item failure(s)",
                    metadata: ["aws.request_id": invocation.requestId])
        return failures
    }

    /// The records of an SQS event, each with its message id.
    static func records(of event: JSONValue) throws -> [(messageId: String, record: JSONValue)] {
        guard case .object(let members) = event else {
            throw LambdaRuntimeError.invalidEvent("got \(event.typeName) \(event.briefDescription), expected an object with 'Records'")
        }
        guard let list = members["Records"] else {
            let keys = members.keys.sorted().prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            throw LambdaRuntimeError.invalidEvent("no 'Records' (members: \(keys.isEmpty ? "none" : keys))")
        }
        guard case .array(let records) = list else {
            throw LambdaRuntimeError.invalidEvent("'Records' is \(list.typeName) \(list.briefDescription), expected an array")
        }
        return try records.enumerated().map { index, record in
            guard case .object(let fields) = record else {
                throw LambdaRuntimeError.invalidEvent("record \(index) is \(record.typeName) \(record.briefDescription), expected an object")
            }
            let source = fields["eventSource"]?.stringValue ?? fields["EventSource"]?.stringValue
            guard source == "aws:sqs" else {
                throw LambdaRuntimeError.invalidEvent("record \(index) has eventSource "
                                                          + (source.map { "'\($0)'" } ?? "missing") + ", expected 'aws:sqs'")
            }
            guard case .string(let messageId)? = fields["messageId"], !messageId.isEmpty else {
                throw LambdaRuntimeError.invalidEvent("record \(index) has no 'messageId' string")
            }
            return (messageId, record)
        }
    }
}
