import MicrocosmAWS
import MicrocosmPubSub

/// Reads a dead-letter queue (or a file of JSON lines) through the service's envelope, each
/// message once: received with a short visibility timeout, so what is not deleted comes back by
/// itself, and handed back (visibility 0) when done.
struct DeadLetterReader: Sendable {
    /// How long received messages stay invisible while the tool works on them.
    static let visibilityTimeout = 30

    let source: MessageSource
    let envelope: SQSEnvelope
    /// The ids already read.
    private(set) var seen: Set<String> = []

    init(source: MessageSource, envelope: SQSEnvelope) {
        self.source = source
        self.envelope = envelope
    }

    /// Up to `limit` (1...10) messages not read before, and those read before again (a queue
    /// hands a message out again once its visibility ran out: reading has gone round). Both are
    /// empty when the source has nothing more.
    mutating func next(limit: Int) async throws -> (fresh: [ConsumedMessage], again: [ConsumedMessage]) {
        let consumer = SQSConsumer(source: source, envelope: envelope, limit: limit, waitSeconds: 1,
                                   visibilityTimeout: Self.visibilityTimeout)
        var fresh: [ConsumedMessage] = []
        var again: [ConsumedMessage] = []
        repeat {
            for message in try await consumer.consume() {
                // A file may hold a message twice: only a queue goes round.
                if seen.insert(message.messageId).inserted || !source.acknowledges { fresh.append(message) } else { again.append(message) }
            }
        } while fresh.isEmpty && again.isEmpty && !source.acknowledges && !source.isExhausted
        return (fresh, again)
    }

    /// Reads up to `max` messages (nil: all); stops when the source has no more, or a queue hands
    /// out a message it already gave. Returns the messages and those read again (to hand back too).
    mutating func readAll(max: Int?) async throws -> (messages: [ConsumedMessage], again: [ConsumedMessage]) {
        var messages: [ConsumedMessage] = []
        var again: [ConsumedMessage] = []
        while max.map({ messages.count < $0 }) ?? true {
            let batch = try await next(limit: min(SQSConsumer.batchLimit, (max ?? Int.max) - messages.count))
            messages += batch.fresh
            again += batch.again
            if batch.fresh.isEmpty || !batch.again.isEmpty { break }
        }
        return (messages, again)
    }

    /// Makes `messages` visible again at once; returns the failures (those come back when their
    /// visibility timeout runs out). A no-op for a file.
    func handBack(_ messages: [ConsumedMessage]) async -> [String] {
        guard case .queue(let url, let client) = source.kind else { return [] }
        var failures: [String] = []
        var start = messages.startIndex
        while start < messages.endIndex {
            let chunk = messages[start..<min(start + SQSConsumer.batchLimit, messages.endIndex)]
            start = chunk.endIndex
            let entries = chunk.enumerated().map { index, message in
                ChangeMessageVisibilityBatchEntry(id: "m\(index)", receiptHandle: message.receiptHandle, visibilityTimeout: 0)
            }
            do {
                let result = try await client.changeMessageVisibilityBatch(queueURL: url, entries: entries)
                for failure in result.failed {
                    let id = Int(failure.id.dropFirst()).map { chunk[chunk.startIndex + $0].messageId } ?? failure.id
                    failures.append("message \(id): \(failure.code)\(failure.message.map { ": \($0)" } ?? "")")
                }
            } catch {
                failures += chunk.map { "message \($0.messageId): \(error)" }
            }
        }
        return failures
    }
}
