import MicrocosmAWS

/// Batch acknowledgement for daemons: DeleteMessageBatch and ChangeMessageVisibilityBatch, ten
/// messages per call, every message's outcome reported.
extension SQSConsumer {
    /// The most entries SQS takes in one batch call.
    public static let batchLimit = 10

    /// Deletes `messages` (ten per DeleteMessageBatch call). Never throws: a refused entry or a
    /// failed call is reported for each message it concerns. For sources that do not acknowledge,
    /// every message succeeds.
    public func ack(_ messages: [ConsumedMessage]) async -> AcknowledgementReport {
        guard case .queue(let url, let client) = source.kind else { return AcknowledgementReport(succeeded: messages) }
        return await inBatches(messages.map { ($0, 0) }, action: "DeleteMessageBatch", queueURL: url) { chunk in
            try await client.deleteMessageBatch(queueURL: url, entries: chunk.enumerated().map { index, item in
                DeleteMessageBatchEntry(id: String(index), receiptHandle: item.message.receiptHandle)
            })
        }
    }

    /// Nacks `messages` with one `visibilityTimeout` (nil: the backoff policy's choice for each).
    /// See ``nack(_:)``.
    public func nack(_ messages: [ConsumedMessage], visibilityTimeout: Int? = nil) async -> AcknowledgementReport {
        await nack(messages.map { (message: $0, visibilityTimeout: visibilityTimeout) })
    }

    /// Nacks each message with its own timeout (nil: the backoff policy's choice), ten per
    /// ChangeMessageVisibilityBatch call; 0 makes a message visible again at once (handing back
    /// messages not started). Never throws: a refused entry or a failed call is reported for each
    /// message it concerns. A message the policy leaves alone, and every message of a source that
    /// does not acknowledge, succeeds without a call.
    public func nack(_ entries: [(message: ConsumedMessage, visibilityTimeout: Int?)]) async -> AcknowledgementReport {
        guard case .queue(let url, let client) = source.kind else { return AcknowledgementReport(succeeded: entries.map(\.message)) }
        var report = AcknowledgementReport()
        var changes: [(message: ConsumedMessage, timeout: Int)] = []
        for (message, requested) in entries {
            if let timeout = backoffPolicy.visibilityTimeout(receiveCount: message.receiveCount, requested: requested) {
                changes.append((message, timeout))
            } else {
                report.succeeded.append(message)
            }
        }
        let changed = await inBatches(changes, action: "ChangeMessageVisibilityBatch", queueURL: url) { chunk in
            try await client.changeMessageVisibilityBatch(queueURL: url, entries: chunk.enumerated().map { index, item in
                ChangeMessageVisibilityBatchEntry(id: String(index), receiptHandle: item.message.receiptHandle,
                                                  visibilityTimeout: item.timeout)
            })
        }
        report.succeeded += changed.succeeded
        report.failed += changed.failed
        return report
    }

    /// Calls `call` with chunks of ten (entry ids are the positions in the chunk) and sorts every
    /// message into succeeded or failed; an entry the reply does not mention counts as failed.
    private func inBatches(_ items: [(message: ConsumedMessage, timeout: Int)], action: String, queueURL: String,
                           call: ([(message: ConsumedMessage, timeout: Int)]) async throws -> BatchResult<String>) async -> AcknowledgementReport {
        var report = AcknowledgementReport()
        var start = 0
        while start < items.count {
            let chunk = Array(items[start..<min(start + Self.batchLimit, items.count)])
            start += Self.batchLimit
            let result: BatchResult<String>
            do {
                result = try await call(chunk)
            } catch {
                report.failed += chunk.map { AcknowledgementFailure(message: $0.message, action: action, queueURL: queueURL, error: error) }
                continue
            }
            var succeeded = [Bool](repeating: false, count: chunk.count)
            var refused = [BatchResultError?](repeating: nil, count: chunk.count)
            for id in result.successful {
                if let index = Int(id), chunk.indices.contains(index) { succeeded[index] = true }
            }
            for failure in result.failed {
                if let index = Int(failure.id), chunk.indices.contains(index) { refused[index] = failure }
            }
            for (index, item) in chunk.enumerated() {
                if let entry = refused[index] {
                    report.failed.append(AcknowledgementFailure(message: item.message, action: action, queueURL: queueURL, entry: entry))
                } else if succeeded[index] {
                    report.succeeded.append(item.message)
                } else {
                    let missing = BatchResultError(id: String(index), code: "MissingFromReply",
                                                   message: "the reply names this entry neither successful nor failed", senderFault: false)
                    report.failed.append(AcknowledgementFailure(message: item.message, action: action, queueURL: queueURL, entry: missing))
                }
            }
        }
        return report
    }
}
