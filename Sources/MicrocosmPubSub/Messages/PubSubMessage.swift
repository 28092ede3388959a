/// A typed message: its own schema (a `Codable` struct) with the media type it travels as.
///
/// Fields are written in declaration order, optional fields only when set, property names in
/// snake_case (`shippedAt` -> `shipped_at`; ``JSONKeyStrategy/snakeCase`` gives the rule, and
/// `CodingKeys` with snake_case or other raw values without capitals override it);
/// ``PubSubMessageSchemaRegistry`` registers the type for its media type the first time one is
/// encoded, or up front with `register(_:)`.
///
/// ```swift
/// struct OrderShipped: PubSubMessage {
///     static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
///     var uri: String
///     var carrier: String
///     var shippedAt: Date                     // "shipped_at"
/// }
/// let text = try registry.encode(OrderShipped(uri: "http://orders/1", carrier: "ups", shippedAt: .now))
/// ```
public protocol PubSubMessage: Codable, Sendable {
    /// The media type messages of this type travel as.
    static var mediaType: MediaType { get }
}
