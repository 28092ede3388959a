#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// Publishes messages to SNS topics, as microcosm-pubsub's `SNSProducer` does (binding `sns_producer`).
///
/// Producing a message, before any I/O: the topic is chosen by media type (``SNSTopicArns``,
/// ``SNSProducerError/topicNotDefined(_:)`` when there is none); the opaque data is the given
/// opaque data, then the current task's `graph.opaque` values over it (keys lower-cased), then
/// `x-request-published` (now, as Python's `str(time())`); the content is checked against its
/// media type's schema and encoded exactly as Python encodes it; the size is checked against
/// SNS's limit. Then it is published with the `media_type` message attribute, and SNS's message
/// id is returned.
///
/// When ``skip`` is set (config `sns_producer.skip`, which defaults to the graph's `debug`),
/// producing does nothing and returns nil, as Python's returns `None`.
///
/// ```swift
/// let producer = try graph.snsProducer
/// try await producer.produce(.created("Thing"), uri: "http://things/1")
/// try await producer.produce(.changed("Thing"), ["field_name": "state", "new_value": "done"], uri: "http://things/1")
/// try await producer.produce(.deleted("Thing"), ["id": "1"], opaqueData: ["X-Request-Id": "req-1"])
/// try await producer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups", shippedAt: .now))
/// try await producer.deferred { deferred in
///     try deferred.produce(.created("Thing"), uri: "http://things/2")   // published if the scope succeeds
/// }
/// ```
public final class SNSProducer: Sendable {
    /// True when producing does nothing (config `sns_producer.skip`; unset: the graph's `debug`).
    public let skip: Bool
    /// The most messages in one batch message of ``deferredBatch(_:isolation:_:)``
    /// (config `sns_producer.deferred_batch_size`).
    public let deferredBatchSize: Int
    /// The topic of each media type.
    public let topicArns: SNSTopicArns
    /// The schemas content is checked against and encoded with.
    public let schemaRegistry: PubSubMessageSchemaRegistry
    /// Where messages to FIFO topics get their group and deduplication ids (config `sns_producer.fifo`).
    public let fifo: SNSFIFOSettings

    /// SNS; nil only for a skipping producer made by the graph, which never publishes.
    private let client: (any SNSAPI)?
    private let opaque: Opaque
    private let logger: Logger
    private let now: @Sendable () -> Double
    private let onPublish: (@Sendable (PublishOutcome) -> Void)?

    /// A producer publishing through `snsClient`.
    ///
    /// - Parameters:
    ///   - snsClient: SNS (the graph's `sns_client`: AWS, moto or the in-memory broker).
    ///   - topicArns: the topic of each media type.
    ///   - schemaRegistry: the schemas of the media types.
    ///   - opaque: the opaque values copied into every message (the graph's `opaque`).
    ///   - logger: where debug lines about each publish go (the graph's `logger`).
    ///   - skip: produce nothing.
    ///   - deferredBatchSize: the most messages in one batch message; must be positive.
    ///   - now: seconds since the epoch, for `x-request-published`.
    ///   - fifo: where messages to FIFO topics get their group and deduplication ids.
    ///   - onPublish: told after each message is published or fails to be, with its media type,
    ///     topic and the call's time (the graph's producer sends these to `pubsub_producer_metrics`).
    public convenience init(snsClient: any SNSAPI, topicArns: SNSTopicArns, schemaRegistry: PubSubMessageSchemaRegistry,
                            opaque: Opaque = Opaque(), logger: Logger, skip: Bool = false, deferredBatchSize: Int = 100,
                            now: @escaping @Sendable () -> Double = SNSProducer.systemTime, fifo: SNSFIFOSettings = SNSFIFOSettings(),
                            onPublish: (@Sendable (PublishOutcome) -> Void)? = nil) {
        self.init(client: snsClient, topicArns: topicArns, schemaRegistry: schemaRegistry, opaque: opaque, logger: logger,
                  skip: skip, deferredBatchSize: deferredBatchSize, now: now, fifo: fifo, onPublish: onPublish)
    }

