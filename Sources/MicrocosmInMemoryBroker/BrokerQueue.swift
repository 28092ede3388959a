#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// One SQS queue of the in-memory broker: its settings and its messages.
///
/// Visible messages wait in a ring (standard queues) or in per-group rings with a ring of groups
/// ready to deliver (FIFO queues); delayed and in-flight messages wait in a heap keyed by the time
/// they become visible; receipt handles index the messages they were issued for. Every operation
/// is O(1) or O(log n) in the number of messages; none scans the queue.
final class BrokerQueue {
    let name: String
    let url: String
    let arn: String
    let createdAt: Date
    var modifiedAt: Date
    var settings: BrokerQueueSettings
    private(set) var isDeleted = false

    /// Standard queues: visible messages in arrival order (deleted ones are skipped when reached).
    private var visible = BrokerRing<BrokerStoredMessage>()
    /// FIFO queues: the groups by id.
    private var groups: [String: BrokerMessageGroup] = [:]
    /// FIFO queues: groups that can deliver, in the order they became able to.
    private var readyGroups = BrokerRing<BrokerMessageGroup>()
    /// Delayed and in-flight messages by the time they become visible.
    private var pending = BrokerVisibilityHeap()
    /// Live messages by every receipt handle issued for them.
    private var messagesByHandle: [String: BrokerStoredMessage] = [:]

    private(set) var visibleCount = 0
    private(set) var inFlightCount = 0
    private(set) var delayedCount = 0

    /// FIFO queues: deduplication ids of the last five minutes.
    var deduplication = BrokerDeduplication()
    /// Long polls waiting on this queue, oldest first.
    var waiters: [BrokerWaiter] = []

    private var nextSequence: UInt64 = 0
    private var nextHandleSerial: UInt64 = 0
    /// Mixed into receipt handles, so a handle proves which queue issued it without a record of it.
    private let handleKey: UInt64

    init(name: String, url: String, arn: String, settings: BrokerQueueSettings, now: Date, handleKey: UInt64) {
        self.name = name
        self.url = url
        self.arn = arn
        self.settings = settings
        self.createdAt = now
        self.modifiedAt = now
        self.handleKey = handleKey
    }

    var isFIFO: Bool { settings.isFIFO }

    /// About how many receives would find a message now (visible messages; FIFO: ready groups).
    var deliverableCount: Int { isFIFO ? readyGroups.count : visibleCount }

    /// When the next delayed or in-flight message becomes visible.
    var nextVisibilityChange: Date? { pending.first?.visibleAt }

    /// The next arrival number (FIFO order, heap ties).
    func takeSequence() -> UInt64 {
        nextSequence += 1
        return nextSequence
    }

    // MARK: Arrival

    /// Adds a new message, visible at once or after `delay` seconds.
    func enqueue(_ message: BrokerStoredMessage, delay: Int, now: Date) {
        if delay > 0 {
            message.state = .delayed
            message.visibleAt = now.addingTimeInterval(TimeInterval(delay))
            pending.insert(message)
            delayedCount += 1
        } else {
            makeVisible(message)
        }
    }

    /// Makes due delayed and in-flight messages visible. Returns how many became visible.
    @discardableResult
    func promoteDue(now: Date) -> Int {
        var promoted = 0
        while let next = pending.first, next.visibleAt <= now {
            pending.remove(next)
            switch next.state {
            case .delayed:
                delayedCount -= 1
            case .inFlight:
                inFlightCount -= 1
                if let groupId = next.messageGroupId, isFIFO { groups[groupId]?.inFlightCount -= 1 }
            case .visible, .deleted:
                break
            }
            makeVisible(next)
            promoted += 1
        }
        return promoted
    }

    private func makeVisible(_ message: BrokerStoredMessage) {
        message.state = .visible
        visibleCount += 1
        if isFIFO {
            let groupId = message.messageGroupId ?? ""
            let group = groups[groupId] ?? {
                let group = BrokerMessageGroup(id: groupId)
                groups[groupId] = group
                return group
            }()
            group.insert(message)
            readyIfPossible(group)
        } else {
            visible.append(message)
        }
    }

    private func readyIfPossible(_ group: BrokerMessageGroup) {
        guard !group.isReady, group.canDeliver else { return }
        group.isReady = true
        readyGroups.append(group)
    }

    // MARK: Receiving

    /// Standard queues: the next visible message, still marked visible until ``beginFlight(_:until:now:handle:)``
    /// or ``drop(_:)``.
    func popVisible() -> BrokerStoredMessage? {
        while let message = visible.popFirst() {
            if message.state == .visible { return message }
        }
        return nil
    }

    /// FIFO queues: the next group that can deliver.
    func popReadyGroup() -> BrokerMessageGroup? {
        while let group = readyGroups.popFirst() {
            group.isReady = false
            if group.canDeliver { return group }
            forgetIfIdle(group)
        }
        return nil
    }

