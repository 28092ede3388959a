import Microcosm
import MicrocosmAWS

/// Deferred production: messages produced in a scope are published when it ends, only if it succeeds.
extension SNSProducer {
    /// Runs `body` with a ``DeferredProducer``; when `body` returns, publishes what it produced,
    /// one Publish call each, in order (microcosm-pubsub's `DeferredProducer`). When `body`
    /// throws, nothing is published and the error is rethrown.
    ///
    /// Every message is attempted even after one fails; then a ``DeferredPublishError`` lists
    /// those that were not published.
    ///
    /// ```swift
    /// let thing = try await graph.snsProducer.deferred { producer in
    ///     let thing = try await store.create(name)
    ///     try producer.produce(.created("Thing"), uri: thing.uri)
    ///     return thing
    /// }
    /// ```
    public func deferred<R>(isolation: isolated (any Actor)? = #isolation,
                            _ body: (DeferredProducer) async throws -> R) async throws -> R {
        let producer = DeferredProducer(producer: self)
        let result = try await body(producer)
        try await publishEach(producer.take())
        return result
    }

    /// Runs `body` with a ``DeferredProducer``; when `body` returns, publishes what it produced in
    /// batches (see ``DeferredBatchMode``): SNS PublishBatch calls by default, or microcosm-pubsub's
    /// batch message for Python consumers. When `body` throws, nothing is published.
    ///
    /// Every batch is attempted even after one fails; then a ``DeferredPublishError`` lists every
    /// message that was not published, with the AWS error code of its entry or call.
    ///
    /// ```swift
    /// try await graph.snsProducer.deferredBatch { producer in
    ///     for thing in things { try producer.produce(.created("Thing"), uri: thing.uri) }
    /// }
    /// ```
    public func deferredBatch<R>(_ mode: DeferredBatchMode = .publishBatch, isolation: isolated (any Actor)? = #isolation,
                                 _ body: (DeferredProducer) async throws -> R) async throws -> R {
        let producer = DeferredProducer(producer: self)
        let result = try await body(producer)
        let messages = producer.take()
        switch mode {
        case .publishBatch: try await publishBatches(messages)
        case .batchMessage: try await publishBatchMessages(messages)
        }
        return result
    }

    // MARK: One by one

    private func publishEach(_ messages: [ProducedMessage]) async throws {
        var outcome = Outcome(total: messages.count)
        for (index, message) in messages.enumerated() {
            do {
                outcome.published[index] = try await publish(message)
            } catch {
                outcome.failures.append(.init(index: index, mediaType: message.mediaType, topicArn: message.topicArn, error: error))
            }
        }
        try outcome.check()
    }

    // MARK: PublishBatch

    private func publishBatches(_ messages: [ProducedMessage]) async throws {
        var outcome = Outcome(total: messages.count)
        for call in SNSProducer.batchCalls(messages) {
            let topicArn = messages[call[0]].topicArn
            do {
                let result = try await publishBatch(call.map { messages[$0] }, ids: call.map(String.init), topicArn: topicArn)
                var answered = Set<Int>()
                for entry in result.successful {
                    guard let index = Int(entry.id) else { continue }
                    outcome.published[index] = entry.messageId
                    answered.insert(index)
                }
                for entry in result.failed {
                    guard let index = Int(entry.id) else { continue }
                    outcome.failures.append(.init(index: index, mediaType: messages[index].mediaType, topicArn: topicArn,
                                                  code: entry.code, message: entry.message ?? "(no message)"))
                    answered.insert(index)
                }
                for index in call where !answered.contains(index) {
                    outcome.failures.append(.init(index: index, mediaType: messages[index].mediaType, topicArn: topicArn,
                                                  code: "NoResult", message: "PublishBatch reported neither success nor failure"))
                }
            } catch {
                for index in call {
                    outcome.failures.append(.init(index: index, mediaType: messages[index].mediaType, topicArn: topicArn, error: error))
                }
            }
        }
        try outcome.check()
    }

    /// The PublishBatch calls for `messages`, as indices: grouped by topic (in the order topics are
    /// first met), in order within a topic, each call at most 10 entries and 256 KiB.
    static func batchCalls(_ messages: [ProducedMessage]) -> [[Int]] {
        var topics: [String] = []
        var byTopic: [String: [Int]] = [:]
        for (index, message) in messages.enumerated() {
            if byTopic[message.topicArn] == nil { topics.append(message.topicArn) }
            byTopic[message.topicArn, default: []].append(index)
        }
        var calls: [[Int]] = []
        for topicArn in topics {
            var call: [Int] = []
            var size = 0
            for index in byTopic[topicArn]! {
                let entrySize = messages[index].size
                if call.count == RequestValidation.maximumBatchEntries || size + entrySize > RequestValidation.maximumSNSMessageBytes {
                    calls.append(call)
                    call = []
                    size = 0
                }
                call.append(index)
                size += entrySize
            }
            if !call.isEmpty { calls.append(call) }
        }
        return calls
    }

    // MARK: Batch message

    private func publishBatchMessages(_ messages: [ProducedMessage]) async throws {
        // Everything is made (topic chosen, encoded, size checked) before anything is sent.
        var plan: [(message: ProducedMessage, members: [Int])] = []
        for start in stride(from: 0, to: messages.count, by: deferredBatchSize) {
            plan += try batchMessages(for: Array(start..<min(start + deferredBatchSize, messages.count)), of: messages)
        }
        var outcome = Outcome(total: messages.count)
        for (message, members) in plan {
            do {
                let messageId = try await publish(message)
                for index in members { outcome.published[index] = messageId }
            } catch {
                for index in members {
                    var failure = DeferredPublishError.Failure(index: index, mediaType: messages[index].mediaType,
                                                               topicArn: messages[index].topicArn, error: error)
                    if members.count > 1 {
                        failure = .init(index: index, mediaType: failure.mediaType, topicArn: failure.topicArn, code: failure.code,
                                        message: "in batch message to \(message.topicArn): \(failure.message)",
                                        underlying: failure.underlying)
                    }
                    outcome.failures.append(failure)
                }
            }
        }
        try outcome.check()
    }

    /// The batch message for `members` (a single member is sent as itself); split in halves while
    /// it would be over SNS's size limit.
    private func batchMessages(for members: [Int], of messages: [ProducedMessage]) throws -> [(message: ProducedMessage, members: [Int])] {
        if members.count == 1 { return [(messages[members[0]], members)] }
        do {
            let batch = BatchMessage(messages: members.map { messages[$0].batchedMessage })
            return [(try makeMessage(batch, opaqueData: [:]), members)]
        } catch let error as SNSProducerError where error.code == .messageTooLarge {
            let half = members.count / 2
            return try batchMessages(for: Array(members[..<half]), of: messages)
                + batchMessages(for: Array(members[half...]), of: messages)
        }
    }

    // MARK: Outcome

    /// What happened to a scope's messages.
    private struct Outcome {
        let total: Int
        var published: [Int: String] = [:]
        var failures: [DeferredPublishError.Failure] = []

        /// Throws when a message was not published.
        func check() throws(DeferredPublishError) {
            guard failures.isEmpty else {
                var ids: [String] = []
                // The members of one batch message share its id: list it once.
                for index in published.keys.sorted() where ids.last != published[index] { ids.append(published[index]!) }
                throw DeferredPublishError(failures: failures.sorted { $0.index < $1.index }, publishedMessageIds: ids, total: total)
            }
        }
    }
}
