import MicrocosmAWS
import MicrocosmPubSub

/// The lease manager's table: every message a ``ConsumerLoop`` holds, from the receive that
/// brought it until SQS has deleted it or taken it back, and what SQS must be told about each.
///
/// A message is held while it waits to start, while its handler runs, and after it was handled
/// until its delete or visibility change has gone through. While held it keeps a *lease*: the
/// time its visibility runs out at the earliest by the loop's clock (counted from the earliest SQS
/// can have taken it, or from when the last extension SQS accepted was *sent*), renewed by
/// extensions every heartbeat interval. Each entry's extension, delete or visibility change is retried on its own
/// with its own backoff, so one failing entry never holds up the others.
///
/// The table only decides; the loop's state actor sends what ``due(now:slots:)`` returns,
/// reports the replies to ``finished(_:report:requestedAt:)``, and logs and counts the
/// ``Outcome``s both return. Times are durations since the loop started.
struct ConsumerLeases {
    /// How long leases are and how often they are renewed.
    struct Terms: Sendable, Hashable {
        /// The visibility timeout receives ask for and extensions renew to; nil: the source does
        /// not acknowledge (a file, standard input, a Lambda event), so nothing is leased.
        var leaseSeconds: Int?
        /// How often held messages are extended; nil: never (no heartbeat), so leases are not
        /// watched either.
        var heartbeat: Duration?
    }

    /// One batch call to send: ten entries at most, of one kind.
    struct Call: Sendable {
        enum Kind: Sendable, Hashable {
            /// DeleteMessageBatch, after results that delete.
            case delete
            /// ChangeMessageVisibilityBatch after RETRIED or FAILED, or 0 to hand back unstarted.
            case nack
            /// ChangeMessageVisibilityBatch to renew leases (the heartbeat).
            case extend
        }

        let kind: Kind
        /// Each message with its visibility timeout (nil: the backoff policy's; deletes: nil).
        let entries: [Entry]
    }

    /// One message of a call.
    struct Entry: Sendable {
        let message: ConsumedMessage
        let timeout: Int?
    }

    /// Something that happened to a held message that the loop must count, log or act on.
    enum Outcome {
        /// Deleted: done.
        case deleted(ConsumedMessage)
        /// Its visibility change went through: back in the queue.
        case handedBack(ConsumedMessage)
        /// Its delete or visibility change failed for good (logged once, with the attempt).
        case unacknowledged(AcknowledgementFailure?, message: ConsumedMessage, attempt: Int, action: Call.Kind)
        /// Entries of a call failed and will be tried again, each after its own backoff.
        case retrying(Call.Kind, failures: [AcknowledgementFailure], attempt: Int)
        /// An extension was refused for a reason that retrying will not fix; the lease runs out
        /// unless the message is deleted first.
        case extensionRefused(AcknowledgementFailure)
        /// The message nears the 12 hours SQS keeps a message invisible after its receive: its
        /// last extensions are cut short, and its lease ends with them.
        case atTwelveHourLimit(ConsumedMessage)
        /// The lease is lost: the handler, if running, must be cancelled; the message is not
        /// deleted and SQS delivers it again. `started` tells whether its handler had started.
        case lost(ConsumedMessage, reason: String, started: Bool)
        /// Its lease ran out while a visibility change was still failing: SQS delivers it again
        /// after the timeout it already had.
        case nackExpired(ConsumedMessage, timeout: Int?)
    }

    private struct Lease {
        let message: ConsumedMessage
        /// Receive order, so calls list messages in the order they came.
        let sequence: UInt64
        /// When SQS took it, at the earliest: its visibility and the 12-hour limit count from then.
        let receivedAt: Duration
        /// When its visibility runs out at the earliest.
        var expiresAt: Duration
        /// When to extend it next; nil: not any more (no heartbeat, refused, 12-hour limit).
        var extendAt: Duration?
        /// Extension calls of this lease not yet answered. A renewal does not wait for a stuck one:
        /// one heartbeat after the last was sent, the next goes out beside it (up to
        /// ``maxExtensionsInFlight``), since a reply held past the read timeout and its retries can
        /// outlast a short lease.
        var extensionsInFlight = 0
        /// When the last extension of this lease was sent.
        var lastExtensionSentAt: Duration?
        var extending: Bool { extensionsInFlight > 0 }
        var extensionFailures = 0
        var started = false
        var lost = false
        /// SQS's 12 hours from the receive cut its last extension short: its lease ends with them.
        var atLimit = false
        var acknowledgement: Acknowledgement?
    }