    init(client: (any SNSAPI)?, topicArns: SNSTopicArns, schemaRegistry: PubSubMessageSchemaRegistry, opaque: Opaque,
         logger: Logger, skip: Bool, deferredBatchSize: Int, now: @escaping @Sendable () -> Double,
         fifo: SNSFIFOSettings = SNSFIFOSettings(), onPublish: (@Sendable (PublishOutcome) -> Void)? = nil) {
        precondition(deferredBatchSize > 0, "deferredBatchSize must be positive, got \(deferredBatchSize)")
        self.client = client
        self.topicArns = topicArns
        self.schemaRegistry = schemaRegistry
        self.opaque = opaque
        self.logger = logger
        self.skip = skip
        self.deferredBatchSize = deferredBatchSize
        self.now = now
        self.fifo = fifo
        self.onPublish = onPublish
    }

    /// Seconds since the epoch, from the system clock (what Python's `time()` reads).
    @Sendable public static func systemTime() -> Double { Date().timeIntervalSince1970 }

    // MARK: Producing

    /// Produces a message of `mediaType` with fields from ordinary Swift values; returns SNS's
    /// message id (nil when skipping).
    ///
    /// `content` holds the fields (Python's `dct` and keyword arguments alike), each value any
    /// `Encodable` (see ``MessageFields``); `uri`, when given, sets the `uri` field. Only the
    /// schema's fields are written. To a FIFO topic, `messageGroupId` and `deduplicationId`
    /// override what ``fifo`` finds (see ``SNSFIFOSettings``).
    ///
    /// ```swift
    /// try await producer.produce(.changed("Order"), ["field_name": "status", "new_value": status], uri: uri)
    /// ```
    @discardableResult
    public func produce(_ mediaType: MediaType, _ content: MessageFields = [:], uri: String? = nil, opaqueData: OpaqueValues = [:],
                        messageGroupId: String? = nil, deduplicationId: String? = nil) async throws -> String? {
        guard !skip else { return skipped(mediaType) }
        return try await publish(makeMessage(mediaType, try PubSubWire.object(content, mediaType: mediaType), uri: uri,
                                             opaqueData: opaqueData.jsonObject,
                                             fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces a message of `mediaType` with the fields of `content` (an `Encodable` struct,
    /// property names in snake_case); returns SNS's message id (nil when skipping).
    @discardableResult
    public func produce<C: Encodable>(_ mediaType: MediaType, _ content: C, uri: String? = nil, opaqueData: OpaqueValues = [:],
                                      messageGroupId: String? = nil, deduplicationId: String? = nil) async throws -> String? {
        guard !skip else { return skipped(mediaType) }
        return try await publish(makeMessage(mediaType, try Self.fields(content, mediaType: mediaType), uri: uri,
                                             opaqueData: opaqueData.jsonObject,
                                             fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces a message of `mediaType` with dynamic content as a ``JSONObject``; returns SNS's
    /// message id (nil when skipping).
    @discardableResult
    public func produce(_ mediaType: MediaType, _ content: JSONObject, uri: String? = nil, opaqueData: JSONObject = [:],
                        messageGroupId: String? = nil, deduplicationId: String? = nil) async throws -> String? {
        guard !skip else { return skipped(mediaType) }
        return try await publish(makeMessage(mediaType, content, uri: uri, opaqueData: opaqueData,
                                             fifoIds: (messageGroupId, deduplicationId)))
    }

    /// The fields of `content`, an `Encodable` that must encode to an object.
    static func fields<C: Encodable>(_ content: C, mediaType: MediaType) throws(PubSubMessageError) -> JSONObject {
        do {
            return try PubSubWire.encoder.encodeObject(content)
        } catch {
            throw .encodingFailed(mediaType, error)
        }
    }

    /// Produces a typed message as its media type; returns SNS's message id (nil when skipping).
    @discardableResult
    public func produce<M: PubSubMessage>(_ message: M, opaqueData: OpaqueValues = [:], messageGroupId: String? = nil,
                                          deduplicationId: String? = nil) async throws -> String? {
        guard !skip else { return skipped(M.mediaType) }
        return try await publish(makeMessage(message, opaqueData: opaqueData.jsonObject, fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces typed content as `mediaType` (``URIMessage`` as `.created("Thing")`, ...); returns
    /// SNS's message id (nil when skipping).
    @discardableResult
    public func produce<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: OpaqueValues = [:],
                                      messageGroupId: String? = nil, deduplicationId: String? = nil) async throws -> String? {
        guard !skip else { return skipped(mediaType) }
        return try await publish(makeMessage(value, as: mediaType, opaqueData: opaqueData.jsonObject, fifoIds: (messageGroupId, deduplicationId)))
    }

    private func skipped(_ mediaType: MediaType) -> String? {
        logger.debug("Skipped producing message with media type \(mediaType)", metadata: ["pubsub.media_type": mediaType.rawValue])
        return nil
    }

    // MARK: Making messages

    /// FIFO ids given to `produce` (group, deduplication), nil when not given.
    typealias FIFOIds = (group: String?, deduplication: String?)

    /// The message for dynamic content (Python's `create_message`).
    func makeMessage(_ mediaType: MediaType, _ content: JSONObject, uri: String?, opaqueData: JSONObject,
                     fifoIds: FIFOIds = (nil, nil)) throws -> ProducedMessage {
        var fields = content
        if let uri { fields[PubSubWire.uriKey] = .string(uri) }
        return try makeMessage(mediaType, opaqueData: opaqueData, fifoIds: fifoIds) { opaque throws(PubSubMessageError) in
            try schemaRegistry.encode(mediaType, fields: fields, opaqueData: opaque)
        }
    }

    /// The message for a typed message.
    func makeMessage<M: PubSubMessage>(_ message: M, opaqueData: JSONObject, fifoIds: FIFOIds = (nil, nil)) throws -> ProducedMessage {
        try makeMessage(M.mediaType, opaqueData: opaqueData, fifoIds: fifoIds) { opaque throws(PubSubMessageError) in
            try schemaRegistry.encode(message, opaqueData: opaque)
        }
    }

    /// The message for typed content sent as `mediaType`.
    func makeMessage<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: JSONObject,
                                   fifoIds: FIFOIds = (nil, nil)) throws -> ProducedMessage {
        try makeMessage(mediaType, opaqueData: opaqueData, fifoIds: fifoIds) { opaque throws(PubSubMessageError) in
            try schemaRegistry.encode(value, as: mediaType, opaqueData: opaque)
        }
    }

    /// Chooses the topic, merges the opaque data, encodes (validating), checks the size and, for a
    /// FIFO topic, finds and checks the message group and deduplication ids: all before any I/O.
    private func makeMessage(_ mediaType: MediaType, opaqueData given: JSONObject, fifoIds: FIFOIds,
                             encode: (JSONObject) throws(PubSubMessageError) -> String) throws -> ProducedMessage {
        let topicArn = try topicArns.requireTopicArn(for: mediaType)
        let opaqueData = mergedOpaqueData(given)
        var message = ProducedMessage(mediaType: mediaType, message: try encode(opaqueData), topicArn: topicArn,
                                      opaqueData: opaqueData)
        guard message.size <= RequestValidation.maximumSNSMessageBytes else {
            throw SNSProducerError.messageTooLarge(mediaType, size: message.size)
        }
        if let ids = try fifo.ids(for: mediaType, topicArn: topicArn, message: message.message, messageGroupId: fifoIds.group,
                                  deduplicationId: fifoIds.deduplication) {
            message.messageGroupId = ids.group
            message.messageDeduplicationId = ids.deduplication
        }
        return message
    }

    /// The given opaque data, then the current opaque values (in their order, with their JSON
    /// types), keys lower-cased, then `x-request-published`; a key seen again keeps its first place
    /// and takes the later value, as in the Python dict microcosm-pubsub builds.
    func mergedOpaqueData(_ given: JSONObject) -> JSONObject {
        var merged = JSONObject()
        for (key, value) in given { merged[key.lowercased()] = value }
        for (key, value) in opaque.values { merged[key] = value }
        merged[PubSubWire.publishedKey] = .string(JSONSerializer.pythonRepr(now()))
        return merged
    }

    // MARK: Publishing

    /// Publishes a message made by `makeMessage`; returns SNS's message id.
    func publish(_ message: ProducedMessage) async throws -> String {
        let client = try publishingClient(for: message)
        let request = PublishRequest(topicArn: message.topicArn, message: message.message, messageAttributes: message.messageAttributes,
                                     messageGroupId: message.messageGroupId, messageDeduplicationId: message.messageDeduplicationId)
        // The debug lines' metadata (with an elapsed time formatted per publish) is only made when they are logged.
        guard logger.isEnabled(.debug) else {
            let started = onPublish == nil ? nil : ContinuousClock.now
            do {
                let messageId = try await client.publish(request).messageId
                report(message, succeeded: true, since: started)
                return messageId
            } catch {
                report(message, succeeded: false, since: started)
                throw SNSProducerError.publishFailed(message.mediaType, topicArn: message.topicArn, error: error)
            }
        }
        var metadata = ["pubsub.media_type": message.mediaType.rawValue, "pubsub.topic_arn": message.topicArn]
        logger.debug("Publishing message with media type \(message.mediaType)", metadata: metadata)
        let started = ContinuousClock.now
        let result: PublishResult
        do {
            result = try await client.publish(request)
        } catch {
            report(message, succeeded: false, since: started)
            metadata["pubsub.elapsed_ms"] = SNSProducer.milliseconds(since: started)
            logger.debug("Could not publish message with media type \(message.mediaType): \(error)", metadata: metadata)
            throw SNSProducerError.publishFailed(message.mediaType, topicArn: message.topicArn, error: error)
        }
        report(message, succeeded: true, since: started)
        metadata["pubsub.message_id"] = result.messageId
        metadata["pubsub.elapsed_ms"] = SNSProducer.milliseconds(since: started)
        logger.debug("Published message with media type \(message.mediaType)", metadata: metadata)
        return result.messageId
    }

    /// Tells `onPublish` how publishing `message` went (nothing when there is no hook).
    private func report(_ message: ProducedMessage, succeeded: Bool, since started: ContinuousClock.Instant?) {
        guard let onPublish, let started else { return }
        onPublish(PublishOutcome(mediaType: message.mediaType, topicArn: message.topicArn, elapsed: ContinuousClock.now - started,
                                 succeeded: succeeded))
    }

    /// Publishes up to 10 messages to one topic with one PublishBatch call; entry ids are `ids`.
    func publishBatch(_ messages: [ProducedMessage], ids: [String], topicArn: String) async throws -> BatchResult<PublishBatchResultEntry> {
        let client = try publishingClient(for: messages[0])
        var metadata = ["pubsub.topic_arn": topicArn, "pubsub.batch_size": String(messages.count)]
        logger.debug("Publishing batch of \(messages.count) messages", metadata: metadata)
        let started = ContinuousClock.now
        let entries = zip(ids, messages).map { id, message in
            PublishBatchEntry(id: id, message: message.message, messageAttributes: message.messageAttributes,
                              messageGroupId: message.messageGroupId, messageDeduplicationId: message.messageDeduplicationId)
        }
        let result: BatchResult<PublishBatchResultEntry>
        do {
            result = try await client.publishBatch(topicArn: topicArn, entries: entries)
        } catch {
            for message in messages { report(message, succeeded: false, since: started) }
            throw error
        }
        if onPublish != nil {
            let accepted = Set(result.successful.map(\.id))
            for (id, message) in zip(ids, messages) { report(message, succeeded: accepted.contains(id), since: started) }
        }
        metadata["pubsub.elapsed_ms"] = SNSProducer.milliseconds(since: started)
        metadata["pubsub.failed_count"] = String(result.failed.count)
        logger.debug("Published batch of \(messages.count) messages", metadata: metadata)
        return result
    }

    private func publishingClient(for message: ProducedMessage) throws -> any SNSAPI {
        guard let client else {
            throw SNSProducerError.publishFailed(message.mediaType, topicArn: message.topicArn,
                                                 error: SkippingProducerHasNoClient())
        }
        return client
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return formatDecimal(Double(seconds) * 1000 + Double(attoseconds) / 1e15, places: 3)
    }
}

/// A producer the graph made with `skip` set has no SNS client; it never gets this far.
private struct SkippingProducerHasNoClient: Error, CustomStringConvertible {
    var description: String { "this producer skips publishing (sns_producer.skip) and has no SNS client" }
}
