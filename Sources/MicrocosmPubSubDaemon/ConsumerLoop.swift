#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import Synchronization

/// The daemon's loop: receives messages, hands them to `dispatch` up to
/// ``ConsumerDaemonSettings/concurrency`` at once, keeps a lease on every message it holds and
/// acknowledges them in batches, until a finite source ends, ``triggerGracefulShutdown()`` is
/// called, or the task running ``run()`` is cancelled.
///
/// - Messages of one FIFO message group run one at a time, in receive order; when one is not
///   deleted (RETRIED, FAILED), the group's later messages are handed back unstarted.
/// - One lease manager keeps every held message invisible until SQS has deleted it or taken it
///   back: waiting to start, in its handler, and handled but not yet deleted. Receives ask for the
///   lease's visibility timeout (`sqs_consumer.visibility_timeout_seconds`, else the queue's
///   `VisibilityTimeout`, else SQS's default 30 s until the queue's is read), and a heartbeat
///   renews it every `consumer_daemon.heartbeat_seconds` (by default a tenth of the lease, at
///   least 1 s, at most half), never past SQS's 12 hours from the receive. A lease so renewed
///   outlives an outage of SQS almost as long as the lease.
/// - Extensions, deletes and visibility changes go out as batch calls of up to ten entries,
///   several in parallel. An entry that fails is tried again on its own, after its own backoff,
///   and never holds up the others: a delete for as long as it may succeed (the message's lease
///   is renewed meanwhile), a visibility change up to `acknowledgement_attempts` times. A nack is
///   never overtaken by an extension of the same message.
/// - A message whose lease is lost (its extensions kept failing until it ran out by the loop's
///   clock, or SQS says its receipt handle is no longer valid) has its handler cancelled (the
///   handler sees `Task.isCancelled`) and is not deleted: SQS delivers it again. The report
///   counts it in ``ConsumerLoopReport/leaseLost``.
/// - A receive that finds nothing is followed by a short sleep; a failed receive is logged and
///   tried again with backoff; the loop keeps running.
/// - Graceful shutdown (``triggerGracefulShutdown()``) stops receiving, hands back unstarted
///   messages (visibility 0), lets running handlers finish and acknowledgements go through within
///   the grace period, then cancels what is left and returns. Cancelling the task that runs
///   ``run()`` is not a graceful shutdown: it stops at once, cancelling handlers and
///   acknowledging nothing more (as in swift-service-lifecycle, shutdown and cancellation are
///   kept apart).
///
/// All of it runs as child tasks of one task group in ``run()``; time is the `clock` given (a
/// test passes the in-memory broker's ``ManualBrokerClock``, so advancing it drives the broker's
/// visibility timeouts and the loop's heartbeat alike).
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
    /// Whether the report lists the ids of the messages (else it only counts them).
    public let recordsMessageIds: Bool
    /// The queue's attributes as given when the loop was made; nil: ``run()`` reads them.
    public let queueAttributes: ConsumerQueueAttributes?

    private let clock: ConsumerLoopClock
    private let ioExecutor: (any TaskExecutor)?
    private let logger: Logger
    private let dispatch: Dispatch
    private let maxProcessingAttempts: Int?
    private let state: ConsumerLoopState
    private let wakeup = ConsumerLoopWakeup()
    private let shutdown = ConsumerLoopLatch()
    private let control = Mutex(Control())
    private let receiveFailures = Mutex<(count: Int, last: String?)>((0, nil))

    private struct Control {
        var started = false
        /// The lease follows the queue's `VisibilityTimeout` (known, and none configured).
        var leaseFromQueue = false
    }

    /// The most lease calls (deletes, visibility changes, extensions) in flight at once.
    static func maxLeaseCalls(concurrency: Int) -> Int {
        max(4, 2 * ((concurrency + SQSConsumer.batchLimit - 1) / SQSConsumer.batchLimit))
    }

    /// A loop over `consumer`'s messages.
    ///
    /// - Parameters:
    ///   - consumer: the source and the acknowledgements.
    ///   - settings: concurrency, grace period, heartbeat and backoff.
    ///   - queueAttributes: what the caller read of the queue (``ConsumerQueueAttributes/read(of:)``):
    ///     its visibility timeout sets the lease, unless the consumer's `visibility_timeout_seconds`
    ///     does. Nil: ``run()`` reads them in the background, retrying until it can; leases are
    ///     SQS's default 30 s meanwhile, which receives ask for, so it holds either way.
    ///   - clock: the time the loop sleeps and schedules heartbeats by; tests pass the in-memory
    ///     broker's ``ManualBrokerClock``.
    ///   - logger: where the loop reports failures, lost leases and shutdown.
    ///   - onBatch: called once every message of a receive has been handled or handed back
    ///     (metrics: microcosm-pubsub's batch size and time).
    ///   - recordsMessageIds: whether the report lists message ids, not only counts; nil: for
    ///     sources other than a queue (a Lambda event, a file, standard input).
    ///   - ioExecutor: where receives, acknowledgements and the heartbeat run (the AWS transport's
    ///     event loop, so SQS calls need no thread switch); handlers never run there. Nil: the
    ///     global executor.
    ///   - dispatch: handles one message to a result.
    public convenience init(consumer: SQSConsumer, settings: ConsumerDaemonSettings = ConsumerDaemonSettings(),
                            queueAttributes: ConsumerQueueAttributes? = nil, clock: any Clock<Duration> = ContinuousClock(),
                            logger: Logger, onBatch: (@Sendable (ConsumerLoopBatch) -> Void)? = nil, recordsMessageIds: Bool? = nil,
                            ioExecutor: (any TaskExecutor)? = nil, dispatch: @escaping Dispatch) {
        self.init(consumer: consumer, settings: settings, queueAttributes: queueAttributes, clock: clock, logger: logger,
                  onBatch: onBatch, recordsMessageIds: recordsMessageIds, ioExecutor: ioExecutor, maxProcessingAttempts: nil,
                  dispatch: dispatch)
    }

    /// As the public initializer, with the dispatcher's `message_max_processing_attempts` for the
    /// retry plan the loop logs.
    init(consumer: SQSConsumer, settings: ConsumerDaemonSettings, queueAttributes: ConsumerQueueAttributes?,
         clock: any Clock<Duration>, logger: Logger, onBatch: (@Sendable (ConsumerLoopBatch) -> Void)?, recordsMessageIds: Bool?,
         ioExecutor: (any TaskExecutor)?, maxProcessingAttempts: Int?, dispatch: @escaping Dispatch) {
        self.consumer = consumer
        self.settings = settings
        self.queueAttributes = queueAttributes
        self.recordsMessageIds = recordsMessageIds ?? !consumer.source.acknowledges
        self.clock = ConsumerLoopClock(clock)
        self.ioExecutor = ioExecutor
        self.logger = logger
        self.dispatch = dispatch
        self.maxProcessingAttempts = maxProcessingAttempts
        let acknowledges = consumer.source.acknowledges
        self.state = ConsumerLoopState(
            concurrency: settings.concurrency, receiveSize: consumer.limit,
            maxCalls: Self.maxLeaseCalls(concurrency: settings.concurrency), settings: settings,
            configuredLease: consumer.visibilityTimeout, knownLease: queueAttributes?.visibilityTimeout,
            acknowledges: acknowledges, queueURL: consumer.queueURL ?? "\(consumer.source)", logger: logger, clock: self.clock,
            wakeup: wakeup, onBatch: onBatch, recordsMessageIds: self.recordsMessageIds)
        control.withLock { $0.leaseFromQueue = consumer.visibilityTimeout == nil && queueAttributes?.visibilityTimeout != nil }
    }

    /// The visibility timeout received messages get and extensions renew, in seconds: the
    /// consumer's `visibility_timeout_seconds`, else the queue's (once known), else SQS's default
    /// 30; nil for sources that are not queues.
    public var visibilityTimeout: Int? { state.terms.withLock { $0.leaseSeconds } }

    /// How often held messages are extended; nil: never (`heartbeat_seconds` 0, or not a queue).
    public var heartbeatInterval: Duration? { state.terms.withLock { $0.heartbeat } }

    /// How many receives failed since the last one that succeeded, and the last failure (what the
    /// daemon's health endpoint reports).
    public var failedReceivesInARow: (count: Int, lastError: String?) {
        receiveFailures.withLock { ($0.count, $0.last) }
    }

    private func recordReceive(failure: (any Error)?) {
        receiveFailures.withLock { failures in
            failures = failure.map { (failures.count + 1, "\($0)") } ?? (0, nil)
        }
    }

    /// The `VisibilityTimeout` attribute of the consumer's queue (GetQueueAttributes); nil for
    /// sources that are not queues.
    public static func queueVisibilityTimeout(of consumer: SQSConsumer) async throws -> Int? {
        try await ConsumerQueueAttributes.read(of: consumer)?.visibilityTimeout
    }

    /// What the loop's leases are, for the daemon's start-up line: `messages leased for 30 s
    /// (the queue's VisibilityTimeout), renewed every 15 s`; nil for sources that are not queues.
    var leaseDescription: String? {
        let terms = state.terms.withLock { $0 }
        guard let seconds = terms.leaseSeconds else { return nil }
        let origin = consumer.visibilityTimeout != nil ? "sqs_consumer.visibility_timeout_seconds"
            : control.withLock { $0.leaseFromQueue } ? "the queue's VisibilityTimeout" : "SQS's default until the queue's is read"
        return "messages leased for \(seconds) s (\(origin)), "
            + (terms.heartbeat.map { "renewed every \(Self.seconds($0)) s" } ?? "not renewed (consumer_daemon.heartbeat_seconds 0)")
    }

    /// The retry plan for a queue with `attributes` (nil for sources that are not queues).
    func retryPlan(for attributes: ConsumerQueueAttributes) -> ConsumerRetryPlan? {
        guard let queueURL = consumer.queueURL else { return nil }
        return ConsumerRetryPlan(queueURL: queueURL, attributes: attributes, backoffPolicy: consumer.backoffPolicy,
                                 maxProcessingAttempts: maxProcessingAttempts, leaseSeconds: visibilityTimeout)
    }

    // MARK: Running

    /// Runs until a finite source has ended and every message is handled and acknowledged, until
    /// a graceful shutdown completes, or until the calling task is cancelled (which stops at once:
    /// see the type's documentation), and returns what happened.
    ///
    /// A loop runs once: calling `run()` again (or while it runs) logs an error and returns at
    /// once a report whose ending is ``ConsumerLoopReport/Ending/alreadyRun``.
    public func run() async -> ConsumerLoopReport {
        let first = control.withLock { control in
            defer { control.started = true }
            return !control.started
        }
        guard first else {
            logger.error("ConsumerLoop.run() was called again: a loop runs once, so this call does nothing")
            return ConsumerLoopReport(ending: .alreadyRun, recordsMessageIds: recordsMessageIds)
        }
        let acknowledges = consumer.source.acknowledges
        let receivers = acknowledges ? max(1, (settings.concurrency + consumer.limit - 1) / consumer.limit) : 1
        if let heartbeat = heartbeatInterval, let seconds = visibilityTimeout {
            logger.debug("visibility heartbeat every \(Self.seconds(heartbeat)) s, extending by \(seconds) s")
        }
        // A shutdown asked for before the run: stop before any receive can begin.
        if shutdown.isFired { await state.stop() }
        return await withDiscardingTaskGroup(returning: ConsumerLoopReport.self) { group in
            for _ in 0..<receivers {
                group.addTask(executorPreference: ioExecutor) { await self.receive() }
            }
            for _ in 0..<settings.concurrency {
                group.addTask { await self.work() }
            }
            group.addTask(executorPreference: ioExecutor) { await self.manageLeases() }
            if acknowledges, queueAttributes == nil {
                group.addTask(executorPreference: ioExecutor) { await self.readQueueAttributes() }
            }
            group.addTask { await self.watchShutdown() }
            let report = await state.waitUntilFinished()
            group.cancelAll()
            return report
        }
    }

    /// Starts a graceful shutdown: no more receives, unstarted messages handed back
    /// (visibility 0), running handlers and acknowledgements given
    /// ``ConsumerDaemonSettings/gracePeriod`` to finish; then whatever still runs is cancelled and
    /// ``run()`` returns. Calling it again does nothing; calling it before ``run()`` makes the run
    /// stop as soon as it starts.
    public func triggerGracefulShutdown() {
        shutdown.fire()
    }

    // MARK: Tasks

    /// Waits for a graceful shutdown, then gives the grace period; cancellation (of the run, or at
    /// its end) stops the loop at once.
    private func watchShutdown() async {
        await shutdown.wait()
        guard shutdown.isFired, !Task.isCancelled else {
            await state.cancel()
            return
        }
        let graceEnds = clock.now + settings.gracePeriod
        await state.stop()
        do {
            try await clock.sleep(until: graceEnds)
        } catch {
            await state.cancel()
            return
        }
        await state.expireGrace()
    }

    private func receive() async {
        var failures = 0
        while let permit = await state.reserveReceive() {
            let started = clock.now
            let messages: [ConsumedMessage]
            do {
                messages = try await consumer.consume(visibilityTimeout: permit.visibilityTimeout)
            } catch let error as SQSConsumerError {
                logger.error("cannot receive from \(consumer.source): \(error)")
                recordReceive(failure: error)
                await state.receiveFailed()
                await state.sourceFailed("\(error)")
                return
            } catch {
                await state.receiveFailed()
                if Task.isCancelled { return }
                recordReceive(failure: error)
                failures += 1
                let pause = settings.backoff(afterFailures: failures)
                logger.log(RetryPolicy().isRetryable(error) ? .warning : .error,
                           "receive from \(consumer.source) failed (\(failures) in a row); trying again in "
                               + "\(Self.seconds(pause)) s: \(error)")
                // Counted from the failed attempt, so a slow failure is retried sooner.
                await self.pause(until: started + pause)
                continue
            }
            failures = 0
            recordReceive(failure: nil)
            if !messages.isEmpty {
                logger.debug("received \(messages.count) message(s) from \(consumer.source)")
            }
            // SQS starts a message's visibility when it answers a long poll, not when it was asked:
            // count from the answer, less a second for the reply to travel.
            let answered = clock.now
            let late = await state.received(messages, startedAt: started, receivedAt: max(started, answered - .seconds(1)),
                                            visibilityTimeout: permit.visibilityTimeout, sourceEnded: consumer.isExhausted)
            if !late.isEmpty {
                // This receive was cancelled as the run ended; a task of its own is not, and this
                // one waits for it, so the hand-back still belongs to the run.
                await Task { await self.handBack(late) }.value
            }
            if messages.isEmpty, !consumer.isExhausted, settings.idleSleep > .zero {
                await pause(until: clock.now + settings.idleSleep)
            }
        }
    }

    /// Sleeps until `deadline` on the loop's clock, or less if a graceful shutdown begins or the
    /// task is cancelled.
    private func pause(until deadline: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.clock.sleep(until: deadline) }
            group.addTask { await self.shutdown.wait() }
            await group.next()
            group.cancelAll()
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
        while let assignment = await state.nextMessage() {
            let message = assignment.message
            logger.debug("handling \(message)", metadata: ["pubsub.message_id": message.messageId])
            let result = await handle(assignment)
            // The run's task was cancelled while the handler ran (it may have returned all the
            // same): stop first, so this result is counted but not acknowledged.
            if Task.isCancelled { await state.cancel() }
            await state.handled(message, result)
        }
    }

    /// Runs the handler; if the message's lease is lost meanwhile, cancels it and waits for it to
    /// return.
    private func handle(_ assignment: ConsumerLoopState.Assignment) async -> MessageHandlingResult {
        let message = assignment.message
        guard let loss = assignment.loss else { return await dispatch(message) }
        return await withTaskGroup(of: MessageHandlingResult?.self) { group in
            group.addTask { await self.dispatch(message) }
            group.addTask {
                await loss.wait()
                return nil
            }
            var result: MessageHandlingResult?
            while let next = await group.next() {
                if let next { result = next }
                group.cancelAll()
            }
            // The handler's child always returns a result; the loss watcher only ends early.
            return result ?? MessageHandlingResult(kind: .failed, mediaType: message.mediaType, error: CancellationError())
        }
    }

    /// Sends the lease calls that come due, several at once, until the run is over.
    ///
    /// The manager sleeps until the next deadline or a wake-up. The sleep for a deadline is a timer
    /// task that is not cancelled when the manager is woken early (a cancelled sleep keeps its
    /// memory until its deadline; under load the manager is woken thousands of times a second);
    /// it only wakes the manager. Timers still waiting are cancelled when the manager returns;
    /// calls in flight are not (the group waits for them).
    private func manageLeases() async {
        var timers = ConsumerLeaseTimers()
        defer { timers.cancelAll() }
        await withDiscardingTaskGroup { group in
            while true {
                switch await state.leaseWork(now: clock.now) {
                case .finished:
                    return
                case .send(let calls):
                    if Task.isCancelled { return }   // cancelled: acknowledge nothing more
                    for call in calls {
                        group.addTask { await self.send(call) }
                    }
                case .wait(let deadline):
                    if let deadline {
                        timers.arm(at: deadline, now: clock.now) { [clock, wakeup] in
                            try? await clock.sleep(until: deadline)
                            wakeup.notify()
                        }
                    }
                    await wakeup.wait()
                    if Task.isCancelled { return }
                }
            }
        }
    }

    private func send(_ call: ConsumerLeases.Call) async {
        let requestedAt = clock.now
        let report: AcknowledgementReport
        switch call.kind {
        case .delete:
            report = await consumer.ack(call.entries.map(\.message))
        case .nack, .extend:
            report = await consumer.nack(call.entries.map { (message: $0.message, visibilityTimeout: $0.timeout) })
        }
        if call.kind == .extend, !report.succeeded.isEmpty {
            logger.debug("visibility heartbeat: extended \(report.succeeded.count) message(s) by \(call.entries[0].timeout ?? 0) s")
        }
        await state.leaseCallFinished(call, report: report, requestedAt: requestedAt)
    }

    /// Reads the queue's attributes until it can (capped backoff), for the lease and the retry
    /// plan; stops at an error retrying cannot fix, keeping the lease it has.
    private func readQueueAttributes() async {
        var failures = 0
        while !Task.isCancelled {
            let started = clock.now
            do {
                guard let attributes = try await ConsumerQueueAttributes.read(of: consumer) else { return }
                _ = await state.learn(attributes)
                control.withLock { $0.leaseFromQueue = consumer.visibilityTimeout == nil && attributes.visibilityTimeout != nil }
                logQueue(attributes)
                return
            } catch {
                if Task.isCancelled { return }
                if await state.isStopping { return }
                failures += 1
                let queue = consumer.queueURL ?? "\(consumer.source)"
                let lease = leaseDescription ?? "no leases"
                guard Self.mayClear(error) else {
                    logger.warning("cannot read the attributes of queue '\(queue)': \(error); \(lease), and the retry plan is not "
                                       + "checked")
                    return
                }
                if failures == 1 {
                    logger.warning("cannot read the attributes of queue '\(queue)' yet: \(error); \(lease), trying again meanwhile")
                }
                await pause(until: started + settings.backoff(afterFailures: failures))
            }
        }
    }

    /// Logs what the loop learned of its queue: the lease, the retry plan, and a warning for each
    /// part of the plan that cannot happen.
    func logQueue(_ attributes: ConsumerQueueAttributes) {
        guard let plan = retryPlan(for: attributes) else { return }
        logger.info("queue '\(consumer.queueURL ?? "")': \(leaseDescription ?? "no leases"); \(plan.summary)")
        for warning in plan.warnings { logger.warning(warning) }
    }

    /// True when reading the queue may work later: not a client error (a queue that does not
    /// exist, access denied: HTTP 4xx other than throttling), which retrying does not fix.
    private static func mayClear(_ error: any Error) -> Bool {
        switch error {
        case let error as AWSError: return error.isRetryable || !(400..<500).contains(error.statusCode)
        case is RequestValidationError: return false
        default: return true
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.timeInterval
        return value == value.rounded() ? String(Int(value)) : formatDecimal(value, places: 2)
    }
}
