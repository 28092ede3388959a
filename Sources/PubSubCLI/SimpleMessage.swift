import MicrocosmPubSub

/// The message of the example daemon: some text and when it was sent. `sns-produce` sends it when
/// no `--media-type` is given; both commands know its schema.
///
/// ```json
/// {"mediaType": "application/vnd.globality.pubsub._.created.simple_message",
///  "opaqueData": {"x-request-published": "1700000000.25"}, "message": "hello", "timestamp": 1700000000.25}
/// ```
public struct SimpleMessage: PubSubMessage, Hashable {
    /// `application/vnd.globality.pubsub._.created.simple_message`.
    public static let mediaType = MediaType.created("SimpleMessage")

    /// The text.
    public var message: String
    /// When the message was made, in seconds since the epoch.
    public var timestamp: Double

    /// A message with `message`, made at `timestamp`.
    public init(message: String, timestamp: Double) {
        self.message = message
        self.timestamp = timestamp
    }
}
