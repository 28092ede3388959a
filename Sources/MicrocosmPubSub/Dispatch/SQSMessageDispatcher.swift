import Microcosm

/// Hands each consumed message to its handler and says how that ended (microcosm-pubsub's
/// `SQSMessageDispatcher`), bound as `sqs_message_dispatcher` (config
/// `message_max_processing_attempts`, default null: no limit).
///
/// ``dispatch(_:)`` never throws and never acknowledges: the caller deletes or hands back the
/// message as the ``MessageHandlingResult`` says (a daemon does so in batches). In order, as in
/// microcosm-pubsub:
///
/// 1. TTL: the context's `x-request-ttl` (see ``SQSMessageContext``) at 0 or below: EXPIRED.
/// 2. Attempts: received more than `message_max_processing_attempts` times: SKIPPED.
/// 3. Content: a body that could not be read: FAILED; but a media type with no schema: IGNORED.
/// 4. Handler: none for the media type (exact, then its `.*` pattern): IGNORED.
/// 5. The handler: true: SUCCEEDED; false or ``SkipMessage``: SKIPPED; ``IgnoreMessage``: IGNORED;
///    ``Nack``: RETRIED after its delay (held to SQS's 0...43200 seconds); any other error: FAILED.
///
/// While all of this runs, `graph.opaque` holds the message's context (its opaque data,
/// `message_id`, `uri`, the decremented `x-request-ttl`, `receipt_handle`), so messages the handler
/// produces carry them on. Each result is logged once, at its kind's level (``MessageHandlingResult/Kind/logLevel``),
/// with `pubsub.media_type`, `pubsub.result`, `pubsub.elapsed_ms`, `pubsub.message_id`, the
/// context, `pubsub.reason` or `pubsub.error`, and the handler's extra metadata (never the body),
/// and reported to ``PubSubMetrics/recordMessage(_:)``.
///
/// ```swift
/// var handlers = MessageHandlers()
/// handlers.register(.created("Thing")) { message in try await things.refresh(message.decode(URIMessage.self).uri) }
/// graph.assign(.sqsMessageHandlers, handlers)
/// let dispatcher = try graph.sqsMessageDispatcher
/// for message in try await graph.sqsConsumer.consume() {
///     let result = await dispatcher.dispatch(message)
///     if result.deletesMessage { try await message.ack() }
///     else { try await message.nack(visibilityTimeout: result.retryVisibilityTimeout) }
/// }
/// ```
public final class SQSMessageDispatcher: Sendable {
    /// How each message's opaque context and TTL are made.
    public let context: SQSMessageContext
    /// Receives beyond this are SKIPPED; nil: no limit.
    public let maxProcessingAttempts: Int?
    /// The handler of each media type or pattern, by name (a type, or where a closure was registered).
    public let handlerNames: [MediaType: String]

    private let table: MessageHandlerTable
    private let graph: Graph
    private let opaque: Opaque
    private let logger: Logger
    private let metrics: any PubSubMetrics
    private let now: @Sendable () -> Double

    /// A dispatcher to `handlers`, checked and built for `graph`.
    ///
    /// Registers the handlers' media types and schemas with the graph's schema registry and builds
    /// each handler type once. Throws ``MessageHandlersError`` when a media type has two handlers or
    /// a handler type cannot be built, and ``PubSubMessageError`` when a typed message's media type
    /// already has another schema.
    ///
    /// - Parameters:
    ///   - graph: where handler types, the schema registry, `opaque` and `logger` come from.
    ///   - handlers: the handlers.
    ///   - context: how the opaque context and TTL are made.
    ///   - maxProcessingAttempts: receives beyond this are SKIPPED; nil or 0: no limit (as microcosm-pubsub).
    ///   - metrics: where each result is reported.
    ///   - now: seconds since the epoch, for the publish-to-handle delay.
    public init(graph: Graph, handlers: MessageHandlers, context: SQSMessageContext = SQSMessageContext(),
                maxProcessingAttempts: Int? = nil, metrics: any PubSubMetrics = NoPubSubMetrics(),
                now: @escaping @Sendable () -> Double = SNSProducer.systemTime) throws {
        let table = try MessageHandlerTable(handlers, graph: graph)
        self.table = table
        self.handlerNames = table.names
        self.context = context
        self.maxProcessingAttempts = maxProcessingAttempts.flatMap { $0 > 0 ? $0 : nil }
        self.graph = graph
        self.opaque = graph.opaque
        self.logger = graph.logger
        self.metrics = metrics
        self.now = now
    }

    /// The name of the handler a message of `mediaType` goes to (its own, else its `.*` pattern's);
    /// nil when there is none (the message would be IGNORED). Calls nothing.
    public func handlerName(for mediaType: MediaType) -> String? { table.entry(for: mediaType)?.name }

    /// Handles `message` and returns how that ended; never throws, never acknowledges.
    public func dispatch(_ message: ConsumedMessage) async -> MessageHandlingResult {
        let started = ContinuousClock.now
        let (values, ttl) = context.make(for: message)
        let publishToHandleDelay = values[PubSubWire.publishedKey].flatMap(Double.init).map { now() - $0 }
        return await opaque.withValues(values) {
            var handlerName: String?
            var result = await outcome(of: message, ttl: ttl, handlerName: &handlerName)
            result.elapsed = ContinuousClock.now - started
            result.publishToHandleDelay = publishToHandleDelay
            log(result, of: message, context: values, handlerName: handlerName)
            metrics.recordMessage(result)
            return result
        }
    }

