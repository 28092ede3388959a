import MicrocosmAWS
import MicrocosmPubSub

/// Moving a dead-letter queue's messages to a queue: by SQS's message move task, or by receive,
/// send, delete, where a message is deleted only once its copy was sent.
struct DeadLetterReplay: Sendable {
    /// Messages moved (sent and deleted).
    var moved = 0
    /// Messages left where they were because of a media type filter.
    var skipped = 0
    /// One line per message that could not be moved, or was sent but not deleted.
    var failures: [String] = []

    /// Waits for the message move task `handle` of `queues`' dead-letter queue to end.
    static func byMoveTask(_ handle: String, of queues: DeadLetterQueues, client: any SQSMessageMoveAPI) async throws -> Self {
        var replay = DeadLetterReplay()
        while true {
            try await Task.sleep(for: .seconds(1))
            let tasks = try await client.listMessageMoveTasks(sourceArn: queues.deadLetterArn, maxResults: 10)
            // SQS names the task by its handle only while it runs; the most recent one is ours after that.
            guard let task = tasks.first(where: { $0.taskHandle == handle }) ?? tasks.first else { continue }
            replay.moved = task.approximateNumberOfMessagesMoved
            if task.status.isActive { continue }
            if task.status != .completed {
                replay.failures.append("message move task \(task.status): \(task.failureReason ?? "no reason given")")
            }
            return replay
        }
    }

    /// Moves up to `max` messages (nil: all) of `mediaTypes` (empty: all) from `reader`'s queue
    /// to `destinationURL` by receive, send, delete.
    static func byHand(_ reader: inout DeadLetterReader, to destinationURL: String, client: any SQSAPI, max: Int?,
                       mediaTypes: [MediaType]) async -> Self {
        var replay = DeadLetterReplay()
        var handBack: [ConsumedMessage] = []
        while max.map({ replay.moved + replay.failures.count < $0 }) ?? true {
            let limit = min(SQSConsumer.batchLimit, (max ?? Int.max) - replay.moved - replay.failures.count)
            let batch: (fresh: [ConsumedMessage], again: [ConsumedMessage])
            do {
                batch = try await reader.next(limit: limit)
            } catch {
                replay.failures.append("cannot receive from \(reader.source): \(error)")
                break
            }
            handBack += batch.again
            let chosen = batch.fresh.filter { message in mediaTypes.isEmpty || message.mediaType.map(mediaTypes.contains) == true }
            replay.skipped += batch.fresh.count - chosen.count
            handBack += batch.fresh.filter { message in !chosen.contains { $0 === message } }
            if !chosen.isEmpty {
                handBack += await replay.move(chosen, to: destinationURL, from: reader, client: client)
            }
            if batch.fresh.isEmpty || !batch.again.isEmpty { break }
        }
        replay.failures += await reader.handBack(handBack).map { "could not hand back \($0) (it comes back by itself)" }
        return replay
    }

    /// Sends `messages` to `destinationURL` (same body and message attributes; on a FIFO queue,
    /// the same group and the message id as deduplication id), then deletes those sent. Returns
    /// the messages that were not sent, to hand back.
    private mutating func move(_ messages: [ConsumedMessage], to destinationURL: String, from reader: DeadLetterReader,
                               client: any SQSAPI) async -> [ConsumedMessage] {
        let fifo = destinationURL.hasSuffix(".fifo")
        let entries = messages.enumerated().map { index, message in
            SendMessageBatchEntry(id: "m\(index)", messageBody: message.sqsMessage.body,
                                  messageAttributes: message.sqsMessage.messageAttributes,
                                  messageGroupId: fifo ? message.messageGroupId ?? "dead-letter-replay" : nil,
                                  messageDeduplicationId: fifo ? message.messageId : nil)
        }
        let sent: BatchResult<SendMessageBatchResultEntry>
        do {
            sent = try await client.sendMessageBatch(queueURL: destinationURL, entries: entries)
        } catch {
            failures += messages.map { "message \($0.messageId): not sent to \(destinationURL): \(error)" }
            return messages
        }
        var notSent: [ConsumedMessage] = []
        for failure in sent.failed {
            guard let message = Self.message(failure.id, in: messages) else { continue }
            failures.append("message \(message.messageId): not sent to \(destinationURL): \(failure.code)"
                            + (failure.message.map { ": \($0)" } ?? ""))
            notSent.append(message)
        }
        let sentMessages = sent.successful.compactMap { Self.message($0.id, in: messages) }
        guard case .queue(let url, _) = reader.source.kind, !sentMessages.isEmpty else { return notSent }
        let deletes = sentMessages.enumerated().map { DeleteMessageBatchEntry(id: "m\($0.offset)", receiptHandle: $0.element.receiptHandle) }
        let deleted: BatchResult<String>
        do {
            deleted = try await client.deleteMessageBatch(queueURL: url, entries: deletes)
        } catch {
            failures += sentMessages.map { "message \($0.messageId): sent to \(destinationURL) but not deleted from \(url): \(error)" }
            return notSent
        }
        moved += deleted.successful.count
        for failure in deleted.failed {
            guard let message = Self.message(failure.id, in: sentMessages) else { continue }
            failures.append("message \(message.messageId): sent to \(destinationURL) but not deleted from \(url): \(failure.code)"
                            + (failure.message.map { ": \($0)" } ?? ""))
        }
        return notSent
    }

    /// The message of batch entry `id` (`m<index>`).
    private static func message(_ id: String, in messages: [ConsumedMessage]) -> ConsumedMessage? {
        Int(id.dropFirst()).flatMap { messages.indices.contains($0) ? messages[$0] : nil }
    }
}
