import MicrocosmJSON
import MicrocosmPubSub

/// What the service would do with a message today: what its dispatcher decides before calling a
/// handler, from the message as its envelope read it, its schema registry and its handler lookup.
/// Nothing is called, nothing is published.
struct DeadLetterVerdict: Sendable, Hashable {
    /// The kinds of verdict, for counts.
    enum Kind: String, Sendable, CaseIterable {
        case handled = "would be handled"
        case notJSON = "not JSON"
        case unknownMediaType = "unknown media type"
        case schemaError = "schema error"
        case noHandler = "no handler"
        case expired = "expired"
        case unreadable = "unreadable"
    }

    let kind: Kind
    /// One line: `would be handled by OrderCreatedHandler`, `schema error: field 'amount' ...`.
    let text: String

    /// The verdict on `message` (read by the service's envelope) from `dispatcher`.
    init(_ message: ConsumedMessage, dispatcher: SQSMessageDispatcher) {
        guard let content = message.content else {
            (kind, text) = Self.failure(message)
            return
        }
        if let ttl = dispatcher.context.values(for: message)[PubSubWire.ttlKey].flatMap({ Int($0) }), ttl <= 0 {
            (kind, text) = (.expired, "expired: its x-request-ttl is used up, so it would be dropped")
            return
        }
        guard let handler = dispatcher.handlerName(for: content.mediaType) else {
            (kind, text) = (.noHandler, "no handler for '\(content.mediaType)'")
            return
        }
        (kind, text) = (.handled, "would be handled by \(handler)")
    }

    private static func failure(_ message: ConsumedMessage) -> (Kind, String) {
        guard let error = message.error else { return (.unreadable, "message has no content") }
        if let content = error.contentError {
            switch content.code {
            case .notJSON: return (.notJSON, "not JSON: \(content.underlying.map { "\($0)" } ?? content.description)")
            case .unregistered: return (.unknownMediaType, "unknown media type '\(content.mediaType?.rawValue ?? "")'")
            case .invalidContent: return (.schemaError, "schema error: \(reason(content))")
            default: break
            }
        }
        let prefix = "message \(message.messageId): "
        let text = error.description
        return (.unreadable, text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
    }

    /// Why content does not fit its schema, naming the field.
    private static func reason(_ error: PubSubMessageError) -> String {
        switch error.underlying {
        case let decoding as JSONValueDecoderError: return decoding.description
        case let decoding as DecodingError: return JSONValueDecoderError(decoding).description
        case let other?: return error.field.map { "field '\($0)': \(other)" } ?? "\(other)"
        case nil: return error.description
        }
    }
}
