import Foundation
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// What one `pubsub demo` run did: the results per media type, the messages that were handled
/// more than once, and what ended in the dead-letter queue.
///
/// Every message the demo sends ends either in a result that deletes it (SUCCEEDED, SKIPPED,
/// IGNORED, EXPIRED) or in the dead-letter queue; RETRIED and FAILED are deliveries that led to
/// another receive. ``everyMessageAccountedFor`` checks exactly that, per media type.
public struct DemoReport: Sendable {
    /// The results of the messages of one media type.
    public struct Row: Sendable, Hashable {
        /// The media type; nil for messages whose media type cannot be read (not JSON).
        public var mediaType: MediaType?
        /// Messages of this media type sent.
        public var messages: Int
        /// Deliveries handled to each result.
        public var results: [MessageHandlingResult.Kind: Int]
        /// Messages of this media type in the dead-letter queue at the end.
        public var deadLettered: Int

        /// Deliveries (receives) of messages of this media type.
        public var received: Int { results.values.reduce(0, +) }

        /// Deliveries that ended in a result that deletes the message.
        public var deleted: Int { results.filter(\.key.deletesMessage).values.reduce(0, +) }

        /// Each message sent was deleted once, or is in the dead-letter queue.
        public var isAccountedFor: Bool { deleted + deadLettered == messages }

        /// How many deliveries ended in `kind`.
        public subscript(kind: MessageHandlingResult.Kind) -> Int { results[kind, default: 0] }
    }

    /// A message found in the dead-letter queue.
    public struct DeadLetter: Sendable, Hashable {
        /// The SQS message id (the same as in the queue it came from).
        public var messageId: String
        /// Its receive count as the dead-letter queue reports it.
        public var receiveCount: Int
        /// The body as sent.
        public var body: String
    }

    /// How the dead-letter queue was listed: looked at in place (the embedded broker), or
    /// received, which SQS counts as one more receive.
    public enum DeadLetterListing: Sendable, Hashable {
        /// Looked at without receiving (the embedded broker's inspection).
        case inspected
        /// Received with ReceiveMessage (an endpoint).
        case received
    }

    /// What the demo ran against: `memory://` or the endpoint.
    public var endpoint: String
    /// The topic the messages were published to.
    public var topicArn: String
    /// The worker's queue.
    public var queueURL: String
    /// The queue's dead-letter queue.
    public var deadLetterQueueURL: String
    /// The SQS message id of the body that is not JSON.
    public var poisonMessageId: String
    /// One row per media type, in the scenario's order.
    public var rows: [Row]
    /// Every handler call.
    public var attempts: [DemoAttempts.Attempt]
    /// The dead-letter queue's messages at the end.
    public var deadLetters: [DeadLetter]
    /// How they were found.
    public var deadLetterListing: DeadLetterListing
    /// The daemon loop's own account.
    public var loop: ConsumerLoopReport
    /// Whether the queue was drained (nothing visible, in flight or delayed) before the timeout.
    public var drained: Bool
    /// From the start of the loop until the queue was drained (or the timeout).
    public var elapsed: Duration

    /// The row of `mediaType` (nil: the unreadable messages).
    public func row(_ mediaType: MediaType?) -> Row? {
        rows.first { $0.mediaType == mediaType }
    }

    /// The queue was drained and each message sent was deleted once or is in the dead-letter queue.
    public var everyMessageAccountedFor: Bool {
        drained && rows.allSatisfy(\.isAccountedFor)
    }

    /// The handler calls of each message handled more than once, in the order each was first handled.
    public var messagesHandledMoreThanOnce: [[DemoAttempts.Attempt]] {
        let byMessage = Dictionary(grouping: attempts, by: \.messageId)
        var seen: Set<String> = []
        return attempts.compactMap { attempt in
            guard seen.insert(attempt.messageId).inserted, let all = byMessage[attempt.messageId], all.count > 1 else { return nil }
            return all.sorted { $0.receiveCount < $1.receiveCount }
        }
    }

    // MARK: Printing

    /// The prefix left out of the media types in the table.
    static let mediaTypePrefix = "application/vnd.globality.pubsub._."

    /// The table, the messages handled more than once, and the dead-letter queue, as printed.
    public var lines: [String] {
        var lines = ["results per media type (\(Self.mediaTypePrefix)<change>.<resource>):", ""]
        let kinds = MessageHandlingResult.Kind.all
        let header = ["media type", "messages", "received"] + kinds.map(\.rawValue) + ["in DLQ"]
        var table = [header]
        for row in rows {
            table.append([Self.shortName(row.mediaType), String(row.messages), String(row.received)]
                         + kinds.map { String(row[$0]) } + [String(row.deadLettered)])
        }
        let total = rows.reduce(into: [Int](repeating: 0, count: header.count - 1)) { sums, row in
            let values = [row.messages, row.received] + kinds.map { row[$0] } + [row.deadLettered]
            for (index, value) in values.enumerated() { sums[index] += value }
        }
        table.append(["total"] + total.map(String.init))
        lines += Self.aligned(table).map { "  " + $0 }

        let repeated = messagesHandledMoreThanOnce
        if !repeated.isEmpty {
            lines += ["", "handled more than once (receive count: result):"]
            for attempts in repeated {
                let steps = attempts.map { attempt in
                    "\(attempt.receiveCount): \(attempt.kind)" + (attempt.kind.deletesMessage ? "" : attempt.reason.map { " (\($0))" } ?? "")
                }
                lines.append("  \(Self.shortName(attempts[0].mediaType)) \(attempts[0].key)  " + steps.joined(separator: ", "))
            }
        }

        let name = deadLetterQueueURL.split(separator: "/").last.map(String.init) ?? deadLetterQueueURL
        lines += ["", "dead-letter queue \(name): \(deadLetters.count) message\(deadLetters.count == 1 ? "" : "s")"]
        for message in deadLetters {
            lines.append("  \(message.messageId)  receive count \(message.receiveCount)  \(Self.snippet(message.body))")
        }
        if deadLetterListing == .received, !deadLetters.isEmpty {
            lines.append("  (receive counts as SQS reports them, including the receive that listed the message)")
        }
        let sent = rows.reduce(0) { $0 + $1.messages }
        let deleted = rows.reduce(0) { $0 + $1.deleted }
        lines += ["", everyMessageAccountedFor
            ? "every message accounted for: \(sent) sent, \(deleted) deleted once, \(deadLetters.count) in the dead-letter queue"
            : "NOT every message accounted for: \(sent) sent, \(deleted) deleted, \(deadLetters.count) in the dead-letter queue"
                + (drained ? "" : ", the queue not drained")]
        return lines
    }

    /// `created.order` for `application/vnd.globality.pubsub._.created.order`; `(not JSON)` for none.
    static func shortName(_ mediaType: MediaType?) -> String {
        guard let mediaType else { return "(not JSON)" }
        let text = mediaType.rawValue
        return text.hasPrefix(mediaTypePrefix) ? String(text.dropFirst(mediaTypePrefix.count)) : text
    }

    /// The body on one line, quoted, at most 60 characters of it.
    static func snippet(_ body: String) -> String {
        let flat = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "'" + (flat.count > 60 ? flat.prefix(57) + "..." : flat) + "'"
    }

    /// Rows of cells as lines: the first column left-aligned, the others right-aligned.
    private static func aligned(_ table: [[String]]) -> [String] {
        let widths = table[0].indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }
}
