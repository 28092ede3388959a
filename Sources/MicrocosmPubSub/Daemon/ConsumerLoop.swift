import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization

/// The daemon's loop: receives messages, hands them to `dispatch` up to
/// ``ConsumerDaemonSettings/concurrency`` at once, and acknowledges them in batches, until a
/// finite source ends or ``triggerGracefulShutdown()`` is called.
///
/// - Messages of one FIFO message group run one at a time, in receive order; when one is not
///   deleted (RETRIED, FAILED), the group's later messages are handed back unstarted.
/// - Results that delete are acknowledged with DeleteMessageBatch; RETRIED and FAILED are nacked
///   with ChangeMessageVisibilityBatch (the handler's `Nack` seconds, else the backoff policy).
///   Entries that fail retryably are tried again (only those), the others are logged; none is
///   dropped silently, and nothing is deleted that was not handled.
/// - A heartbeat extends the visibility of every held message (received, not yet handled) before
///   it runs out, so a slow handler's message is not delivered twice.
/// - A receive that finds nothing is followed by a short sleep; a failed receive is logged and
///   tried again with backoff; the loop keeps running.
/// - On shutdown it stops receiving, hands back unstarted messages (visibility 0), lets running
///   handlers finish within the grace period, flushes acknowledgements and returns.
///
/// ```swift
/// let dispatcher = try graph.sqsMessageDispatcher
/// let loop = ConsumerLoop(consumer: try graph.sqsConsumer, settings: try graph.consumerDaemonSettings,
///                         logger: graph.logger) { message in await dispatcher.dispatch(message) }
/// let run = Task { await loop.run() }
/// // ... later, from a signal handler or a test:
/// loop.triggerGracefulShutdown()
/// let report = await run.value          // report.ending == .shutdown
/// ```
public final class ConsumerLoop: Sendable {
    /// Handles one message to a result; never throws, never acknowledges.
    public typealias Dispatch = @Sendable (ConsumedMessage) async -> MessageHandlingResult

    /// Where messages come from and how they are acknowledged.
    public let consumer: SQSConsumer
    /// Concurrency, grace period, heartbeat, backoff.
    public let settings: ConsumerDaemonSettings
    /// How long a received message stays invisible (seconds): what the heartbeat extends it by.
    public let visibilityTimeout: Int?
    /// How often the heartbeat extends held messages; nil: no heartbeat.
    public let heartbeatInterval: Duration?
    /// Whether the report lists the ids of the messages (else it only counts them).
    public let recordsMessageIds: Bool

    private let clock: any BrokerClock
    private let ioExecutor: (any TaskExecutor)?
    private let logger: Logger
    private let dispatch: Dispatch
    private let state: ConsumerLoopState
    private let control = Mutex(Control())

    private struct Control {
        var started = false
        var graceTimer: Task<Void, Never>?
    }

    /// A loop over `consumer`'s messages.
    ///
    /// - Parameters:
    ///   - consumer: the source and the acknowledgements.
    ///   - settings: concurrency, grace period, heartbeat and backoff.
    ///   - visibilityTimeout: the queue's visibility timeout in seconds (its `VisibilityTimeout`
    ///     attribute, see ``queueVisibilityTimeout(of:)``); nil: the consumer's
    ///     `visibility_timeout_seconds`. The heartbeat extends held messages by this much every
    ///     `settings.heartbeatInterval`, or every half of it. With neither a timeout nor an
    ///     interval there is no heartbeat; with only an interval, messages are extended by twice it.
    ///   - clock: the time the loop sleeps and schedules heartbeats by; tests pass the in-memory
    ///     broker's ``ManualBrokerClock``.
    ///   - logger: where the loop reports failures and shutdown.
    ///   - onBatch: called once every message of a receive has been handled or handed back
    ///     (metrics: microcosm-pubsub's batch size and time).
    ///   - recordsMessageIds: whether the report lists message ids, not only counts; nil: for
    ///     sources other than a queue (a Lambda event, a file, standard input).
    ///   - ioExecutor: where receives, acknowledgements and the heartbeat run (a `CurlTransport`'s
    ///     `executor`, so SQS calls need no thread switch); handlers never run there. Nil: the
    ///     global executor.
    ///   - dispatch: handles one message to a result.
    public init(consumer: SQSConsumer, settings: ConsumerDaemonSettings = ConsumerDaemonSettings(), visibilityTimeout: Int? = nil,
                clock: any BrokerClock = SystemBrokerClock(), logger: Logger, onBatch: (@Sendable (ConsumerLoopBatch) -> Void)? = nil,
                recordsMessageIds: Bool? = nil, ioExecutor: (any TaskExecutor)? = nil, dispatch: @escaping Dispatch) {
        self.consumer = consumer
        self.settings = settings
        let timeout = visibilityTimeout ?? consumer.visibilityTimeout
        let heartbeat = consumer.source.acknowledges ? settings.heartbeat(visibilityTimeout: timeout) : nil
        self.visibilityTimeout = timeout ?? heartbeat.map { Int(($0.timeInterval * 2).rounded(.up)) }
        self.heartbeatInterval = heartbeat
        self.recordsMessageIds = recordsMessageIds ?? !consumer.source.acknowledges
        self.clock = clock
        self.ioExecutor = ioExecutor
        self.logger = logger
        self.dispatch = dispatch
        self.state = ConsumerLoopState(concurrency: settings.concurrency, receiveSize: consumer.limit,
                                       heartbeatInterval: heartbeat?.timeInterval,
                                       logger: logger, clock: clock, onBatch: onBatch, recordsMessageIds: self.recordsMessageIds)
    }

