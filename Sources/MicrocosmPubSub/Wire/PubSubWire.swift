import Microcosm
import MicrocosmJSON

/// Names on the wire shared with the Python microcosm-pubsub (its `constants.py`), so Swift and
/// Python services read and write the same keys.
public enum PubSubWire {
    /// The SNS/SQS message attribute that carries the media type.
    public static let mediaTypeAttribute = "media_type"
    /// Opaque key: when the message was published, seconds since the epoch as Python's `str(time())`.
    public static let publishedKey = "x-request-published"
    /// Opaque key: the remaining hop budget (the loop guard), a decimal string.
    public static let ttlKey = "x-request-ttl"
    /// Opaque key: the request id propagated across services.
    public static let requestIdKey = "x-request-id"
    /// Opaque key set while a message is handled: the message's URI.
    public static let uriKey = "uri"
    /// Opaque key set while a message is handled: the SQS message id.
    public static let messageIdKey = "message_id"
    /// Opaque key set while a message is handled: the receipt handle.
    public static let receiptHandleKey = "receipt_handle"
    /// The media type of a body that has none (raw JSON).
    public static let defaultMediaType = "application/json"
    /// The JSON field holding a message's media type.
    public static let mediaTypeField = "mediaType"
    /// The JSON field holding a message's opaque data.
    public static let opaqueDataField = "opaqueData"
    /// Opaque key set while a message is handled: the handler's name, as Python's
    /// `titleize(handler.__class__.__name__)` (`Ship Order Handler`; `Function` for a closure).
    public static let handlerKey = "handler"

    /// How message content is encoded: property names in snake_case (``JSONKeyStrategy/snakeCase``).
    public static let encoder = JSONValueEncoder(keyStrategy: .snakeCase)
    /// How message content is decoded: properties from their snake_case names.
    public static let decoder = JSONValueDecoder(keyStrategy: .snakeCase)
}
