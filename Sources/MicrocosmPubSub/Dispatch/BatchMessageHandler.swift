#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// Republishes the messages inside microcosm's batch message (`created.batch_message`), each to
/// its own topic with its own text and attributes, unchanged (microcosm-pubsub's
/// `PublishBatchMessage`), so Python `DeferredBatchProducer`s keep working against Swift daemons.
///
/// ``MessageHandlers`` registers it from the start; register another handler for
/// ``BatchMessage/mediaType`` to replace it. It publishes through the graph's `sns_producer`
/// (built when the dispatcher is), in order, and stops at the first failure, which makes the
/// result FAILED: the batch is received again and its messages republished (SNS delivery is at
/// least once anyway). A producer that skips publishing (`sns_producer.skip`) republishes nothing.
///
/// ```swift
/// var handlers = MessageHandlers()          // already handles created.batch_message
/// handlers.register(BatchMessage.self) { _ in throw IgnoreMessage("batches are another service's") }   // or not
/// ```
public struct BatchMessageHandler: MessageHandler {
    /// Where the inner messages are published.
    public let producer: SNSProducer
    private let logger: Logger

    /// A handler publishing through the graph's `sns_producer`.
    public init(graph: Graph) throws {
        self.init(producer: try graph.snsProducer, logger: graph.logger)
    }

    /// A handler publishing through `producer`.
    public init(producer: SNSProducer, logger: Logger) {
        self.producer = producer
        self.logger = logger
    }

    /// Publishes each inner message of the batch message; true when all were published.
    public func handle(_ message: ConsumedMessage) async throws -> Bool {
        let batch = try message.decode(BatchMessage.self)
        let messages = try batch.messages.enumerated().map { index, entry in
            ProducedMessage(mediaType: entry.mediaType, message: entry.message, topicArn: entry.topicArn, opaqueData: entry.opaqueData,
                            messageAttributes: try Self.attributes(entry.messageAttributes, field: "messages[\(index)].message_attributes"))
        }
        guard !producer.skip else {
            logger.debug("Skipped republishing \(messages.count) messages of a batch message",
                         metadata: ["pubsub.media_type": BatchMessage.mediaType.rawValue, "pubsub.batch_size": String(messages.count)])
            return true
        }
        for produced in messages {
            _ = try await producer.publish(produced)
        }
        return true
    }

    /// SNS message attributes from boto3's shape: `{"<name>": {"DataType": ..., "StringValue" or "BinaryValue": ...}}`
    /// (a binary value is base64 text, as JSON carries it).
    static func attributes(_ object: JSONObject, field: String) throws(PubSubMessageError) -> [String: MessageAttributeValue] {
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, value) in object {
            let path = "\(field).\(name)"
            guard let dataType = value["DataType"]?.stringValue else {
                throw Self.invalid(value["DataType"].map { .typeMismatch("\(path).DataType", expected: "string", seen: $0) }
                                   ?? .missing("\(path).DataType", expected: "string"))
            }
            var attribute = MessageAttributeValue(dataType: dataType)
            switch (value["StringValue"], value["BinaryValue"]) {
            case (.string(let text)?, nil):
                attribute.stringValue = text
            case (nil, .string(let base64)?):
                guard let bytes = Data(base64Encoded: base64) else {
                    throw Self.invalid(.invalidValue("\(path).BinaryValue", expected: "base64 text", seen: .string(base64)))
                }
                attribute.binaryValue = [UInt8](bytes)
            case (let string?, nil):
                throw Self.invalid(.typeMismatch("\(path).StringValue", expected: "string", seen: string))
            case (nil, let binary?):
                throw Self.invalid(.typeMismatch("\(path).BinaryValue", expected: "base64 string", seen: binary))
            case (nil, nil):
                throw Self.invalid(.missing("\(path).StringValue", expected: "string"))
            case (_?, _?):
                throw Self.invalid(.invalidValue(path, expected: "StringValue or BinaryValue, not both", seen: value))
            }
            attributes[name] = attribute
        }
        return attributes
    }

    private static func invalid(_ problem: JSONValueDecoderError) -> PubSubMessageError {
        .invalidContent(BatchMessage.mediaType, problem)
    }
}
