#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

/// The AWS JSON 1.0 shapes of SQS (botocore `sqs/2012-11-05/service-2.json`): request members
/// written in the model's order with map keys sorted (so bodies are deterministic), replies read
/// leniently where the services differ (moto sends `SenderFault` as `"true"`).
enum SQSJSON {
    // MARK: - Requests

    /// `{"DataType":…,"StringValue":…}` or `{"DataType":…,"BinaryValue":"<base64>"}` per attribute, by name.
    static func messageAttributes(_ attributes: [String: MessageAttributeValue]) -> JSONValue {
        var object = JSONObject()
        for name in attributes.keys.sorted() {
            let value = attributes[name]!
            var member: JSONObject = ["DataType": .string(value.dataType)]
            if let stringValue = value.stringValue { member["StringValue"] = .string(stringValue) }
            if let binaryValue = value.binaryValue { member["BinaryValue"] = .string(Data(binaryValue).base64EncodedString()) }
            object[name] = .object(member)
        }
        return .object(object)
    }

    /// A string map with its keys sorted.
    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(JSONObject(map.keys.sorted().map { ($0, JSONValue.string(map[$0]!)) }))
    }

    /// A list of strings.
    static func stringList(_ list: [String]) -> JSONValue {
        .array(list.map(JSONValue.string))
    }

    /// One message's optional members, shared by SendMessage and the SendMessageBatch entries.
    static func addMessage(to object: inout JSONObject, body: String, delaySeconds: Int?,
                           attributes: [String: MessageAttributeValue], deduplicationId: String?, groupId: String?) {
        object["MessageBody"] = .string(body)
        if let delaySeconds { object["DelaySeconds"] = .int(delaySeconds) }
        if !attributes.isEmpty { object["MessageAttributes"] = messageAttributes(attributes) }
        if let deduplicationId { object["MessageDeduplicationId"] = .string(deduplicationId) }
        if let groupId { object["MessageGroupId"] = .string(groupId) }
    }

    // MARK: - Replies

    /// One `Messages` element; a missing `MessageId`, `ReceiptHandle` or `Body` is a ``Problem``.
    static func message(_ value: JSONValue) throws(Problem) -> SQSMessage {
        guard let object = value.objectValue else { throw Problem("a message that is not an object: \(value.briefDescription)") }
        guard let messageId = object["MessageId"]?.stringValue else {
            throw Problem("a message without MessageId: \(value.briefDescription)")
        }
        guard let receiptHandle = object["ReceiptHandle"]?.stringValue else {
            throw Problem("message \(messageId) has no ReceiptHandle")
        }
        guard let body = object["Body"]?.stringValue else { throw Problem("message \(messageId) has no Body") }
        var attributes: [String: String] = [:]
        if let members = object["Attributes"]?.objectValue {
            for (name, value) in members {
                guard let text = scalarText(value) else {
                    throw Problem("message \(messageId) attribute \(name) is \(value.briefDescription), not a string")
                }
                attributes[name] = text
            }
        }
        var messageAttributes: [String: MessageAttributeValue] = [:]
        if let members = object["MessageAttributes"]?.objectValue {
            for (name, value) in members {
                messageAttributes[name] = try messageAttribute(value, name: name, messageId: messageId)
            }
        }
        return SQSMessage(messageId: messageId, receiptHandle: receiptHandle, body: body,
                          md5OfBody: object["MD5OfBody"]?.stringValue, attributes: attributes,
                          messageAttributes: messageAttributes,
                          md5OfMessageAttributes: object["MD5OfMessageAttributes"]?.stringValue)
    }

    /// A received `MessageAttributeValue`; `BinaryValue` is base64.
    static func messageAttribute(_ value: JSONValue, name: String, messageId: String) throws(Problem) -> MessageAttributeValue {
        guard let object = value.objectValue, let dataType = object["DataType"]?.stringValue else {
            throw Problem("message \(messageId) message attribute \(name) has no DataType: \(value.briefDescription)")
        }
        var attribute = MessageAttributeValue(dataType: dataType, stringValue: object["StringValue"]?.stringValue)
        if let encoded = object["BinaryValue"]?.stringValue {
            guard let bytes = Data(base64Encoded: encoded) else {
                throw Problem("message \(messageId) message attribute \(name) has a BinaryValue that is not base64")
            }
            attribute.binaryValue = Array(bytes)
        }
        return attribute
    }

    /// A string map member (`Attributes`); numbers and booleans are kept as their text.
    static func stringMap(_ value: JSONValue?, member: String) throws(Problem) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw Problem("\(member) is \(value.briefDescription), not an object") }
        var map: [String: String] = [:]
        for (name, member) in object {
            guard let text = scalarText(member) else { throw Problem("\(name) is \(member.briefDescription), not a string") }
            map[name] = text
        }
        return map
    }

    /// One `BatchResultErrorEntry`; nil when it has no `Id`. `SenderFault` may be a boolean or `"true"`/`"false"`;
    /// a `Code` that is a JSON error name gets its query code (``AWSError/Code/messageNotInflight``).
    static func batchError(_ value: JSONValue) -> BatchResultError? {
        guard let object = value.objectValue, let id = object["Id"]?.stringValue else { return nil }
        let senderFault = object["SenderFault"]?.boolValue ?? (object["SenderFault"]?.stringValue?.lowercased() == "true")
        return BatchResultError(id: id, code: object["Code"]?.stringValue.map(AWSError.Code.sqs) ?? "UnknownError",
                                message: object["Message"]?.stringValue, senderFault: senderFault)
    }

    /// Strings as they are; numbers and booleans as their JSON text.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int, .double, .bool: value.description
        default: nil
        }
    }

    /// What is wrong with a reply (the client wraps it in an ``SQSResponseError``).
    struct Problem: Error {
        let detail: String
        init(_ detail: String) { self.detail = detail }
    }
}
