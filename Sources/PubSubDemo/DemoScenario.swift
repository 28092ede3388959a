import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// The messages `pubsub demo` sends and what its handlers do with each: a small order service
/// whose worker handles created, changed and deleted orders and not invoices.
///
/// | message | the handler | results |
/// |---|---|---|
/// | created.order 1-4, changed.order 1, deleted.order 1 | succeeds | SUCCEEDED |
/// | created.order 5, changed.order 3 | throws on its first two receives | FAILED, FAILED, SUCCEEDED |
/// | changed.order 2 | throws `Nack(1 s)` on its first receive | RETRIED, SUCCEEDED |
/// | changed.order 4 | returns false (already shipped) | SKIPPED |
/// | deleted.order 6 | throws `SkipMessage` (no such order) | SKIPPED |
/// | created.order 7, published with `x-request-ttl` 1 | not called | EXPIRED |
/// | created.invoice 1-2 | none registered | IGNORED |
/// | a body that is not JSON, sent straight to the queue | not called | FAILED until SQS moves it to the DLQ |
enum DemoScenario {
    /// What a handler does with a message.
    enum Behaviour: Sendable, Hashable {
        /// Returns true.
        case succeed
        /// Throws an error while the message's receive count is at most `times`, then returns true.
        case failFirst(times: Int, reason: String)
        /// Throws `Nack(visibilityTimeout: seconds)` on the first receive, then returns true.
        case nackFirst(seconds: Int, reason: String)
        /// Returns false (SKIPPED).
        case returnFalse
        /// Throws `SkipMessage(reason)` (SKIPPED).
        case skip(reason: String)
    }

    /// One message published through the producer.
    struct Message: Sendable {
        let mediaType: MediaType
        let fields: JSONObject
        /// The `x-request-ttl` it is published with; nil: none (the consumer's initial TTL).
        let ttl: Int?
        /// What its handler does (when it has one and the message reaches it).
        let behaviour: Behaviour

        /// How the demo names it: its `uri`, or `id <id>`.
        var key: String { Message.key(uri: fields["uri"]?.stringValue, id: fields["id"]?.stringValue) }

        static func key(uri: String?, id: String?) -> String { uri ?? id.map { "id \($0)" } ?? "?" }
    }

    static let order = "Order"
    static let invoice = "Invoice"
    /// The delay of the RETRIED message's `Nack`, and of the backoff after FAILED (seconds).
    static let retrySeconds = 1
    /// Receives of the failing messages that fail before one succeeds; below the DLQ's maxReceiveCount.
    static let failuresBeforeSuccess = 2

    static func orderURI(_ number: Int) -> String { "http://orders.example/orders/\(number)" }
    static func invoiceURI(_ number: Int) -> String { "http://invoices.example/invoices/\(number)" }

    /// The messages published to the topic, in order.
    static let messages: [Message] = {
        let created = MediaType.created(order), changed = MediaType.changed(order), deleted = MediaType.deleted(order)
        func uri(_ number: Int) -> JSONValue { .string(orderURI(number)) }
        func change(_ number: Int, _ status: String) -> JSONObject {
            ["uri": uri(number), "field_name": "status", "new_value": .string(status)]
        }
        var messages: [Message] = []
        for number in 1...4 { messages.append(Message(mediaType: created, fields: ["uri": uri(number)], ttl: nil, behaviour: .succeed)) }
        messages.append(Message(mediaType: created, fields: ["uri": uri(5)], ttl: nil,
                                behaviour: .failFirst(times: failuresBeforeSuccess, reason: "payment service unavailable")))
        messages.append(Message(mediaType: created, fields: ["uri": uri(7)], ttl: 1, behaviour: .succeed))
        messages.append(Message(mediaType: changed, fields: change(1, "paid"), ttl: nil, behaviour: .succeed))
        messages.append(Message(mediaType: changed, fields: change(2, "paid"), ttl: nil,
                                behaviour: .nackFirst(seconds: retrySeconds, reason: "order 2 is not committed yet")))
        messages.append(Message(mediaType: changed, fields: change(3, "shipped"), ttl: nil,
                                behaviour: .failFirst(times: failuresBeforeSuccess, reason: "carrier API timed out")))
        messages.append(Message(mediaType: changed, fields: change(4, "shipped"), ttl: nil, behaviour: .returnFalse))
        messages.append(Message(mediaType: deleted, fields: ["id": "1"], ttl: nil, behaviour: .succeed))
        messages.append(Message(mediaType: deleted, fields: ["id": "6"], ttl: nil, behaviour: .skip(reason: "there is no order 6")))
        for number in 1...2 {
            messages.append(Message(mediaType: .created(invoice), fields: ["uri": .string(invoiceURI(number))], ttl: nil, behaviour: .succeed))
        }
        return messages
    }()

    /// The body sent straight to the queue: not JSON, so every receive ends FAILED.
    static let poisonBody = "this is not JSON {\"order\": 8"

    /// The media types with a handler (the invoice has none: IGNORED).
    static let handledMediaTypes: [MediaType] = [.created(order), .changed(order), .deleted(order)]

    /// The rows of the results table, in order; nil stands for messages whose media type cannot be read.
    static let mediaTypes: [MediaType?] = [.created(order), .changed(order), .deleted(order), .created(invoice), nil]

    /// The handlers: each looks its message up and behaves as the scenario says, recording every
    /// call in `attempts`.
    static func handlers(recordingIn attempts: DemoAttempts) -> MessageHandlers {
        let behaviours = Dictionary(messages.map { (BehaviourKey(mediaType: $0.mediaType, key: $0.key), $0.behaviour) }) { first, _ in first }
        var handlers = MessageHandlers()
        for mediaType in handledMediaTypes {
            handlers.register(mediaType) { message in
                let key = Message.key(uri: message.uri, id: message.content?["id"]?.stringValue)
                let behaviour = behaviours[BehaviourKey(mediaType: mediaType, key: key)] ?? .succeed
                return try handle(message, key: key, behaviour: behaviour, attempts: attempts)
            }
        }
        return handlers
    }

    private struct BehaviourKey: Hashable {
        let mediaType: MediaType
        let key: String
    }

    /// An error a demo handler throws: FAILED, and tried again after the backoff.
    struct HandlerFailure: Error, CustomStringConvertible {
        let description: String
    }

    private static func handle(_ message: ConsumedMessage, key: String, behaviour: Behaviour, attempts: DemoAttempts) throws -> Bool {
        let receive = message.receiveCount
        func record(_ kind: MessageHandlingResult.Kind, _ reason: String? = nil) {
            attempts.record(DemoAttempts.Attempt(mediaType: message.mediaType, key: key, messageId: message.messageId,
                                                 receiveCount: receive, kind: kind, reason: reason))
        }
        switch behaviour {
        case .succeed:
            record(.succeeded)
            return true
        case .failFirst(let times, let reason) where receive <= times:
            record(.failed, reason)
            throw HandlerFailure(description: reason)
        case .nackFirst(let seconds, let reason) where receive <= 1:
            record(.retried, reason)
            throw Nack(visibilityTimeout: seconds, reason: reason)
        case .failFirst, .nackFirst:
            record(.succeeded)
            return true
        case .returnFalse:
            record(.skipped, "handler returned false")
            return false
        case .skip(let reason):
            record(.skipped, reason)
            throw SkipMessage(reason)
        }
    }
}
