#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmJSON

extension SQSJSON {
    /// The messages of a ReceiveMessage reply read straight from its bytes (no ``JSONValue``
    /// tree): the reply is read per receive. Nil when the reader is not sure, and the reply is then
    /// parsed whole as before: text that is not JSON, a member of an unexpected type (a number
    /// attribute, a null digest), a key given twice, a BinaryValue that is not base64. Members the
    /// messages do not use are read and left, as the parsed reply leaves them.
    static func receivedMessages(_ bytes: [UInt8]) -> [SQSMessage]? {
        JSONPullReader.read(bytes) { reader throws(JSONParseError) -> [SQSMessage]? in
            guard try reader.beginObject() else { return nil }
            var messages: [SQSMessage]?
            while let key = try reader.nextKey() {
                guard key == "Messages" else {
                    try reader.skipValue()
                    continue
                }
                guard messages == nil else { return nil }
                if try reader.null() {
                    messages = []
                    continue
                }
                guard try reader.beginArray() else { return nil }
                var list: [SQSMessage] = []
                while try reader.nextElement() {
                    guard let message = try receivedMessage(&reader) else { return nil }
                    list.append(message)
                }
                messages = list
            }
            return messages ?? []
        }
    }

    /// One `Messages` element, or nil when the reader is not sure.
    private static func receivedMessage(_ reader: inout JSONPullReader) throws(JSONParseError) -> SQSMessage? {
        guard try reader.beginObject() else { return nil }
        var messageId: String?, receiptHandle: String?, body: String?, md5OfBody: String?, md5OfMessageAttributes: String?
        var attributes: [String: String]?
        var messageAttributes: [String: MessageAttributeValue]?
        while let key = try reader.nextKey() {
            switch key {
            case "MessageId": guard try read(&messageId, &reader) else { return nil }
            case "ReceiptHandle": guard try read(&receiptHandle, &reader) else { return nil }
            case "Body": guard try read(&body, &reader) else { return nil }
            case "MD5OfBody": guard try read(&md5OfBody, &reader) else { return nil }
            case "MD5OfMessageAttributes": guard try read(&md5OfMessageAttributes, &reader) else { return nil }
            case "Attributes":
                guard attributes == nil, try reader.beginObject() else { return nil }
                var map: [String: String] = [:]
                while let name = try reader.nextKey() {
                    guard map[name] == nil, let value = try reader.string() else { return nil }
                    map[name] = value
                }
                attributes = map
            case "MessageAttributes":
                guard messageAttributes == nil, try reader.beginObject() else { return nil }
                var map: [String: MessageAttributeValue] = [:]
                while let name = try reader.nextKey() {
                    guard map[name] == nil, let value = try receivedMessageAttribute(&reader) else { return nil }
                    map[name] = value
                }
                messageAttributes = map
            default:
                try reader.skipValue()
            }
        }
        guard let messageId, let receiptHandle, let body else { return nil }
        return SQSMessage(messageId: messageId, receiptHandle: receiptHandle, body: body, md5OfBody: md5OfBody,
                          attributes: attributes ?? [:], messageAttributes: messageAttributes ?? [:],
                          md5OfMessageAttributes: md5OfMessageAttributes)
    }

    /// One `MessageAttributeValue`, or nil when the reader is not sure.
    private static func receivedMessageAttribute(_ reader: inout JSONPullReader) throws(JSONParseError) -> MessageAttributeValue? {
        guard try reader.beginObject() else { return nil }
        var dataType: String?, stringValue: String?, binaryValue: String?
        while let key = try reader.nextKey() {
            switch key {
            case "DataType": guard try read(&dataType, &reader) else { return nil }
            case "StringValue": guard try read(&stringValue, &reader) else { return nil }
            case "BinaryValue": guard try read(&binaryValue, &reader) else { return nil }
            default: try reader.skipValue()
            }
        }
        guard let dataType else { return nil }
        var attribute = MessageAttributeValue(dataType: dataType, stringValue: stringValue)
        if let binaryValue {
            guard let bytes = Data(base64Encoded: binaryValue) else { return nil }
            attribute.binaryValue = Array(bytes)
        }
        return attribute
    }

    /// Reads a string member into `slot`; false when it is not a string or was read before.
    private static func read(_ slot: inout String?, _ reader: inout JSONPullReader) throws(JSONParseError) -> Bool {
        guard slot == nil, let value = try reader.string() else { return false }
        slot = value
        return true
    }
}
