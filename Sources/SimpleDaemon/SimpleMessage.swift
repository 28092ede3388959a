import MicrocosmPubSub

/// The example's message: some text and when it was sent (seconds since the epoch).
///
/// ```json
/// {"mediaType": "application/vnd.globality.pubsub._.created.simple_message", "message": "hello", "timestamp": 1767225600.5}
/// ```
public struct SimpleMessage: PubSubMessage, Hashable {
    /// `application/vnd.globality.pubsub._.created.simple_message`
    public static let mediaType = MediaType.created("SimpleMessage")

    /// The text.
    public var message: String
    /// When it was sent, in seconds since the epoch.
    public var timestamp: Double

    /// A message with `message`, sent at `timestamp`.
    public init(message: String, timestamp: Double) {
        self.message = message
        self.timestamp = timestamp
    }
}

/// The seed microcosm-pubsub README's `SimpleSchema`: the same fields as ``SimpleMessage`` under
/// the media type a Python example service publishes, so `simple-daemon` handles those too.
///
/// ```json
/// {"mediaType": "application/vnd.globality.pubsub.simple", "message": "hello", "timestamp": 1767225600.5}
/// ```
public struct SimpleSchemaMessage: PubSubMessage, Hashable {
    /// `application/vnd.globality.pubsub.simple`
    public static let mediaType: MediaType = "application/vnd.globality.pubsub.simple"

    /// The text.
    public var message: String
    /// When it was sent, in seconds since the epoch.
    public var timestamp: Double

    /// A message with `message`, sent at `timestamp`.
    public init(message: String, timestamp: Double) {
        self.message = message
        self.timestamp = timestamp
    }
}
