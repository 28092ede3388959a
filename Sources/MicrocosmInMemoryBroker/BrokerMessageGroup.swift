/// The messages of one FIFO message group, in order. While any of them is in flight the group
/// delivers nothing more, which is how SQS keeps a group strictly ordered.
final class BrokerMessageGroup {
    let id: String
    /// Visible messages in sequence order (deleted ones are skipped when reached).
    var messages = BrokerRing<BrokerStoredMessage>()
    /// Messages of this group that are visible.
    var visibleCount = 0
    /// Messages of this group that are in flight; the group is locked while this is above zero.
    var inFlightCount = 0
    /// True while the group is in its queue's ring of groups ready to deliver.
    var isReady = false

    init(id: String) {
        self.id = id
    }

    /// True when a receive may take the group's next message.
    var canDeliver: Bool { inFlightCount == 0 && visibleCount > 0 }

    /// True when nothing refers to the group any more.
    var isIdle: Bool { inFlightCount == 0 && visibleCount == 0 && !isReady }

    /// Puts a message (back) in sequence order; released messages go before later ones.
    func insert(_ message: BrokerStoredMessage) {
        messages.insert(message) { $0.sequence < $1.sequence }
        visibleCount += 1
    }

    /// The next visible message, dropping deleted entries on the way.
    func popVisible() -> BrokerStoredMessage? {
        while let message = messages.popFirst() {
            if message.state == .visible { return message }
        }
        return nil
    }
}
