import Foundation
import Microcosm

/// The shared state of one ``ConsumerLoop`` run: the messages it holds, the order they may start
/// in, the acknowledgements waiting to be sent, and the tasks waiting for any of these.
///
/// Receivers, workers, flushers and the heartbeat are separate tasks; each asks this actor for its
/// next piece of work and suspends until there is some or until the run is over. Every method
/// runs to completion without suspending, so no state is ever seen half-changed.
///
/// A message is *held* from the receive that brought it until it is handled (or handed back
/// unstarted): that is when the heartbeat extends its visibility. Messages of one FIFO message
/// group wait in a backlog behind the group's running message, in receive order.
actor ConsumerLoopState {
    /// What to send to SQS next.
    enum Acknowledgements: Sendable {
        /// Delete these messages (DeleteMessageBatch).
        case delete([ConsumedMessage])
        /// Set these messages' visibility (ChangeMessageVisibilityBatch); nil: the backoff policy's choice.
        case visibility([VisibilityChange])
    }

    /// One visibility change: a nack after a result, or a release (0) of an unstarted message.
    struct VisibilityChange: Sendable {
        let message: ConsumedMessage
        let timeout: Int?
    }

    private struct Held {
        let message: ConsumedMessage
        /// The receive that brought it.
        let batch: UInt64
        var started = false
        /// When the heartbeat should next extend the message's visibility.
        var extendAt: Date
    }

    private let capacity: Int
    private let receiveSize: Int
    private let heartbeatInterval: TimeInterval?
    private let logger: Logger
    private let clock: any BrokerClock
    private let onBatch: (@Sendable (ConsumerLoopBatch) -> Void)?

    private var held: [ObjectIdentifier: Held] = [:]
    private var ready: [ConsumedMessage] = []
    private var backlogs: [String: [ConsumedMessage]] = [:]
    private var busyGroups: Set<String> = []
    private var running = 0
    private var reserved = 0
    private var receivesInFlight = 0

    private var deletes: [ConsumedMessage] = []
    private var changes: [VisibilityChange] = []
    private var flushesInFlight = 0
    private var extending: Set<ObjectIdentifier> = []

    private var sourceEnded = false
    private var sourceFailure: String?
    private var stopRequested = false
    private var graceExpired = false
    private var finished = false
    private var report: ConsumerLoopReport

    private var workers: [CheckedContinuation<ConsumedMessage?, Never>] = []
    private var receivers: [CheckedContinuation<Bool, Never>] = []
    private var flushers: [CheckedContinuation<Acknowledgements?, Never>] = []
    private var finishWaiters: [CheckedContinuation<ConsumerLoopReport, Never>] = []
    private var batches: [UInt64: BatchProgress] = [:]
    private var nextBatchID: UInt64 = 0
    private var pauses: [UInt64: (continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]
    private var nextPauseID: UInt64 = 0

    /// - Parameters:
    ///   - concurrency: messages handled at once.
    ///   - receiveSize: the most messages one receive returns (room is kept for that many).
    ///   - heartbeatInterval: how often held messages' visibility is extended; nil: never.
    ///   - clock: the time of receives and extensions.
    ///   - onBatch: told when every message of a receive has been handled or handed back.
    ///   - recordsMessageIds: whether the report lists message ids (else only counts).
    init(concurrency: Int, receiveSize: Int, heartbeatInterval: TimeInterval?, logger: Logger,
         clock: any BrokerClock, onBatch: (@Sendable (ConsumerLoopBatch) -> Void)?, recordsMessageIds: Bool) {
        self.report = ConsumerLoopReport(ending: .shutdown, recordsMessageIds: recordsMessageIds)
        self.capacity = concurrency
        self.receiveSize = receiveSize
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
        self.clock = clock
        self.onBatch = onBatch
    }

    // MARK: Receiving

    /// Waits until there is room for a full receive and reserves it; false when the loop is
    /// stopping or the source has ended, and the receiver should end.
    func reserveReceive() async -> Bool {
        if receiversShouldEnd { return false }
        if canReserve {
            reserve()
            return true
        }
        return await withCheckedContinuation { receivers.append($0) }
    }

    /// Takes in what a reserved receive (started at `startedAt`) returned. Messages that arrive
    /// while stopping are handed back at once (visibility 0), never started. Returns the messages
    /// that arrived after the run finished, which the receiver must hand back itself.
    func received(_ messages: [ConsumedMessage], startedAt: Date, sourceEnded ended: Bool) -> [ConsumedMessage] {
        reserved -= receiveSize
        receivesInFlight -= 1
        if ended { sourceEnded = true }
        report.received += messages.count
        if finished { return messages }
        if stopRequested {
            changes += messages.map { VisibilityChange(message: $0, timeout: 0) }
        } else if !messages.isEmpty {
            nextBatchID += 1
            batches[nextBatchID] = BatchProgress(received: messages.count, remaining: messages.count, startedAt: startedAt)
            let extendAt = clock.now.addingTimeInterval(heartbeatInterval ?? 0)
            for message in messages {
                held[ObjectIdentifier(message)] = Held(message: message, batch: nextBatchID, extendAt: extendAt)
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

    private var canReserve: Bool {
        held.count + reserved <= capacity && !receiversShouldEnd
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
    func nextMessage() async -> ConsumedMessage? {
        if let message = takeReady() { return message }
        if workersShouldEnd { return nil }
        return await withCheckedContinuation { workers.append($0) }
    }

    /// Records `result` for `message` and queues its acknowledgement. When a message of a FIFO
    /// group is not deleted, the group's later messages are handed back unstarted so that they
    /// are not handled before it.
    func handled(_ message: ConsumedMessage, _ result: MessageHandlingResult) {
        let id = ObjectIdentifier(message)
        report.results[result.kind, default: 0] += 1
        guard !finished, let entry = held.removeValue(forKey: id) else {
            logger.warning("message \(message.messageId) was handled (\(result.kind)) after the grace period; it is not "
                               + "acknowledged, and SQS delivers it again after its visibility timeout",
                           metadata: ["pubsub.message_id": message.messageId])
            return
        }
        running -= 1
        leave(entry.batch, counted: result.kind != .ignored)
        if result.deletesMessage {
            deletes.append(message)
        } else {
            changes.append(VisibilityChange(message: message, timeout: result.kind == .retried ? result.retryVisibilityTimeout : nil))
        }
        if let group = message.messageGroupId {
            var backlog = backlogs.removeValue(forKey: group) ?? []
            if result.deletesMessage, !backlog.isEmpty {
                ready.append(backlog.removeFirst())
                if !backlog.isEmpty { backlogs[group] = backlog }
            } else {
                busyGroups.remove(group)
                if !backlog.isEmpty {
                    logger.info("handing back \(backlog.count) later message(s) of FIFO group '\(group)' unstarted, after "
                                    + "\(message.messageId) ended \(result.kind)", metadata: ["pubsub.message_group_id": group])
                    release(backlog)
                }
            }
        }
        settle()
    }

    private func takeReady() -> ConsumedMessage? {
        guard !stopRequested, !ready.isEmpty else { return nil }
        let message = ready.removeFirst()
        held[ObjectIdentifier(message)]?.started = true
        running += 1
        return message
    }

    private var workersShouldEnd: Bool {
        stopRequested || finished || (sourceEnded && receivesInFlight == 0 && ready.isEmpty && backlogs.isEmpty)
    }

    private func release(_ messages: [ConsumedMessage]) {
        for message in messages {
            if let entry = held.removeValue(forKey: ObjectIdentifier(message)) { leave(entry.batch, counted: false) }
            changes.append(VisibilityChange(message: message, timeout: 0))
        }
    }

    /// How far the messages of one receive have come.
    private struct BatchProgress {
        let received: Int
        var remaining: Int
        /// Messages handled to a result other than IGNORED.
        var counted = 0
        let startedAt: Date
    }

    /// A message of batch `id` is no longer held; reports the batch when it was the last.
    private func leave(_ id: UInt64, counted: Bool) {
        guard var progress = batches[id] else { return }
        progress.remaining -= 1
        if counted { progress.counted += 1 }
        guard progress.remaining == 0 else {
            batches[id] = progress
            return
        }
        batches[id] = nil
        let batch = ConsumerLoopBatch(size: progress.counted, received: progress.received,
                                      elapsed: .seconds(clock.now.timeIntervalSince(progress.startedAt)))
        if batch.size > 0 {
            logger.debug("Completed batch: Message count: \(batch.size), elapsed_time: \(batch.elapsed.timeInterval * 1000)")
        }
        onBatch?(batch)
    }

    // MARK: Acknowledging

    /// The next acknowledgements to send (deletes first, at most one batch call's worth); nil
    /// when there will be no more. Visibility changes wait while the heartbeat is extending their
    /// message, so a nack is never overtaken by an extension.
    func nextAcknowledgements() async -> Acknowledgements? {
        if let batch = takeAcknowledgements() { return batch }
        if flushersShouldEnd { return nil }
        return await withCheckedContinuation { flushers.append($0) }
    }

    /// A batch taken with ``nextAcknowledgements()`` is done: these messages were
    /// acknowledged, these failed for good.
    func acknowledged(_ batch: Acknowledgements, succeeded: [ConsumedMessage], failed: [ConsumedMessage]) {
        flushesInFlight -= 1
        switch batch {
        case .delete: report.record(succeeded, as: .deleted)
        case .visibility: report.record(succeeded, as: .handedBack)
        }
        report.record(failed, as: .unacknowledged)
        settle()
    }

    private func takeAcknowledgements() -> Acknowledgements? {
        let batchSize = SQSConsumer.batchLimit
        if !deletes.isEmpty {
            let batch = Array(deletes.prefix(batchSize))
            deletes.removeFirst(batch.count)
            flushesInFlight += 1
            return .delete(batch)
        }
        var batch: [VisibilityChange] = []
        var index = 0
        while index < changes.count, batch.count < batchSize {
            if extending.contains(ObjectIdentifier(changes[index].message)) {
                index += 1
            } else {
                batch.append(changes.remove(at: index))
            }
        }
        guard !batch.isEmpty else { return nil }
        flushesInFlight += 1
        return .visibility(batch)
    }

    /// True while acknowledgements may still come: messages are held that will be handled, or the
    /// loop is not stopping and its source has not ended. A receive still in flight when all else
    /// is done does not count: the run ends, the receive is cancelled, and whatever it brings is
    /// handed back by its receiver.
    private var moreAcknowledgementsPossible: Bool {
        if graceExpired { return false }
        if held.values.contains(where: \.started) || (!stopRequested && !held.isEmpty) { return true }
        return !stopRequested && !sourceEnded
    }

    private var flushersShouldEnd: Bool {
        deletes.isEmpty && changes.isEmpty && !moreAcknowledgementsPossible
    }

    // MARK: Heartbeat

    /// When the heartbeat should next look for messages to extend; nil once the loop has finished.
    func nextExtension(now: Date) -> Date? {
        guard !finished, let heartbeatInterval else { return nil }
        let idle = now.addingTimeInterval(heartbeatInterval)
        return held.values.map(\.extendAt).min().map { min($0, idle) } ?? idle
    }

    /// The held messages due for an extension at `now` (and those due within a quarter interval,
    /// to extend them in the same call); they count as extending until ``extended(_:retry:abandon:now:retryAfter:)``.
    func takeDueExtensions(now: Date) -> [ConsumedMessage] {
        guard let heartbeatInterval, !finished else { return [] }
        let horizon = now.addingTimeInterval(heartbeatInterval / 4)
        let due = held.values.filter { $0.extendAt <= horizon && !extending.contains(ObjectIdentifier($0.message)) }.map(\.message)
        extending.formUnion(due.map(ObjectIdentifier.init))
        return due
    }

    /// An extension call asked for at `now` is done (visibility counts from when it was asked for,
    /// the earliest SQS can have applied it): `retry` messages are tried again after `retryAfter`
    /// seconds, `abandon` ones (refused by SQS) are extended no more.
    func extended(_ messages: [ConsumedMessage], retry: [ConsumedMessage], abandon: [ConsumedMessage], now: Date,
                  retryAfter: TimeInterval) {
        guard let heartbeatInterval else { return }
        let retried = Set(retry.map(ObjectIdentifier.init)), abandoned = Set(abandon.map(ObjectIdentifier.init))
        for message in messages {
            let id = ObjectIdentifier(message)
            extending.remove(id)
            held[id]?.extendAt = abandoned.contains(id) ? .distantFuture
                : now.addingTimeInterval(retried.contains(id) ? min(retryAfter, heartbeatInterval) : heartbeatInterval)
        }
        settle()
    }

    /// True while `message` is held (received and not yet handled or handed back).
    func isHeld(_ message: ConsumedMessage) -> Bool { held[ObjectIdentifier(message)] != nil }

    // MARK: Stopping

    /// Stops receiving and starting messages; hands back every held message not started.
    /// Returns false when a stop was already requested.
    @discardableResult
    func stop() -> Bool {
        guard !stopRequested, !finished else { return false }
        stopRequested = true
        report.ending = .shutdown
        let unstarted = ready + backlogs.values.flatMap { $0 }
        release(unstarted)
        ready.removeAll()
        backlogs.removeAll()
        busyGroups.removeAll()
        logger.info("stopping: \(running) message(s) in flight, \(unstarted.count) handed back unstarted")
        endPauses()
        settle()
        return true
    }

    /// The grace period is over: stop waiting for running handlers.
    func expireGrace() {
        guard !finished, running > 0 else { return }
        graceExpired = true
        let overrunning = held.values.filter(\.started).map(\.message.messageId)
        if !overrunning.isEmpty {
            logger.warning("grace period over with \(overrunning.count) handler(s) still running; SQS delivers their messages again "
                               + "after their visibility timeout: \(overrunning.joined(separator: ", "))")
        }
        settle()
    }

    /// Suspends until `deadline` (on `clock`) or until the loop stops, whichever comes first.
    func pause(until deadline: Date, clock: any BrokerClock) async {
        if stopRequested || finished { return }
        nextPauseID += 1
        let id = nextPauseID
        await withCheckedContinuation { continuation in
            let timer = Task {
                try? await clock.sleep(until: deadline)
                self.endPause(id)
            }
            pauses[id] = (continuation, timer)
        }
    }

    private func endPause(_ id: UInt64) {
        pauses.removeValue(forKey: id)?.continuation.resume()
    }

    private func endPauses() {
        for (_, pause) in pauses {
            pause.timer.cancel()
            pause.continuation.resume()
        }
        pauses.removeAll()
    }

    /// Waits until the run is over and returns its report.
    func waitUntilFinished() async -> ConsumerLoopReport {
        if finished { return report }
        return await withCheckedContinuation { finishWaiters.append($0) }
    }

    // MARK: Waking

    /// Hands work to waiting tasks, ends those that will get none, and finishes the run when
    /// nothing is left to do.
    private func settle() {
        while !workers.isEmpty, let message = takeReady() {
            workers.removeFirst().resume(returning: message)
        }
        if workersShouldEnd {
            for worker in workers { worker.resume(returning: nil) }
            workers.removeAll()
        }
        while !receivers.isEmpty, canReserve {
            reserve()
            receivers.removeFirst().resume(returning: true)
        }
        if receiversShouldEnd {
            for receiver in receivers { receiver.resume(returning: false) }
            receivers.removeAll()
        }
        while !flushers.isEmpty, let batch = takeAcknowledgements() {
            flushers.removeFirst().resume(returning: batch)
        }
        if flushersShouldEnd {
            for flusher in flushers { flusher.resume(returning: nil) }
            flushers.removeAll()
        }
        if !finished, flushersShouldEnd, flushesInFlight == 0, !moreAcknowledgementsPossible {
            finish()
        }
    }

    private func finish() {
        finished = true
        report.record(held.values.filter(\.started).map(\.message), as: .unfinished)
        if !stopRequested { report.ending = sourceFailure.map(ConsumerLoopReport.Ending.sourceFailed) ?? .sourceExhausted }
        endPauses()
        for waiter in finishWaiters { waiter.resume(returning: report) }
        finishWaiters.removeAll()
        for worker in workers { worker.resume(returning: nil) }
        workers.removeAll()
        for receiver in receivers { receiver.resume(returning: false) }
        receivers.removeAll()
    }
}