    private struct Acknowledgement {
        let kind: Call.Kind
        let timeout: Int?
        var dueAt: Duration
        var inFlight = false
        var failures = 0
    }

    /// The most extension calls of one lease in flight at once.
    static let maxExtensionsInFlight = 3

    /// The longest SQS keeps a message invisible, counted from its receive.
    static let twelveHours: Duration = .seconds(43_200)

    private(set) var terms: Terms
    private let settings: ConsumerDaemonSettings
    private var leases: [ObjectIdentifier: Lease] = [:]
    private var nextSequence: UInt64 = 0
    /// Delete calls in flight with fewer than ten entries. While one is, deletes wait to fill a batch
    /// of ten or for it to come back (as Nagle's algorithm does for small TCP segments): a busy daemon
    /// sends full batches, an idle one sends each delete at once.
    private var partialDeletesInFlight = 0
    /// Acknowledgements that have failed at least once and wait to be tried again.
    private(set) var retrying = 0

    init(terms: Terms, settings: ConsumerDaemonSettings) {
        self.terms = terms
        self.settings = settings
    }

    /// No message is held.
    var isEmpty: Bool { leases.isEmpty }

    /// How many messages are held.
    var count: Int { leases.count }

    /// True when `message` is held.
    func holds(_ message: ConsumedMessage) -> Bool { leases[ObjectIdentifier(message)] != nil }

    /// True when `message` is held and its lease was lost.
    func isLost(_ message: ConsumedMessage) -> Bool { leases[ObjectIdentifier(message)]?.lost ?? false }

    /// The messages whose handler is running.
    var running: [ConsumedMessage] {
        leases.values.filter { $0.started && $0.acknowledgement == nil }.sorted { $0.sequence < $1.sequence }.map(\.message)
    }

    /// Changes the terms (the queue's visibility timeout became known): later receives and
    /// extensions use them; leases already running keep their expiry.
    mutating func update(_ terms: Terms, now: Duration) {
        self.terms = terms
        guard let heartbeat = terms.heartbeat else { return }
        for (id, lease) in leases {
            if let extendAt = lease.extendAt { leases[id]!.extendAt = min(extendAt, now + heartbeat) }
        }
    }

    // MARK: Holding

    /// Holds messages SQS took for a receive no earlier than `receivedAt`, with `timeout` seconds
    /// of visibility.
    mutating func hold(_ messages: [ConsumedMessage], receivedAt: Duration, timeout: Int?) {
        for message in messages {
            nextSequence += 1
            let expiry = receivedAt + .seconds(timeout ?? terms.leaseSeconds ?? 0)
            leases[ObjectIdentifier(message)] = Lease(message: message, sequence: nextSequence, receivedAt: receivedAt,
                                                      expiresAt: expiry, extendAt: terms.heartbeat.map { receivedAt + $0 })
        }
    }

    /// Its handler starts.
    mutating func start(_ message: ConsumedMessage) {
        leases[ObjectIdentifier(message)]?.started = true
    }

    /// Handled (or handed back unstarted, `timeout` 0): queue its delete or visibility change.
    /// A visibility change is never sent while an extension of the same message is in flight,
    /// and the message is not extended after it, so a nack is never overtaken.
    mutating func acknowledge(_ message: ConsumedMessage, deleting: Bool, timeout: Int?, now: Duration) {
        let id = ObjectIdentifier(message)
        guard leases[id] != nil else { return }
        leases[id]!.acknowledgement = Acknowledgement(kind: deleting ? .delete : .nack, timeout: timeout, dueAt: now)
        if !deleting { leases[id]!.extendAt = nil }
    }

    /// Forgets `message` (its lease was lost and its handler has returned, or it was given up).
    mutating func release(_ message: ConsumedMessage) {
        guard let lease = leases.removeValue(forKey: ObjectIdentifier(message)) else { return }
        if let acknowledgement = lease.acknowledgement, acknowledgement.failures > 0 { retrying -= 1 }
    }

