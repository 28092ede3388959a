/// How the body of a received SQS message holds the pubsub message: microcosm-pubsub's
/// enveloping strategies, chosen by config `sqs_envelope.strategy_name` with the Python class
/// names, and bound as `sqs_envelope`.
///
/// - `CodecSQSEnvelope` (the default): the body is SNS's notification envelope whose `Message`
///   is the message text; like the original, a body without `Message` is taken as the message
///   itself (raw delivery). The message is decoded through the schema registry: its media type,
///   then its schema.
/// - `RawSQSEnvelope`: the body is plain JSON content; its media type is `application/json` and no
///   schema is applied.
/// - `NaiveSQSEnvelope`: the body (a line of standard input, usually) is a bare message object
///   with a `mediaType`; its fields are taken as they are, without a schema (for debugging).
/// - `LambdaSQSEnvelope`: the messages are the records of a Lambda SQS event (`messageId`,
///   `receiptHandle`, `body`, `md5OfBody`, ...); bodies are read as `CodecSQSEnvelope` reads them.
///
/// With `validateMD5` (config `sqs_envelope.validate_md5`) the body's MD5, and the message
/// attributes' MD5 when there are attributes, must match what SQS reported.
///
/// Whatever the strategy, a message that cannot be read is still delivered, without content and
/// with a ``ConsumedMessageError`` that says why. Lines of a replay file or standard input are
/// recognised by their shape: an object with `Body` is an SQS ReceiveMessage message, one with
/// `body` and `messageId` a Lambda record; any other line is a body (with generated
/// `message-id-<uuid>` and `receipt-handle-<uuid>`, as the naive strategy makes them).
///
/// ```swift
/// let envelope = try SQSEnvelope(strategyName: "CodecSQSEnvelope", validateMD5: true,
///                                schemaRegistry: try graph.pubsubMessageSchemaRegistry)
/// let consumer = SQSConsumer(source: .queue(url, client: try graph.sqsClient), envelope: envelope)
/// ```
public struct SQSEnvelope: Sendable, CustomStringConvertible {
    /// An enveloping strategy, named as the Python class is.
    public enum Strategy: String, Sendable, CaseIterable {
        /// `CodecSQSEnvelope`: SNS-wrapped (or raw-delivered) pubsub messages, decoded by schema.
        case codec = "CodecSQSEnvelope"
        /// `RawSQSEnvelope`: plain JSON content as `application/json`.
        case raw = "RawSQSEnvelope"
        /// `NaiveSQSEnvelope`: bare message objects with a `mediaType`, taken without a schema.
        case naive = "NaiveSQSEnvelope"
        /// `LambdaSQSEnvelope`: Lambda SQS event records, bodies read as by `CodecSQSEnvelope`.
        case lambda = "LambdaSQSEnvelope"
    }

    /// The accepted values of `sqs_envelope.strategy_name`.
    public static let strategyNames = Strategy.allCases.map(\.rawValue)

    /// The strategy.
    public let strategy: Strategy
    /// Whether MD5 digests are checked (config `sqs_envelope.validate_md5`).
    public let validateMD5: Bool
    /// The schemas messages are decoded with.
    public let schemaRegistry: PubSubMessageSchemaRegistry

    /// An envelope with `strategy`.
    public init(strategy: Strategy = .codec, validateMD5: Bool = false, schemaRegistry: PubSubMessageSchemaRegistry) {
        self.strategy = strategy
        self.validateMD5 = validateMD5
        self.schemaRegistry = schemaRegistry
    }

    /// An envelope with the strategy whose Python class name is `strategyName`.
    ///
    /// Throws ``SQSConsumerError/unknownEnvelope(_:accepted:)`` naming `sqs_envelope.strategy_name`
    /// and the accepted names.
    public init(strategyName: String, validateMD5: Bool = false, schemaRegistry: PubSubMessageSchemaRegistry) throws(SQSConsumerError) {
        guard let strategy = Strategy(rawValue: strategyName) else {
            throw .unknownEnvelope(strategyName, accepted: Self.strategyNames)
        }
        self.init(strategy: strategy, validateMD5: validateMD5, schemaRegistry: schemaRegistry)
    }

    public var description: String { strategy.rawValue + (validateMD5 ? " (MD5 checked)" : "") }
}