    /// The `VisibilityTimeout` attribute of the consumer's queue (GetQueueAttributes); nil for
    /// sources that are not queues.
    public static func queueVisibilityTimeout(of consumer: SQSConsumer) async throws -> Int? {
        guard case .queue(let url, let client) = consumer.source.kind else { return nil }
        let attributes = try await client.getQueueAttributes(queueURL: url, names: ["VisibilityTimeout"])
        return attributes["VisibilityTimeout"].flatMap { Int($0) }
    }

    // MARK: Running

    /// Runs until a finite source has ended and every message is handled and acknowledged, or
    /// until a graceful shutdown completes. Cancelling the calling task triggers a graceful
    /// shutdown. Runs once per loop.
    public func run() async -> ConsumerLoopReport {
        let first = control.withLock { control in
            defer { control.started = true }
            return !control.started
        }
        precondition(first, "a ConsumerLoop runs once")
        let acknowledges = consumer.source.acknowledges
        let receivers = acknowledges ? max(1, (settings.concurrency + consumer.limit - 1) / consumer.limit) : 1
        var tasks: [Task<Void, Never>] = []
        for _ in 0..<receivers { tasks.append(Task(executorPreference: ioExecutor) { await self.receive() }) }
        for _ in 0..<settings.concurrency { tasks.append(Task { await self.work() }) }
        for _ in 0..<receivers { tasks.append(Task(executorPreference: ioExecutor) { await self.flush() }) }
        if let heartbeatInterval, let visibilityTimeout {
            logger.debug("visibility heartbeat every \(heartbeatInterval.timeInterval) s, extending by \(visibilityTimeout) s")
            tasks.append(Task(executorPreference: ioExecutor) { await self.beat(extendingBy: visibilityTimeout) })
        }
        let report = await withTaskCancellationHandler {
            await state.waitUntilFinished()
        } onCancel: {
            self.triggerGracefulShutdown()
        }
        for task in tasks { task.cancel() }
        control.withLock { $0.graceTimer?.cancel() }
        return report
    }

    /// Starts a graceful shutdown: no more receives, unstarted messages handed back
    /// (visibility 0), running handlers given ``ConsumerDaemonSettings/gracePeriod`` to finish,
    /// acknowledgements flushed; then ``run()`` returns. Calling it again does nothing.
    public func triggerGracefulShutdown() {
        let timer = Task { [state, clock, gracePeriod = settings.gracePeriod] in
            guard await state.stop() else { return }
            try? await clock.sleep(for: gracePeriod)
            if !Task.isCancelled { await state.expireGrace() }
        }
        control.withLock { control in
            if control.graceTimer == nil { control.graceTimer = timer }
        }
    }

    // MARK: Tasks

    private func receive() async {
        var failures = 0
        while await state.reserveReceive() {
            let started = clock.now
            let messages: [ConsumedMessage]
            do {
                messages = try await consumer.consume()
            } catch let error as SQSConsumerError {
                logger.error("cannot receive from \(consumer.source): \(error)")
                await state.receiveFailed()
                await state.sourceFailed("\(error)")
                return
            } catch {
                await state.receiveFailed()
                if Task.isCancelled { return }
                failures += 1
                let pause = settings.backoff(afterFailures: failures)
                logger.log(RetryPolicy().isRetryable(error) ? .warning : .error,
                           "receive from \(consumer.source) failed (\(failures) in a row); trying again in "
                               + "\(Self.seconds(pause)) s: \(error)")
                await state.pause(until: clock.now.addingTimeInterval(pause.timeInterval), clock: clock)
                continue
            }
            failures = 0
            if !messages.isEmpty {
                logger.debug("received \(messages.count) message(s) from \(consumer.source)")
            }
            let late = await state.received(messages, startedAt: started, sourceEnded: consumer.isExhausted)
            if !late.isEmpty {
                // This receive was cancelled as the run ended; a task of its own is not.
                await Task { await self.handBack(late) }.value
            }
            if messages.isEmpty, !consumer.isExhausted {
                await state.pause(until: clock.now.addingTimeInterval(settings.idleSleep.timeInterval), clock: clock)
            }
        }
    }

