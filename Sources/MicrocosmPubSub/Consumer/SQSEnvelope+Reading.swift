#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

extension SQSEnvelope {
    /// A body as read: the content or why there is none, and the SNS topic when wrapped.
    struct ReadBody {
        var content: PubSubMessageContent?
        var error: ConsumedMessageError?
        var topicArn: String?
    }

    /// The consumed message for `input`; never fails: an unreadable input gives a message with an error.
    func read(_ input: EnvelopeInput, queueURL: String?, consumer: SQSConsumer) -> ConsumedMessage {
        let message: SQSMessage
        var parsedBody: JSONValue?
        var checksumAction: String?
        switch input {
        case .message(let received):
            message = received
            checksumAction = "ReceiveMessage"
        case .record(let record):
            switch Self.lambdaMessage(record) {
            case .success(let received): message = received
            case .failure(let failure):
                return ConsumedMessage(consumer: consumer, sqsMessage: failure.message, content: nil, error: failure.error, topicArn: nil)
            }
            checksumAction = "Lambda event"
        case .line(let text):
            let line = Self.lineMessage(text)
            switch line {
            case .received(let received, let action):
                message = received
                checksumAction = action
            case .body(let received, let parsed):
                message = received
                parsedBody = parsed
            case .failed(let failure):
                return ConsumedMessage(consumer: consumer, sqsMessage: failure.message, content: nil, error: failure.error, topicArn: nil)
            }
        }
        if validateMD5, let checksumAction, let mismatch = Self.checksumMismatch(message, action: checksumAction, queueURL: queueURL) {
            return ConsumedMessage(consumer: consumer, sqsMessage: message, content: nil,
                                   error: .checksum(mismatch, messageId: message.messageId), topicArn: nil)
        }
        let body = readBody(message.body, parsed: parsedBody, messageId: message.messageId)
        return ConsumedMessage(consumer: consumer, sqsMessage: message, content: body.content, error: body.error, topicArn: body.topicArn)
    }

    // MARK: Bodies

    /// Reads a body as the strategy says.
    func readBody(_ body: String, parsed: JSONValue?, messageId: String) -> ReadBody {
        let value: JSONValue
        if let parsed {
            value = parsed
        } else {
            do {
                value = try JSONParser.parse(body)
            } catch {
                return ReadBody(error: .content(.notJSON(error), messageId: messageId))
            }
        }
        switch strategy {
        case .codec, .lambda: return readCodec(value, messageId: messageId)
        case .raw: return readRaw(value, messageId: messageId)
        case .naive: return readNaive(value, messageId: messageId)
        }
    }

    /// SNS's envelope with the message text in `Message`, or (without `Message`) the message itself.
    private func readCodec(_ value: JSONValue, messageId: String) -> ReadBody {
        var topicArn: String?
        let decoded: Result<PubSubMessageContent, PubSubMessageError>
        if case .object(let envelope) = value, let message = envelope["Message"] {
            topicArn = envelope["TopicArn"]?.stringValue
            switch message {
            case .string(let text): decoded = Result { () throws(PubSubMessageError) in try schemaRegistry.decode(text) }
            case .object: decoded = Result { () throws(PubSubMessageError) in try schemaRegistry.decode(message) }
            default:
                return ReadBody(error: .envelope("SNS envelope field 'Message' is \(message.typeName) \(message.briefDescription), "
                                                     + "expected a string holding the message", field: "Message", messageId: messageId),
                                topicArn: topicArn)
            }
        } else {
            decoded = Result { () throws(PubSubMessageError) in try schemaRegistry.decode(value) }
        }
        switch decoded {
        case .success(let content): return ReadBody(content: content, topicArn: topicArn)
        case .failure(let error): return ReadBody(error: .content(error, messageId: messageId), topicArn: topicArn)
        }
    }

    /// Plain JSON content, as `application/json`, without a schema.
    private func readRaw(_ value: JSONValue, messageId: String) -> ReadBody {
        guard case .object(let object) = value else { return ReadBody(error: .content(.notAnObject(value), messageId: messageId)) }
        return ReadBody(content: PubSubMessageContent(mediaType: .json, fields: object,
                                                      opaqueData: object[PubSubWire.opaqueDataField]?.objectValue))
    }

    /// A bare message object with a `mediaType`, its fields taken without a schema.
    private func readNaive(_ value: JSONValue, messageId: String) -> ReadBody {
        guard case .object(let object) = value else { return ReadBody(error: .content(.notAnObject(value), messageId: messageId)) }
        guard case .string(let mediaType)? = object[PubSubWire.mediaTypeField] else {
            return ReadBody(error: .content(.missingMediaType(seen: object[PubSubWire.mediaTypeField]), messageId: messageId))
        }
        return ReadBody(content: PubSubMessageContent(mediaType: MediaType(mediaType), fields: object,
                                                      opaqueData: object[PubSubWire.opaqueDataField]?.objectValue))
    }

    // MARK: Checksums

