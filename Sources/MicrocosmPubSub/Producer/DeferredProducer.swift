import Microcosm
import MicrocosmJSON
import Synchronization

/// Collects messages during a scope for ``SNSProducer`` to publish when the scope ends, and only
/// if it succeeds (microcosm-pubsub's `DeferredProducer` and `DeferredBatchProducer`).
///
/// Each message is made when it is produced: its opaque data (and `x-request-published`) is
/// captured then, its content validated and its topic chosen, so a bad message fails the scope
/// at the line that produced it. Obtained from ``SNSProducer/deferred(isolation:_:)`` or
/// ``SNSProducer/deferredBatch(_:isolation:_:)``.
///
/// ```swift
/// try await graph.snsProducer.deferred { producer in
///     let thing = try await store.create(...)
///     try producer.produce(.created("Thing"), uri: thing.uri)   // not sent yet
///     try await store.commit()                                   // throws: nothing is sent
/// }                                                              // returns: sent, in order
/// ```
public final class DeferredProducer: Sendable {
    /// The producer that makes and publishes the messages.
    public let producer: SNSProducer
    private let pending = Mutex<[ProducedMessage]>([])

    init(producer: SNSProducer) {
        self.producer = producer
    }

    /// The messages produced so far, in order.
    public var messages: [ProducedMessage] { pending.withLock { $0 } }

    /// Produces a message of `mediaType` with dynamic content, to publish when the scope ends
    /// (see ``SNSProducer/produce(_:_:uri:opaqueData:messageGroupId:deduplicationId:)``; the FIFO
    /// ids are found and checked now). Does nothing when the producer skips.
    public func produce(_ mediaType: MediaType, _ content: MessageFields = [:], uri: String? = nil, opaqueData: OpaqueValues = [:],
                        messageGroupId: String? = nil, deduplicationId: String? = nil) throws {
        guard !producer.skip else { return }
        append(try producer.makeMessage(mediaType, try PubSubWire.object(content, mediaType: mediaType), uri: uri,
                                        opaqueData: opaqueData.jsonObject,
                                        fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces a message of `mediaType` with the fields of `content` (an `Encodable` struct), to
    /// publish when the scope ends. Does nothing when the producer skips.
    public func produce<C: Encodable>(_ mediaType: MediaType, _ content: C, uri: String? = nil, opaqueData: OpaqueValues = [:],
                                      messageGroupId: String? = nil, deduplicationId: String? = nil) throws {
        guard !producer.skip else { return }
        append(try producer.makeMessage(mediaType, try SNSProducer.fields(content, mediaType: mediaType), uri: uri,
                                        opaqueData: opaqueData.jsonObject,
                                        fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces a message of `mediaType` with dynamic content as a ``JSONObject``, to publish when
    /// the scope ends. Does nothing when the producer skips.
    public func produce(_ mediaType: MediaType, _ content: JSONObject, uri: String? = nil, opaqueData: JSONObject = [:],
                        messageGroupId: String? = nil, deduplicationId: String? = nil) throws {
        guard !producer.skip else { return }
        append(try producer.makeMessage(mediaType, content, uri: uri, opaqueData: opaqueData, fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces a typed message, to publish when the scope ends. Does nothing when the producer skips.
    public func produce<M: PubSubMessage>(_ message: M, opaqueData: OpaqueValues = [:], messageGroupId: String? = nil,
                                          deduplicationId: String? = nil) throws {
        guard !producer.skip else { return }
        append(try producer.makeMessage(message, opaqueData: opaqueData.jsonObject, fifoIds: (messageGroupId, deduplicationId)))
    }

    /// Produces typed content as `mediaType`, to publish when the scope ends. Does nothing when the producer skips.
    public func produce<T: Encodable>(_ value: T, as mediaType: MediaType, opaqueData: OpaqueValues = [:],
                                      messageGroupId: String? = nil, deduplicationId: String? = nil) throws {
        guard !producer.skip else { return }
        append(try producer.makeMessage(value, as: mediaType, opaqueData: opaqueData.jsonObject, fifoIds: (messageGroupId, deduplicationId)))
    }

    private func append(_ message: ProducedMessage) {
        pending.withLock { $0.append(message) }
    }

    /// Takes the messages produced so far, leaving none.
    func take() -> [ProducedMessage] {
        pending.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }
}