    /// FIFO queues: puts a group back after a receive took what it could from it.
    func settle(_ group: BrokerMessageGroup) {
        readyIfPossible(group)
        forgetIfIdle(group)
    }

    /// Marks a popped message as received: invisible until `until`, reachable by `handle`.
    func beginFlight(_ message: BrokerStoredMessage, until: Date, now: Date, handle: String) {
        message.state = .inFlight
        message.receiveCount += 1
        if message.firstReceivedAt == nil { message.firstReceivedAt = now }
        if let earlier = message.receiptHandle { message.earlierReceiptHandles.append(earlier) }
        message.receiptHandle = handle
        messagesByHandle[handle] = message
        message.visibleAt = until
        pending.insert(message)
        visibleCount -= 1
        inFlightCount += 1
        if isFIFO, let groupId = message.messageGroupId, let group = groups[groupId] {
            group.visibleCount -= 1
            group.inFlightCount += 1
        }
    }

    // MARK: Handles

    /// A new receipt handle: 16 hex digits of serial number, then 16 of a keyed mix of it.
    func issueHandle() -> String {
        nextHandleSerial += 1
        return BrokerIdentifiers.hex(nextHandleSerial, mixed(nextHandleSerial))
    }

    /// True when this queue issued `handle` (whether or not its message still exists).
    func issued(_ handle: String) -> Bool {
        let utf8 = Array(handle.utf8)
        guard utf8.count == 32, let serial = BrokerIdentifiers.parseHex(utf8[0..<16]),
              let check = BrokerIdentifiers.parseHex(utf8[16..<32]) else { return false }
        return serial >= 1 && serial <= nextHandleSerial && check == mixed(serial)
    }

    /// The live message `handle` was issued for.
    func message(forHandle handle: String) -> BrokerStoredMessage? {
        messagesByHandle[handle]
    }

    private func mixed(_ serial: UInt64) -> UInt64 {
        var value = serial ^ handleKey
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    // MARK: Visibility and removal

    /// Makes an in-flight message visible now.
    func release(_ message: BrokerStoredMessage) {
        pending.remove(message)
        inFlightCount -= 1
        if isFIFO, let groupId = message.messageGroupId { groups[groupId]?.inFlightCount -= 1 }
        makeVisible(message)
    }

    /// Keeps an in-flight message invisible until `until`.
    func extend(_ message: BrokerStoredMessage, until: Date) {
        message.visibleAt = until
        pending.update(message)
    }

    /// Removes a message for good (delete, purge, retention, redrive), from whatever state it is in.
    func drop(_ message: BrokerStoredMessage) {
        let group = isFIFO ? message.messageGroupId.flatMap { groups[$0] } : nil
        switch message.state {
        case .delayed:
            pending.remove(message)
            delayedCount -= 1
        case .inFlight:
            pending.remove(message)
            inFlightCount -= 1
            group?.inFlightCount -= 1
        case .visible:
            visibleCount -= 1
            group?.visibleCount -= 1
        case .deleted:
            return
        }
        message.state = .deleted
        if let handle = message.receiptHandle { messagesByHandle[handle] = nil }
        for handle in message.earlierReceiptHandles { messagesByHandle[handle] = nil }
        if let group {
            readyIfPossible(group)
            forgetIfIdle(group)
        }
    }

    private func forgetIfIdle(_ group: BrokerMessageGroup) {
        if group.isIdle, groups[group.id] === group { groups[group.id] = nil }
    }

    /// Deletes every message (PurgeQueue).
    func purge() {
        for message in allMessages { message.state = .deleted }
        visible.removeAll()
        groups.removeAll()
        readyGroups.removeAll()
        pending.removeAll()
        messagesByHandle.removeAll()
        visibleCount = 0
        inFlightCount = 0
        delayedCount = 0
    }

    /// Marks the queue deleted; its messages go with it.
    func markDeleted() {
        purge()
        isDeleted = true
    }

    // MARK: Inspection

    /// Visible messages in the order a receive would meet them (FIFO: group by group).
    var visibleMessages: [BrokerStoredMessage] {
        if isFIFO {
            return groups.values.sorted { ($0.messages.first?.sequence ?? 0) < ($1.messages.first?.sequence ?? 0) }
                .flatMap { $0.messages.elements.filter { $0.state == .visible } }
        }
        return visible.elements.filter { $0.state == .visible }
    }

    /// In-flight messages, soonest visible first.
    var inFlightMessages: [BrokerStoredMessage] {
        pending.messages.filter { $0.state == .inFlight }.sorted { ($0.visibleAt, $0.sequence) < ($1.visibleAt, $1.sequence) }
    }

    /// Delayed messages, soonest visible first.
    var delayedMessages: [BrokerStoredMessage] {
        pending.messages.filter { $0.state == .delayed }.sorted { ($0.visibleAt, $0.sequence) < ($1.visibleAt, $1.sequence) }
    }

    private var allMessages: [BrokerStoredMessage] {
        visibleMessages + pending.messages
    }
}