    /// Every message still held, in receive order, and forgets them all.
    mutating func drain() -> (running: [ConsumedMessage], acknowledging: [ConsumedMessage], waiting: [ConsumedMessage]) {
        let all = leases.values.sorted { $0.sequence < $1.sequence }
        leases.removeAll()
        retrying = 0
        return (all.filter { $0.started && $0.acknowledgement == nil && !$0.lost }.map(\.message),
                all.filter { $0.acknowledgement != nil }.map(\.message),
                all.filter { !$0.started && $0.acknowledgement == nil }.map(\.message))
    }

    // MARK: Scheduling

    /// What is due at `now`: leases that ran out (lost, or given up), and the calls to send now,
    /// at most `slots` of them (deletes first, then visibility changes, then extensions; in receive
    /// order). The entries of the calls count as in flight until ``finished(_:report:requestedAt:)``.
    mutating func due(now: Duration, slots: Int) -> (outcomes: [Outcome], calls: [Call]) {
        var outcomes: [Outcome] = []
        if terms.heartbeat != nil { outcomes = expire(now: now) }
        var deletes: [Lease] = [], nacks: [Lease] = [], extensions: [Lease] = []
        // When a renewal is due, those due within a quarter heartbeat go out with it, to share calls
        // (and stay in step after); retries wait for their own time.
        let early = (terms.heartbeat ?? .zero) / 4
        var renewalDue = false
        for lease in leases.values {
            if let acknowledgement = lease.acknowledgement, !acknowledgement.inFlight, acknowledgement.dueAt <= now {
                if acknowledgement.kind == .delete {
                    deletes.append(lease)
                } else if !lease.extending {
                    nacks.append(lease)
                }
            }
            if let extendAt = lease.extendAt, extendAt <= now + (lease.extensionFailures == 0 ? early : .zero),
               mayExtend(lease, now: now), !lease.lost, now < lease.expiresAt,
               lease.acknowledgement.map({ $0.kind == .delete }) ?? true {
                extensions.append(lease)
                if extendAt <= now { renewalDue = true }
            }
        }
        if !renewalDue { extensions.removeAll() }
        var calls: [Call] = []
        // While a partial delete batch is in flight, only full batches go; the rest waits for it.
        if partialDeletesInFlight > 0 {
            deletes.sort { $0.sequence < $1.sequence }
            deletes.removeLast(deletes.count % SQSConsumer.batchLimit)
        }
        for (kind, due) in [(Call.Kind.delete, deletes), (.nack, nacks), (.extend, extensions)] where !due.isEmpty {
            var entries: [Entry] = []
            for lease in due.sorted(by: { $0.sequence < $1.sequence }) {
                guard calls.count < slots else { break }
                let id = ObjectIdentifier(lease.message)
                switch kind {
                case .delete, .nack:
                    leases[id]!.acknowledgement!.inFlight = true
                    entries.append(Entry(message: lease.message, timeout: lease.acknowledgement!.timeout))
                case .extend:
                    let timeout = extensionTimeout(lease, now: now)
                    if timeout.map({ $0 < terms.leaseSeconds ?? 0 }) ?? true, !lease.atLimit {
                        leases[id]!.atLimit = true
                        outcomes.append(.atTwelveHourLimit(lease.message))
                    }
                    guard let timeout else {
                        leases[id]!.extendAt = nil
                        continue
                    }
                    leases[id]!.extensionsInFlight += 1
                    leases[id]!.lastExtensionSentAt = now
                    entries.append(Entry(message: lease.message, timeout: timeout))
                }
                if entries.count == SQSConsumer.batchLimit {
                    calls.append(Call(kind: kind, entries: entries))
                    entries.removeAll()
                }
            }
            if !entries.isEmpty, calls.count < slots {
                calls.append(Call(kind: kind, entries: entries))
                if kind == .delete { partialDeletesInFlight += 1 }
            }
        }
        return (outcomes, calls)
    }

    /// True when an extension of `lease` may go out at `now`: none is in flight, or the last went out
    /// a heartbeat ago or more and fewer than ``maxExtensionsInFlight`` are out.
    private func mayExtend(_ lease: Lease, now: Duration) -> Bool {
        guard lease.extending else { return true }
        guard lease.extensionsInFlight < Self.maxExtensionsInFlight, let heartbeat = terms.heartbeat,
              let sent = lease.lastExtensionSentAt else { return false }
        return now >= sent + heartbeat
    }