    // MARK: Deciding

    private func outcome(of message: ConsumedMessage, ttl: Int?, handlerName: inout String?) async -> MessageHandlingResult {
        let mediaType = message.mediaType
        if let ttl, ttl <= 0 {
            return MessageHandlingResult(kind: .expired, mediaType: mediaType)
        }
        if let maxProcessingAttempts, message.receiveCount > maxProcessingAttempts {
            let skip = SkipMessage("Message exceeded maximum of \(maxProcessingAttempts) processing attempts. Skipping",
                                   extra: ["max": String(maxProcessingAttempts)])
            return Self.result(of: skip, mediaType: mediaType)
        }
        guard let content = message.content else {
            let error = message.error ?? .envelope("message has no content", field: nil, messageId: message.messageId)
            if error.code == .unregistered {
                return Self.result(of: IgnoreMessage("Could not parse message for: \(mediaType?.rawValue ?? "unknown")"),
                                   mediaType: mediaType)
            }
            return MessageHandlingResult(kind: .failed, mediaType: mediaType, error: error)
        }
        guard let entry = table.entry(for: content.mediaType) else {
            return Self.result(of: IgnoreMessage("No handler was registered for: \(content.mediaType)"), mediaType: mediaType)
        }
        // As microcosm-pubsub: the handler's name joins the opaque values, so what it produces carries it.
        handlerName = entry.opaqueName
        do {
            let succeeded = try await opaque.withValues([PubSubWire.handlerKey: entry.opaqueName]) {
                try await entry.invoke(message, HandlerContext(graph: graph, message: message, mediaType: content.mediaType,
                                                               opaque: opaque.values))
            }
            return MessageHandlingResult(kind: succeeded ? .succeeded : .skipped, mediaType: mediaType)
        } catch {
            return Self.result(of: error, mediaType: mediaType)
        }
    }

    /// The result a handler's error stands for.
    private static func result(of error: any Error, mediaType: MediaType?) -> MessageHandlingResult {
        switch error {
        case let skip as SkipMessage:
            return MessageHandlingResult(kind: .skipped, mediaType: mediaType, error: skip, extra: skip.extra)
        case let ignore as IgnoreMessage:
            return MessageHandlingResult(kind: .ignored, mediaType: mediaType, error: ignore, extra: ignore.extra)
        case let nack as Nack:
            // SQS accepts 0...43200 seconds; asking for more keeps the message away as long as it can.
            let timeout = min(max(nack.visibilityTimeout, 0), BackoffPolicy.maximumTimeout)
            return MessageHandlingResult(kind: .retried, mediaType: mediaType, retryVisibilityTimeout: timeout,
                                         error: nack, extra: nack.extra)
        default:
            return MessageHandlingResult(kind: .failed, mediaType: mediaType, error: error)
        }
    }

    // MARK: Logging

    /// The result's one log line: `Result for media type: <type> was : <KIND>`.
    private func log(_ result: MessageHandlingResult, of message: ConsumedMessage, context: OpaqueValues, handlerName: String?) {
        let level = result.kind.logLevel
        guard logger.isEnabled(level) else { return }
        logger.log(level, result.description, fields: Self.logFields(result, messageId: message.messageId, context: context,
                                                                      handlerName: handlerName))
    }

    /// The result line's metadata, in the order later keys win: the context (the message's opaque
    /// values and its handler), the result's extra metadata, then the dispatcher's own keys.
    package static func logFields(_ result: MessageHandlingResult, messageId: String, context: OpaqueValues, handlerName: String?) -> LogFields {
        var fields = LogFields(capacity: context.count + result.extra.count + 8)
        for (key, value) in context { fields.append(key, OpaqueValues.text(value)) }
        if let handlerName { fields.append(PubSubWire.handlerKey, handlerName) }
        for (key, value) in result.extra { fields.append(key, value) }
        if let mediaType = result.mediaType { fields.append("pubsub.media_type", mediaType.rawValue) }
        fields.append("pubsub.result", result.kind.rawValue)
        fields.append("pubsub.elapsed_ms", Self.milliseconds(result.elapsed))
        fields.append("pubsub.message_id", messageId)
        switch result.error {
        case let skip as SkipMessage:
            fields.append("pubsub.reason", skip.reason)
        case let ignore as IgnoreMessage:
            fields.append("pubsub.reason", ignore.reason)
        case let nack as Nack:
            if let reason = nack.reason { fields.append("pubsub.reason", reason) } else { fields.remove("pubsub.reason") }
            fields.append("pubsub.visibility_timeout", String(nack.visibilityTimeout))
        case let error?:
            fields.append("pubsub.error", String(describing: error))
        case nil:
            break
        }
        return fields
    }

    /// `duration` in milliseconds with three decimals (`12.345`), without Foundation's formatting.
    package static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 0)
        let fraction = microseconds % 1000
        return "\(microseconds / 1000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + String(fraction)
    }
}