    /// Hands back messages a receive brought after the run ended (visibility 0).
    private func handBack(_ messages: [ConsumedMessage]) async {
        let report = await consumer.nack(messages.map { (message: $0, visibilityTimeout: 0) })
        logger.info("handed back \(report.succeeded.count) message(s) received as the loop ended")
        for failure in report.failed {
            logger.warning("\(failure); SQS delivers the message again after its visibility timeout",
                           metadata: ["pubsub.message_id": failure.message.messageId])
        }
    }

    private func work() async {
        while let message = await state.nextMessage() {
            logger.debug("handling \(message)", metadata: ["pubsub.message_id": message.messageId])
            let result = await dispatch(message)
            await state.handled(message, result)
        }
    }

    private func flush() async {
        while let batch = await state.nextAcknowledgements() {
            var pending = batch
            var attempt = 1
            var succeeded: [ConsumedMessage] = []
            var failed: [ConsumedMessage] = []
            while true {
                let report = await acknowledge(pending)
                succeeded += report.succeeded
                var retryable: [AcknowledgementFailure] = []
                for failure in report.failed {
                    if failure.isRetryable, attempt < settings.acknowledgementAttempts {
                        retryable.append(failure)
                    } else {
                        logger.error("\(failure) (attempt \(attempt)); \(Self.consequence(of: pending)) after its visibility timeout",
                                     metadata: ["pubsub.message_id": failure.message.messageId])
                        failed.append(failure.message)
                    }
                }
                guard !retryable.isEmpty else { break }
                let pause = settings.backoff(afterFailures: attempt)
                logger.warning("\(retryable.count) acknowledgement(s) failed (attempt \(attempt)); trying them again in "
                                   + "\(Self.seconds(pause)) s: \(retryable[0])")
                try? await clock.sleep(for: pause)
                attempt += 1
                pending = pending.keeping(retryable.map(\.message))
            }
            await state.acknowledged(batch, succeeded: succeeded, failed: failed)
        }
    }

    private func acknowledge(_ batch: ConsumerLoopState.Acknowledgements) async -> AcknowledgementReport {
        switch batch {
        case .delete(let messages):
            return await consumer.ack(messages)
        case .visibility(let changes):
            return await consumer.nack(changes.map { (message: $0.message, visibilityTimeout: $0.timeout) })
        }
    }

    private func beat(extendingBy timeout: Int) async {
        while let next = await state.nextExtension(now: clock.now) {
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            let requested = clock.now
            let due = await state.takeDueExtensions(now: requested)
            guard !due.isEmpty else { continue }
            let report = await consumer.nack(due.map { (message: $0, visibilityTimeout: timeout) })
            for failure in report.failed {
                guard await state.isHeld(failure.message) else { continue }
                logger.warning("visibility heartbeat: \(failure)" + (failure.isRetryable ? "; trying again" : "; no more extensions of it"),
                               metadata: ["pubsub.message_id": failure.message.messageId])
            }
            logger.debug("visibility heartbeat: extended \(report.succeeded.count) message(s) by \(timeout) s")
            await state.extended(due, retry: report.failed.filter(\.isRetryable).map(\.message),
                                 abandon: report.failed.filter { !$0.isRetryable }.map(\.message),
                                 now: requested, retryAfter: settings.errorBackoff.timeInterval)
        }
    }

    private static func consequence(of batch: ConsumerLoopState.Acknowledgements) -> String {
        switch batch {
        case .delete: return "not deleted: SQS delivers the message again"
        case .visibility: return "visibility not changed: SQS delivers the message again"
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", duration.timeInterval)
    }
}

extension ConsumerLoopState.Acknowledgements {
    /// The same acknowledgements for `messages` only.
    func keeping(_ messages: [ConsumedMessage]) -> Self {
        let kept = Set(messages.map(ObjectIdentifier.init))
        switch self {
        case .delete(let all): return .delete(all.filter { kept.contains(ObjectIdentifier($0)) })
        case .visibility(let all): return .visibility(all.filter { kept.contains(ObjectIdentifier($0.message)) })
        }
    }
}