    /// The MD5 mismatch of `message`, if any; a message without `MD5OfBody` fails too (SQS always sends one).
    static func checksumMismatch(_ message: SQSMessage, action: String, queueURL: String?) -> SQSChecksumError? {
        guard message.md5OfBody != nil else {
            return SQSChecksumError(action: action, queueURL: queueURL, messageId: message.messageId, field: "MD5OfBody",
                                    expected: SQSMessageDigest.md5OfBody(message.body), reported: nil)
        }
        do {
            try message.verifyChecksums(queueURL: queueURL)
            return nil
        } catch {
            return SQSChecksumError(action: action, queueURL: queueURL, messageId: error.messageId, field: error.field,
                                    expected: error.expected, reported: error.reported)
        }
    }

    // MARK: Lines and records

    /// A message that could not even be taken apart, with generated ids where it had none.
    struct Unreadable: Error {
        var message: SQSMessage
        var error: ConsumedMessageError
    }

    /// What a line is.
    enum Line {
        /// An SQS message (API shape) or a Lambda record: its digest can be checked.
        case received(SQSMessage, checksumAction: String)
        /// A body of its own, already parsed when it is JSON.
        case body(SQSMessage, parsed: JSONValue?)
        /// A record-shaped line that is broken.
        case failed(Unreadable)
    }

    static func generatedMessageId() -> String { "message-id-" + UUID().uuidString.lowercased() }
    static func generatedReceiptHandle() -> String { "receipt-handle-" + UUID().uuidString.lowercased() }

    /// Recognises a line by its shape: an SQS ReceiveMessage message (`Body`), a Lambda record
    /// (`body` with `messageId`), or else a body.
    static func lineMessage(_ text: String) -> Line {
        let bare = { (parsed: JSONValue?) -> Line in
            .body(SQSMessage(messageId: generatedMessageId(), receiptHandle: generatedReceiptHandle(), body: text), parsed: parsed)
        }
        guard let parsed = try? JSONParser.parse(text), case .object(let object) = parsed else {
            return bare(nil)
        }
        if case .string(let body)? = object["Body"] {
            return .received(apiMessage(object, body: body), checksumAction: "replay")
        }
        if object["body"] != nil, object["messageId"] != nil || object["receiptHandle"] != nil {
            switch lambdaMessage(parsed) {
            case .success(let message): return .received(message, checksumAction: "Lambda event")
            case .failure(let failure): return .failed(failure)
            }
        }
        return bare(parsed)
    }

    /// An SQS message written as the ReceiveMessage API writes it (`MessageId`, `ReceiptHandle`,
    /// `Body`, `MD5OfBody`, `Attributes`, `MessageAttributes`, `MD5OfMessageAttributes`).
    private static func apiMessage(_ object: JSONObject, body: String) -> SQSMessage {
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, value) in object["MessageAttributes"]?.objectValue ?? [:] {
            attributes[name] = attribute(value, dataType: "DataType", string: "StringValue", binary: "BinaryValue")
        }
        return SQSMessage(messageId: object["MessageId"]?.stringValue ?? generatedMessageId(),
                          receiptHandle: object["ReceiptHandle"]?.stringValue ?? generatedReceiptHandle(),
                          body: body, md5OfBody: object["MD5OfBody"]?.stringValue,
                          attributes: stringMap(object["Attributes"]), messageAttributes: attributes,
                          md5OfMessageAttributes: object["MD5OfMessageAttributes"]?.stringValue)
    }

    /// The SQS message a Lambda SQS event record describes (`messageId`, `receiptHandle`, `body`,
    /// `md5OfBody`, `attributes`, `messageAttributes`, `md5OfMessageAttributes`).
    static func lambdaMessage(_ record: JSONValue) -> Result<SQSMessage, Unreadable> {
        let messageId = record["messageId"]?.stringValue ?? generatedMessageId()
        let receiptHandle = record["receiptHandle"]?.stringValue ?? generatedReceiptHandle()
        guard case .object(let object) = record, case .string(let body)? = object["body"] else {
            let problem = record.objectValue == nil
                ? "Lambda SQS record is \(record.typeName) \(record.briefDescription), expected an object"
                : "Lambda SQS record has no 'body' string"
            let message = SQSMessage(messageId: messageId, receiptHandle: receiptHandle, body: "")
            return .failure(Unreadable(message: message, error: .envelope(problem, field: "body", messageId: messageId)))
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, value) in object["messageAttributes"]?.objectValue ?? [:] {
            attributes[name] = attribute(value, dataType: "dataType", string: "stringValue", binary: "binaryValue")
        }
        return .success(SQSMessage(messageId: messageId, receiptHandle: receiptHandle, body: body,
                                   md5OfBody: object["md5OfBody"]?.stringValue, attributes: stringMap(object["attributes"]),
                                   messageAttributes: attributes, md5OfMessageAttributes: object["md5OfMessageAttributes"]?.stringValue))
    }

    /// A message attribute written as JSON (binary values in base64).
    private static func attribute(_ value: JSONValue, dataType: String, string: String, binary: String) -> MessageAttributeValue {
        MessageAttributeValue(dataType: value[dataType]?.stringValue ?? "String", stringValue: value[string]?.stringValue,
                              binaryValue: value[binary]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { Array($0) })
    }

    /// An object's members as text (numbers and booleans written as JSON).
    private static func stringMap(_ value: JSONValue?) -> [String: String] {
        var map: [String: String] = [:]
        for (key, member) in value?.objectValue ?? [:] where !member.isNull {
            map[key] = member.stringValue ?? member.description
        }
        return map
    }
}