    /// The visibility timeout to extend `lease` by at `now`: the lease length, less when SQS's
    /// 12 hours from the receive would be exceeded; nil when no second is left.
    private func extensionTimeout(_ lease: Lease, now: Duration) -> Int? {
        guard let leaseSeconds = terms.leaseSeconds else { return nil }
        let left = Self.twelveHours - (now - lease.receivedAt)
        let room = Int(left.components.seconds) - 1
        guard room >= 1 else { return nil }
        return min(leaseSeconds, room)
    }

    /// The next time something becomes due after `now` (nil: nothing is scheduled); what is due
    /// already waits for a free call slot.
    func nextDue(after now: Duration) -> Duration? {
        var next: Duration?
        func consider(_ time: Duration?) {
            guard let time, time > now else { return }
            next = next.map { min($0, time) } ?? time
        }
        for lease in leases.values {
            if let acknowledgement = lease.acknowledgement, !acknowledgement.inFlight { consider(acknowledgement.dueAt) }
            if !lease.lost, let extendAt = lease.extendAt {
                if !lease.extending {
                    consider(extendAt)
                } else if lease.extensionsInFlight < Self.maxExtensionsInFlight, let heartbeat = terms.heartbeat,
                          let sent = lease.lastExtensionSentAt {
                    consider(max(extendAt, sent + heartbeat))
                }
            }
            if terms.heartbeat != nil, !lease.lost, !lease.extending, lease.acknowledgement?.kind != .delete {
                consider(lease.expiresAt)
            }
        }
        return next
    }

    /// Leases that ran out by `now` while still needed: unhandled messages are lost; visibility
    /// changes that could not be made are given up (the message is visible again anyway). A
    /// handled message whose delete is still failing is not lost: its delete keeps being tried,
    /// since with no newer receive its receipt handle still deletes it.
    private mutating func expire(now: Duration) -> [Outcome] {
        var outcomes: [Outcome] = []
        // An extension in flight may still renew the lease: its reply decides.
        for (id, lease) in leases where !lease.lost && !lease.extending && lease.expiresAt <= now {
            switch lease.acknowledgement?.kind {
            case nil:
                leases[id]!.lost = true
                leases[id]!.extendAt = nil
                if !lease.started { leases[id] = nil }
                let reason = lease.atLimit ? "SQS keeps a message invisible at most 12 hours after its receive"
                    : "its visibility could not be extended before it ran out"
                outcomes.append(.lost(lease.message, reason: reason, started: lease.started))
            case .nack?:
                guard !lease.acknowledgement!.inFlight else { continue }
                release(lease.message)
                outcomes.append(.nackExpired(lease.message, timeout: lease.acknowledgement!.timeout))
            case .delete?, .extend?:
                continue
            }
        }
        return outcomes
    }

    // MARK: Replies

    /// A call sent at `requestedAt` came back with `report`. Entries that failed are tried again a
    /// backoff after `requestedAt` (so a slow failure is retried sooner, and the schedule does not
    /// depend on when the reply is looked at).
    mutating func finished(_ call: Call, report: AcknowledgementReport, requestedAt: Duration) -> [Outcome] {
        if call.kind == .delete, call.entries.count < SQSConsumer.batchLimit { partialDeletesInFlight -= 1 }
        switch call.kind {
        case .extend: return extended(call, report: report, requestedAt: requestedAt)
        case .delete, .nack: return acknowledged(call, report: report, requestedAt: requestedAt)
        }
    }

