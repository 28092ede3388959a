import Microcosm

/// The opaque values a message is handled with (microcosm-pubsub's `SQSMessageContext`), bound as
/// `sqs_message_context` (config `enable_ttl`, default true; `initial_ttl`, default 32).
///
/// The values are the message's opaque data, then `message_id`, the decremented `x-request-ttl`
/// (the message's, or ``initialTTL`` when it has none, minus one; only when ``enableTTL``), `uri`
/// and `receipt_handle` when the message has them. The dispatcher runs the handler with these as
/// `graph.opaque`, so every message the handler produces carries them on, and a message whose
/// TTL has reached 0 is EXPIRED instead of handled: the guard against messages looping forever
/// between services.
///
/// ```swift
/// let context = try graph.sqsMessageContext
/// context.values(for: message)["x-request-ttl"]   // "31" for a message without one
/// ```
public struct SQSMessageContext: Sendable {
    /// Whether the hop budget is counted down (config `sqs_message_context.enable_ttl`).
    public var enableTTL: Bool
    /// The hop budget of a message that carries none (config `sqs_message_context.initial_ttl`).
    public var initialTTL: Int

    /// A context; the defaults are microcosm-pubsub's.
    public init(enableTTL: Bool = true, initialTTL: Int = 32) {
        self.enableTTL = enableTTL
        self.initialTTL = initialTTL
    }

    /// The opaque values `message` is handled with.
    public func values(for message: ConsumedMessage) -> OpaqueValues {
        make(for: message).values
    }

    /// The values and the TTL among them: the decremented one, or when counting is off, the
    /// message's own (which still expires the message at 0, as in microcosm-pubsub); nil when absent.
    func make(for message: ConsumedMessage) -> (values: OpaqueValues, ttl: Int?) {
        var values = message.opaqueData
        values[PubSubWire.messageIdKey] = message.messageId
        var ttl = message.ttl
        if enableTTL {
            let remaining = (ttl ?? initialTTL) - 1
            values[PubSubWire.ttlKey] = String(remaining)
            ttl = remaining
        }
        if let uri = message.uri, !uri.isEmpty { values[PubSubWire.uriKey] = uri }
        let receiptHandle = message.receiptHandle
        if !receiptHandle.isEmpty { values[PubSubWire.receiptHandleKey] = receiptHandle }
        return (values, ttl)
    }
}
