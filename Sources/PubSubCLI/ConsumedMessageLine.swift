import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// The line `sqs-consume` prints for one message: five tab-separated columns.
///
/// ```
/// SQS_MESSAGE_ID  SNS_MESSAGE_ID  MEDIA_TYPE  RECEIVE_COUNT  CONTENT
/// ```
///
/// - `SNS_MESSAGE_ID` is the id `sns-produce` printed, when the body is SNS's notification
///   envelope; `-` otherwise (raw delivery, a message sent to the queue directly).
/// - `MEDIA_TYPE` is `-` when the body names none.
/// - `CONTENT` is the message as compact JSON (`mediaType`, `opaqueData`, the fields), or
///   `error: ` and why it could not be read. A message whose media type has no schema here is shown
///   as it came, unchecked.
struct ConsumedMessageLine: Sendable {
    /// The columns, in order.
    let columns: [String]

    /// The line for `message`.
    init(_ message: ConsumedMessage) {
        let envelope = ConsumedMessageLine.snsEnvelope(message.sqsMessage.body)
        let content: String
        if let decoded = message.content {
            content = decoded.description
        } else if let error = message.error, error.code == .unregistered, let unchecked = ConsumedMessageLine.message(in: message, envelope: envelope) {
            content = JSONSerializer.compact.string(unchecked)
        } else {
            let description = message.error.map(String.init(describing:)) ?? "message has no content"
            let prefix = "message \(message.messageId): "
            content = "error: " + (description.hasPrefix(prefix) ? String(description.dropFirst(prefix.count)) : description)
        }
        columns = [
            message.messageId,
            envelope?["MessageId"]?.stringValue ?? "-",
            message.mediaType?.rawValue ?? "-",
            String(message.receiveCount),
            content,
        ]
    }

    /// The columns joined by tabs.
    var text: String { columns.joined(separator: "\t") }

    /// The body as SNS's notification envelope, if it is one.
    private static func snsEnvelope(_ body: String) -> JSONObject? {
        guard case .object(let object)? = try? JSONParser.parse(body),
              object["Type"]?.stringValue == "Notification", object["Message"] != nil else { return nil }
        return object
    }

    /// The message object the body holds (in SNS's envelope or bare), unchecked.
    private static func message(in message: ConsumedMessage, envelope: JSONObject?) -> JSONValue? {
        let text = envelope?["Message"]?.stringValue ?? message.sqsMessage.body
        guard case .object(let object)? = try? JSONParser.parse(text) else { return nil }
        return .object(object)
    }
}
