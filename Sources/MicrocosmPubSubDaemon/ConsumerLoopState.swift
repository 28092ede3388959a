import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import Synchronization

/// The shared state of one ``ConsumerLoop`` run: the messages it holds and their leases (see
/// ``ConsumerLeases``), the order they may start in, and the tasks waiting for work.
///
/// Receivers, workers, the lease manager and the shutdown watcher are child tasks of the run;
/// each asks this actor for its next piece of work and suspends until there is some or until the
/// run is over. Every method runs to completion without suspending, so no state is ever seen
/// half-changed. Messages of one FIFO message group wait in a backlog behind the group's running
/// message, in receive order.
actor ConsumerLoopState {
    /// Leave to receive: the visibility timeout to ask for (nil: the queue's, or not a queue).
    struct Permit: Sendable {
        let visibilityTimeout: Int?
    }

    /// A message for a worker, with the latch that fires if its lease is lost (nil: leases are
    /// not watched).
    struct Assignment: Sendable {
        let message: ConsumedMessage
        let loss: ConsumerLoopLatch?
    }

    /// What the lease manager should do next.
    enum LeaseWork: Sendable {
        /// Send these calls (each counts as in flight until ``leaseCallFinished(_:report:requestedAt:)``).
        case send([ConsumerLeases.Call])
        /// Nothing to send: wait for a wake-up, or until this time (since the loop started).
        case wait(until: Duration?)
        /// The run is over.
        case finished
    }

    /// The visibility timeout SQS gives a message when neither the queue nor the configuration
    /// says otherwise (seconds).
    static let defaultVisibilityTimeout = 30

    /// The current lease terms, readable from any thread (``ConsumerLoop``'s properties).
    nonisolated let terms: Mutex<ConsumerLeases.Terms>

    private let capacity: Int
    private let receiveSize: Int
    private let maxCalls: Int
    private let settings: ConsumerDaemonSettings
    private let configuredLease: Int?
    private let acknowledges: Bool
    private let queueURL: String
    private let logger: Logger
    private let clock: ConsumerLoopClock
    private let wakeup: ConsumerLoopWakeup
    private let onBatch: (@Sendable (ConsumerLoopBatch) -> Void)?

    private var leases: ConsumerLeases
    private var losses: [ObjectIdentifier: ConsumerLoopLatch] = [:]
    private var ready: [ConsumedMessage] = []
    private var backlogs: [String: [ConsumedMessage]] = [:]
    private var busyGroups: Set<String> = []
    /// Messages received and not yet handled or handed back (waiting or running).
    private var unhandled = 0
    private var running = 0
    private var reserved = 0
    private var receivesInFlight = 0
    private var callsInFlight = 0

    private var sourceEnded = false
    private var sourceFailure: String?
    private var stopRequested = false
    private var graceExpired = false
    private var cancelled = false
    private var finished = false
    private var report: ConsumerLoopReport

    private var workers: [CheckedContinuation<Assignment?, Never>] = []
    private var receivers: [CheckedContinuation<Permit?, Never>] = []
    private var finishWaiters: [CheckedContinuation<ConsumerLoopReport, Never>] = []
    private var batchOf: [ObjectIdentifier: UInt64] = [:]
    private var batches: [UInt64: BatchProgress] = [:]
    private var nextBatchID: UInt64 = 0

    /// - Parameters:
    ///   - concurrency: messages handled at once.
    ///   - receiveSize: the most messages one receive returns (room is kept for that many).
    ///   - maxCalls: lease calls (deletes, visibility changes, extensions) in flight at once.
    ///   - settings: backoff, attempts.
    ///   - configuredLease: `sqs_consumer.visibility_timeout_seconds`, which the queue's does not override.
    ///   - knownLease: the queue's `VisibilityTimeout`, when known.
    ///   - acknowledges: whether the source is a queue (else nothing is leased).
    ///   - queueURL: for log lines.
    ///   - clock: the loop's time.
    ///   - wakeup: notified whenever the lease manager may have work.
    ///   - onBatch: told when every message of a receive has been handled or handed back.
    ///   - recordsMessageIds: whether the report lists message ids (else only counts).
    init(concurrency: Int, receiveSize: Int, maxCalls: Int, settings: ConsumerDaemonSettings, configuredLease: Int?,
         knownLease: Int?, acknowledges: Bool, queueURL: String, logger: Logger, clock: ConsumerLoopClock,
         wakeup: ConsumerLoopWakeup, onBatch: (@Sendable (ConsumerLoopBatch) -> Void)?, recordsMessageIds: Bool) {
        let terms = Self.terms(acknowledges: acknowledges, configured: configuredLease, known: knownLease, settings: settings)
        self.terms = Mutex(terms)
        self.leases = ConsumerLeases(terms: terms, settings: settings)
        self.report = ConsumerLoopReport(ending: .shutdown, recordsMessageIds: recordsMessageIds)
        self.capacity = concurrency
        self.receiveSize = receiveSize
        self.maxCalls = maxCalls
        self.settings = settings
        self.configuredLease = configuredLease
        self.acknowledges = acknowledges
        self.queueURL = queueURL
        self.logger = logger
        self.clock = clock
        self.wakeup = wakeup
        self.onBatch = onBatch
    }

    /// The lease terms for a source: the configured visibility timeout, else the queue's, else
    /// SQS's default, renewed as ``ConsumerDaemonSettings`` says.
    static func terms(acknowledges: Bool, configured: Int?, known: Int?, settings: ConsumerDaemonSettings) -> ConsumerLeases.Terms {
        guard acknowledges else { return ConsumerLeases.Terms(leaseSeconds: nil, heartbeat: nil) }
        let seconds = configured ?? known ?? defaultVisibilityTimeout
        return ConsumerLeases.Terms(leaseSeconds: seconds, heartbeat: settings.heartbeat(visibilityTimeout: seconds))
    }

    /// The queue's attributes became known: leases follow its visibility timeout from now on,
    /// unless one is configured. Returns the new terms.
    func learn(_ attributes: ConsumerQueueAttributes) -> ConsumerLeases.Terms {
        let terms = Self.terms(acknowledges: acknowledges, configured: configuredLease, known: attributes.visibilityTimeout,
                               settings: settings)
        leases.update(terms, now: clock.now)
        self.terms.withLock { $0 = terms }
        settle()
        return terms
    }

    /// True once a graceful shutdown began or the run ended.
    var isStopping: Bool { stopRequested || finished }

    // MARK: Receiving

    /// Waits until there is room for a full receive and reserves it; nil when the loop is
    /// stopping or the source has ended, and the receiver should end.
    func reserveReceive() async -> Permit? {
        if receiversShouldEnd { return nil }
        if canReserve {
            reserve()
            return permit
        }
        return await withCheckedContinuation { receivers.append($0) }
    }

    private var permit: Permit { Permit(visibilityTimeout: leases.terms.leaseSeconds) }

    /// Takes in what a reserved receive, sent at `startedAt` asking for `visibilityTimeout`,
    /// returned; SQS took the messages no earlier than `receivedAt`. Messages that arrive while
    /// stopping are handed back at once (visibility 0), never started. Returns the messages that
    /// arrived after the run finished, which the receiver must hand back itself.
    func received(_ messages: [ConsumedMessage], startedAt: Duration, receivedAt: Duration, visibilityTimeout: Int?,
                  sourceEnded ended: Bool) -> [ConsumedMessage] {
        reserved -= receiveSize
        receivesInFlight -= 1
        if ended { sourceEnded = true }
        report.received += messages.count
        if finished { return messages }
        leases.hold(messages, receivedAt: receivedAt, timeout: visibilityTimeout)
        if stopRequested {
            for message in messages { leases.acknowledge(message, deleting: false, timeout: 0, now: clock.now) }
        } else if !messages.isEmpty {
            nextBatchID += 1
            batches[nextBatchID] = BatchProgress(received: messages.count, remaining: messages.count, startedAt: startedAt)
            unhandled += messages.count
            for message in messages {
                batchOf[ObjectIdentifier(message)] = nextBatchID
                enqueue(message)
            }
        }
        settle()
        return []
    }

    /// A reserved receive failed; its room is free again.
    func receiveFailed() {
        reserved -= receiveSize
        receivesInFlight -= 1
        settle()
    }

    /// The source cannot be read at all: stop receiving, finish what is held, end with `reason`.
    func sourceFailed(_ reason: String) {
        sourceFailure = reason
        sourceEnded = true
        settle()
    }

    /// Room for another receive: messages not yet handled, acknowledgements being retried (so a
    /// failing SQS does not let them pile up) and receives in flight stay within the concurrency.
    private var canReserve: Bool {
        unhandled + leases.retrying + reserved <= capacity && !receiversShouldEnd
    }

    private var receiversShouldEnd: Bool { stopRequested || sourceEnded || finished }

    private func reserve() {
        reserved += receiveSize
        receivesInFlight += 1
    }

    private func enqueue(_ message: ConsumedMessage) {
        guard let group = message.messageGroupId else {
            ready.append(message)
            return
        }
        if busyGroups.contains(group) {
            backlogs[group, default: []].append(message)
        } else {
            busyGroups.insert(group)
            ready.append(message)
        }
    }

    // MARK: Handling

    /// The next message a worker may start; nil when the worker should end.
    func nextMessage() async -> Assignment? {
        if let assignment = takeReady() { return assignment }
        if workersShouldEnd { return nil }
        return await withCheckedContinuation { workers.append($0) }
    }

    /// Records `result` for `message` and queues its acknowledgement. When a message of a FIFO
    /// group is not deleted, the group's later messages are handed back unstarted so that they
    /// are not handled before it. A message whose lease was lost is not acknowledged.
    func handled(_ message: ConsumedMessage, _ result: MessageHandlingResult) {
        let id = ObjectIdentifier(message)
        report.results[result.kind, default: 0] += 1
        guard !finished, leases.holds(message) else {
            let when = cancelled ? "after the run was cancelled" : "after the grace period"
            logger.warning("message \(message.messageId) was handled (\(result.kind)) \(when); it is not "
                               + "acknowledged, and SQS delivers it again after its visibility timeout",
                           metadata: ["pubsub.message_id": message.messageId])
            return
        }
        running -= 1
        unhandled -= 1
        losses[id] = nil
        leave(message, counted: result.kind != .ignored)
        let lost = leases.isLost(message)
        let deleted = result.deletesMessage && !lost
        if lost {
            leases.release(message)
            logger.debug("message \(message.messageId) ended \(result.kind) after its lease was lost; not acknowledged",
                         metadata: ["pubsub.message_id": message.messageId])
        } else {
            leases.acknowledge(message, deleting: result.deletesMessage,
                               timeout: result.kind == .retried ? result.retryVisibilityTimeout : nil, now: clock.now)
        }
        if let group = message.messageGroupId {
            var backlog = backlogs.removeValue(forKey: group) ?? []
            if deleted, !backlog.isEmpty {
                ready.append(backlog.removeFirst())
                if !backlog.isEmpty { backlogs[group] = backlog }
            } else {
                busyGroups.remove(group)
                if !backlog.isEmpty {
                    logger.info("handing back \(backlog.count) later message(s) of FIFO group '\(group)' unstarted, after "
                                    + "\(message.messageId) ended \(lost ? "with its lease lost" : "\(result.kind)")",
                                metadata: ["pubsub.message_group_id": group])
                    release(backlog)
                }
            }
        }
        settle()
    }

    private func takeReady() -> Assignment? {
        guard !stopRequested, !ready.isEmpty else { return nil }
        let message = ready.removeFirst()
        leases.start(message)
        running += 1
        guard leases.terms.heartbeat != nil else { return Assignment(message: message, loss: nil) }
        let loss = ConsumerLoopLatch()
        losses[ObjectIdentifier(message)] = loss
        return Assignment(message: message, loss: loss)
    }

    private var workersShouldEnd: Bool {
        stopRequested || finished || (sourceEnded && receivesInFlight == 0 && ready.isEmpty && backlogs.isEmpty)
    }

    /// Hands back unstarted messages (visibility 0).
    private func release(_ messages: [ConsumedMessage]) {
        for message in messages {
            unhandled -= 1
            leave(message, counted: false)
            leases.acknowledge(message, deleting: false, timeout: 0, now: clock.now)
        }
    }

    /// How far the messages of one receive have come.
    private struct BatchProgress {
        let received: Int
        var remaining: Int
        /// Messages handled to a result other than IGNORED.
        var counted = 0
        let startedAt: Duration
    }

    /// `message` is no longer waiting or running; reports its batch when it was the last.
    private func leave(_ message: ConsumedMessage, counted: Bool) {
        guard let id = batchOf.removeValue(forKey: ObjectIdentifier(message)), var progress = batches[id] else { return }
        progress.remaining -= 1
        if counted { progress.counted += 1 }
        guard progress.remaining == 0 else {
            batches[id] = progress
            return
        }
        batches[id] = nil
        let batch = ConsumerLoopBatch(size: progress.counted, received: progress.received, elapsed: clock.now - progress.startedAt)
        if batch.size > 0 {
            logger.debug("Completed batch: Message count: \(batch.size), elapsed_time: \(batch.elapsed.timeInterval * 1000)")
        }
        onBatch?(batch)
    }

    // MARK: Leases

    /// What the lease manager should do at `now`: calls to send (at most the free call slots),
    /// or how long to wait. Leases that ran out are dealt with first.
    func leaseWork(now: Duration) -> LeaseWork {
        guard !finished else { return .finished }
        var calls: [ConsumerLeases.Call] = []
        while true {
            let (outcomes, due) = leases.due(now: now, slots: max(0, maxCalls - callsInFlight))
            callsInFlight += due.count
            calls += due
            // What ran out may queue more that is due now (a lost FIFO message hands back its
            // group's later ones): look again.
            guard !outcomes.isEmpty else { break }
            apply(outcomes)
        }
        // The lease manager itself asks: it needs no wake-up for what it is about to look at.
        settle(wakingLeaseManager: false)
        if finished { return .finished }
        return calls.isEmpty ? .wait(until: leases.nextDue(after: now)) : .send(calls)
    }

    /// A call taken from ``leaseWork(now:)`` and sent at `requestedAt` came back with `report`.
    func leaseCallFinished(_ call: ConsumerLeases.Call, report callReport: AcknowledgementReport, requestedAt: Duration) {
        callsInFlight -= 1
        guard !finished else { return }
        apply(leases.finished(call, report: callReport, requestedAt: requestedAt))
        settle()
    }

    private func apply(_ outcomes: [ConsumerLeases.Outcome]) {
        for outcome in outcomes {
            switch outcome {
            case .deleted(let message):
                report.record([message], as: .deleted)
            case .handedBack(let message):
                report.record([message], as: .handedBack)
            case .unacknowledged(let failure, let message, let attempt, let kind):
                let consequence = kind == .delete ? "not deleted: SQS delivers the message again"
                    : "visibility not changed: SQS delivers the message again"
                logger.error("\(failure.map { "\($0)" } ?? "message \(message.messageId)") (attempt \(attempt)); \(consequence) "
                                 + "after its visibility timeout", metadata: ["pubsub.message_id": message.messageId])
                report.record([message], as: .unacknowledged)
            case .retrying(let kind, let failures, let attempt):
                logger.warning("\(Self.describe(kind, failures.count)) failed (attempt \(attempt)); trying each again on its own "
                                   + "\(kind == .extend ? "before its lease runs out" : "after its backoff")"
                                   + "\(kind == .delete ? ", keeping its lease meanwhile" : ""): \(failures[0])")
            case .extensionRefused(let failure):
                logger.warning("visibility heartbeat: \(failure); no more extensions of it, so its lease ends when its "
                                   + "visibility runs out", metadata: ["pubsub.message_id": failure.message.messageId])
            case .atTwelveHourLimit(let message):
                logger.warning("message \(message.messageId) nears the 12 hours SQS keeps a message invisible after its receive: "
                                   + "its lease ends then", metadata: ["pubsub.message_id": message.messageId])
            case .lost(let message, let reason, let started):
                lose(message, reason: reason, started: started)
            case .nackExpired(let message, let timeout):
                if timeout == 0 {
                    report.record([message], as: .handedBack)
                } else {
                    logger.warning("visibility of message \(message.messageId) could not be set before its lease ran out; "
                                       + "SQS delivers it again now", metadata: ["pubsub.message_id": message.messageId])
                    report.record([message], as: .unacknowledged)
                }
            }
        }
    }

    private func lose(_ message: ConsumedMessage, reason: String, started: Bool) {
        logger.warning("lease of message \(message.messageId) lost: \(reason); "
                           + (started ? "its handler is cancelled, and it" : "it was not started, and")
                           + " is not deleted: SQS delivers it again", metadata: ["pubsub.message_id": message.messageId])
        report.record([message], as: .leaseLost)
        if started {
            losses[ObjectIdentifier(message)]?.fire()
            return
        }
        unhandled -= 1
        leave(message, counted: false)
        if let index = ready.firstIndex(where: { $0 === message }) {
            ready.remove(at: index)
            if let group = message.messageGroupId {
                // The group's head is gone: its later messages must not run before it comes back.
                busyGroups.remove(group)
                if let backlog = backlogs.removeValue(forKey: group) { release(backlog) }
            }
        } else if let group = message.messageGroupId, var backlog = backlogs[group],
                  let index = backlog.firstIndex(where: { $0 === message }) {
            let later = Array(backlog[(index + 1)...])
            backlog.removeSubrange(index...)
            backlogs[group] = backlog.isEmpty ? nil : backlog
            release(later)
        }
    }

    private static func describe(_ kind: ConsumerLeases.Call.Kind, _ count: Int) -> String {
        switch kind {
        case .delete: return "\(count) delete(s)"
        case .nack: return "\(count) visibility change(s)"
        case .extend: return "visibility heartbeat: \(count) extension(s)"
        }
    }

    // MARK: Stopping

    /// Stops receiving and starting messages; hands back every message not started. Returns
    /// false when a stop was already requested.
    @discardableResult
    func stop() -> Bool {
        guard !stopRequested, !finished else { return false }
        stopRequested = true
        report.ending = .shutdown
        var unstarted = ready
        for group in backlogs.keys.sorted() { unstarted += backlogs[group]! }
        ready.removeAll()
        backlogs.removeAll()
        busyGroups.removeAll()
        release(unstarted)
        logger.info("stopping: \(running) message(s) in flight, \(unstarted.count) handed back unstarted")
        settle()
        return true
    }

    /// The grace period is over: stop waiting for running handlers (they are cancelled) and for
    /// acknowledgements still failing.
    func expireGrace() {
        guard !finished else { return }
        graceExpired = true
        let overrunning = leases.running.filter { !leases.isLost($0) }.map(\.messageId)
        if !overrunning.isEmpty {
            logger.warning("grace period over with \(overrunning.count) handler(s) still running; SQS delivers their messages again "
                               + "after their visibility timeout: \(overrunning.joined(separator: ", "))")
        }
        let pending = leases.count - leases.running.count
        if pending > 0 {
            logger.warning("grace period over with \(pending) acknowledgement(s) not done; SQS delivers those messages again "
                               + "after their visibility timeout")
        }
        finish()
    }

    /// The run's task was cancelled: stop at once.
    func cancel() {
        guard !finished else { return }
        cancelled = true
        report.ending = .cancelled
        logger.info("cancelled: stopping at once with \(running) handler(s) running and \(leases.count) message(s) held; "
                        + "SQS delivers those not yet acknowledged again after their visibility timeout")
        finish()
    }

    /// Waits until the run is over and returns its report.
    func waitUntilFinished() async -> ConsumerLoopReport {
        if finished { return report }
        return await withCheckedContinuation { finishWaiters.append($0) }
    }

    // MARK: Waking

    /// Hands work to waiting tasks, ends those that will get none, finishes the run when nothing
    /// is left to do, and wakes the lease manager (unless it is the caller).
    private func settle(wakingLeaseManager: Bool = true) {
        while !workers.isEmpty, let assignment = takeReady() {
            workers.removeFirst().resume(returning: assignment)
        }
        if workersShouldEnd {
            for worker in workers { worker.resume(returning: nil) }
            workers.removeAll()
        }
        while !receivers.isEmpty, canReserve {
            reserve()
            receivers.removeFirst().resume(returning: permit)
        }
        if receiversShouldEnd {
            for receiver in receivers { receiver.resume(returning: nil) }
            receivers.removeAll()
        }
        if !finished, stopRequested || sourceEnded, leases.isEmpty, callsInFlight == 0 {
            finish()
        }
        if wakingLeaseManager { wakeup.notify() }
    }

    private func finish() {
        finished = true
        let held = leases.drain()
        report.record(held.running, as: .unfinished)
        report.record(held.acknowledging + held.waiting, as: .unacknowledged)
        if !stopRequested, !cancelled { report.ending = sourceFailure.map(ConsumerLoopReport.Ending.sourceFailed) ?? .sourceExhausted }
        losses.removeAll()
        ready.removeAll()
        backlogs.removeAll()
        for waiter in finishWaiters { waiter.resume(returning: report) }
        finishWaiters.removeAll()
        for worker in workers { worker.resume(returning: nil) }
        workers.removeAll()
        for receiver in receivers { receiver.resume(returning: nil) }
        receivers.removeAll()
        wakeup.notify()
    }
}
