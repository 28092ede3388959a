import Microcosm
import MicrocosmAWS

/// One message from ``SQSConsumer/consume()``: its content (or why there is none), its ids, and
/// the way to acknowledge it (microcosm-pubsub's `SQSMessage`).
///
/// A message whose body could not be read has no ``content`` and an ``error`` naming the media
/// type and the field; it can still be nacked, so SQS redelivers it and, in the end, moves it to
/// the dead-letter queue.
///
/// ```swift
/// for message in try await graph.sqsConsumer.consume() {
///     guard let content = message.content else {
///         logger.warning("unreadable: \(message.error!)")
///         try await message.nack()                       // backoff policy decides the delay
///         continue
///     }
///     if content.mediaType == .created("Order") {
///         let created = try message.decode(URIMessage.self)
///         try await handle(created, requestId: message.opaqueData["x-request-id"])
///     }
///     try await message.ack()
/// }
///
/// // or: ack on success, nack (with backoff) on a thrown error, which is rethrown
/// let order = try await message.process { content in try await orders.store(content.decode(URIMessage.self)) }
/// ```
public final class ConsumedMessage: Sendable, CustomStringConvertible {
    /// The consumer that received the message; acknowledgements go through it.
    public let consumer: SQSConsumer
    /// The message as SQS delivered it (for a line or a Lambda record: as if SQS had).
    public let sqsMessage: SQSMessage
    /// The content, checked against its media type's schema; nil when it could not be read.
    public let content: PubSubMessageContent?
    /// Why there is no content; nil when there is.
    public let error: ConsumedMessageError?
    /// The SNS topic the message was published to, when it came wrapped in SNS's envelope.
    public let topicArn: String?

    init(consumer: SQSConsumer, sqsMessage: SQSMessage, content: PubSubMessageContent?, error: ConsumedMessageError?,
         topicArn: String?) {
        self.consumer = consumer
        self.sqsMessage = sqsMessage
        self.content = content
        self.error = error
        self.topicArn = topicArn
    }

    /// The SQS message id (generated as `message-id-<uuid>` for bare lines).
    public var messageId: String { sqsMessage.messageId }

    /// The receipt handle to acknowledge with (valid for this receive only).
    public var receiptHandle: String { sqsMessage.receiptHandle }

    /// How many times SQS has delivered the message, this time included (`ApproximateReceiveCount`; 1 when unknown).
    public var receiveCount: Int { sqsMessage.receiveCount ?? 1 }

    /// The FIFO message group, for FIFO queues.
    public var messageGroupId: String? { sqsMessage.messageGroupId }

    /// The media type: the content's, or the one the unreadable message names; nil when it names none.
    public var mediaType: MediaType? { content?.mediaType ?? error?.mediaType }

    /// The message's opaque data (`opaqueData`), keys lower-cased; empty without content.
    public var opaqueData: OpaqueValues { content?.opaqueValues ?? OpaqueValues() }

    /// The content's `uri` field, when it has one.
    public var uri: String? { content?.uri }

    /// The remaining hop budget, from opaque `x-request-ttl` (any case); nil when absent or not a whole number.
    public var ttl: Int? {
        guard let opaque = content?.opaqueData else { return nil }
        switch opaque[PubSubWire.ttlKey] ?? opaque.first(where: { $0.key.lowercased() == PubSubWire.ttlKey })?.value {
        case .string(let text)?: return Int(text)
        case .int(let number)?: return number
        default: return nil
        }
    }

    /// The content decoded as `type`.
    ///
    /// Throws this message's ``error`` when it has no content, or a ``ConsumedMessageError``
    /// naming the media type and field when the content does not fit `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(ConsumedMessageError) -> T {
        guard let content else { throw error ?? .envelope("message has no content", field: nil, messageId: messageId) }
        do {
            return try content.decode(type)
        } catch {
            throw .content(error, messageId: messageId)
        }
    }

    // MARK: Acknowledging

    /// Deletes the message from its queue: it was handled (a no-op for stdin, files and Lambda events).
    public func ack() async throws {
        try await consumer.ack(self)
    }

    /// Sets how long the message stays invisible before SQS delivers it again, through the
    /// consumer's backoff policy: `visibilityTimeout` when given (0: right away), else the policy's
    /// choice (a no-op for stdin, files and Lambda events).
    public func nack(visibilityTimeout: Int? = nil) async throws {
        try await consumer.nack(self, visibilityTimeout: visibilityTimeout)
    }

    /// Runs `handler` on the content, then acks the message and returns what `handler` returned.
    ///
    /// When `handler` throws, the message is nacked through the backoff policy and the handler's
    /// error is rethrown. When the message has no content, `handler` is not run: the message is
    /// nacked and its ``error`` thrown. A failing ack throws its error (the message will be
    /// delivered again); a failing nack after a failure is logged and the original error thrown.
    @discardableResult
    public func process<R>(isolation: isolated (any Actor)? = #isolation,
                           _ handler: (PubSubMessageContent) async throws -> R) async throws -> R {
        guard let content else {
            await nackAfterFailure()
            throw error ?? .envelope("message has no content", field: nil, messageId: messageId)
        }
        let result: R
        do {
            result = try await handler(content)
        } catch {
            await nackAfterFailure()
            throw error
        }
        try await ack()
        return result
    }

    private func nackAfterFailure() async {
        do {
            try await nack()
        } catch {
            consumer.logger?.warning("could not nack message \(messageId) after a failure: \(error)",
                                     metadata: ["pubsub.message_id": messageId])
        }
    }

    public var description: String {
        var text = "message \(messageId)"
        if let mediaType { text += " (\(mediaType))" }
        text += " received \(receiveCount)x"
        if let error { text += ": \(error)" }
        return text
    }
}