    private mutating func extended(_ call: Call, report: AcknowledgementReport, requestedAt: Duration) -> [Outcome] {
        var outcomes: [Outcome] = []
        let timeouts = Dictionary(call.entries.map { (ObjectIdentifier($0.message), $0.timeout ?? 0) }) { first, _ in first }
        for message in report.succeeded {
            let id = ObjectIdentifier(message)
            guard var lease = leases[id] else { continue }
            lease.extensionsInFlight = max(lease.extensionsInFlight - 1, 0)
            lease.extensionFailures = 0
            if !lease.lost {
                lease.expiresAt = max(lease.expiresAt, requestedAt + .seconds(timeouts[id] ?? 0))
                if let extendAt = lease.extendAt, let heartbeat = terms.heartbeat {
                    lease.extendAt = max(extendAt, requestedAt + heartbeat)
                }
            }
            leases[id] = lease
        }
        var retried: [AcknowledgementFailure] = []
        var attempt = 0
        for failure in report.failed {
            let id = ObjectIdentifier(failure.message)
            guard var lease = leases[id] else { continue }
            lease.extensionsInFlight = max(lease.extensionsInFlight - 1, 0)
            // A newer extension is out (or was sent after this one): its reply decides, unless SQS
            // said something final about the receipt handle.
            let superseded = lease.extending || lease.lastExtensionSentAt.map { $0 > requestedAt } ?? false
            if !lease.lost, lease.extendAt != nil {
                if Self.meansLeaseLost(failure) {
                    lease.extendAt = nil
                    // A handled message's delete decides its fate; an unhandled one is lost now.
                    if lease.acknowledgement == nil {
                        lease.lost = true
                        outcomes.append(.lost(lease.message, reason: "SQS says its receipt handle is no longer valid "
                                                  + "(\(Self.code(of: failure)))", started: lease.started))
                    }
                } else if failure.isRetryable, superseded {
                    // Nothing to schedule: the newer call is the retry.
                } else if failure.isRetryable {
                    lease.extensionFailures += 1
                    attempt = max(attempt, lease.extensionFailures)
                    // Try again after the backoff (counted from the failed attempt), but soon enough to
                    // renew the lease before it runs out.
                    let left = max(lease.expiresAt - requestedAt, .zero)
                    lease.extendAt = requestedAt + min(settings.backoff(afterFailures: lease.extensionFailures),
                                                       max(left / 2, .milliseconds(100)))
                    retried.append(failure)
                } else {
                    lease.extendAt = nil
                    outcomes.append(.extensionRefused(failure))
                }
            }
            leases[id] = lease.lost && !lease.started ? nil : lease
        }
        if !retried.isEmpty { outcomes.append(.retrying(.extend, failures: retried, attempt: attempt)) }
        return outcomes
    }

    private mutating func acknowledged(_ call: Call, report: AcknowledgementReport, requestedAt: Duration) -> [Outcome] {
        var outcomes: [Outcome] = []
        for message in report.succeeded where holds(message) {
            release(message)
            outcomes.append(call.kind == .delete ? .deleted(message) : .handedBack(message))
        }
        var retried: [AcknowledgementFailure] = []
        var attempt = 0
        for failure in report.failed {
            let id = ObjectIdentifier(failure.message)
            guard var acknowledgement = leases[id]?.acknowledgement else { continue }
            acknowledgement.inFlight = false
            let tries = acknowledgement.failures + 1
            // Deletes are tried for as long as they may succeed; visibility changes as configured.
            let retry = failure.isRetryable && (call.kind == .delete || tries < settings.acknowledgementAttempts)
            guard retry else {
                release(failure.message)
                outcomes.append(.unacknowledged(failure, message: failure.message, attempt: tries, action: call.kind))
                continue
            }
            if acknowledgement.failures == 0 { retrying += 1 }
            acknowledgement.failures = tries
            acknowledgement.dueAt = requestedAt + settings.backoff(afterFailures: tries)
            leases[id]!.acknowledgement = acknowledgement
            attempt = max(attempt, tries)
            retried.append(failure)
        }
        if !retried.isEmpty { outcomes.append(.retrying(call.kind, failures: retried, attempt: attempt)) }
        return outcomes
    }

    /// True when SQS refused an entry because the receipt handle no longer holds the message:
    /// `ReceiptHandleIsInvalid`, `MessageNotInflight`, or `InvalidParameterValue` about the
    /// receipt handle.
    static func meansLeaseLost(_ failure: AcknowledgementFailure) -> Bool {
        let (code, message): (AWSError.Code, String)
        if let entry = failure.entry {
            (code, message) = (entry.code, entry.message ?? "")
        } else if let error = failure.error as? AWSError {
            (code, message) = (error.code, error.message)
        } else {
            return false
        }
        if code == .receiptHandleIsInvalid || code == .messageNotInflight { return true }
        return code == .invalidParameterValue && message.lowercased().contains("receipt handle")
            || code == .invalidParameterValue && message.contains("ReceiptHandle")
    }

    private static func code(of failure: AcknowledgementFailure) -> AWSError.Code {
        failure.entry?.code ?? (failure.error as? AWSError)?.code ?? "error"
    }
}
