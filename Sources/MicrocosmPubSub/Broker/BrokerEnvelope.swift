import Foundation
import Microcosm
import MicrocosmAWS

/// The SNS notification envelope a wrapped subscription delivers to SQS, in moto's exact layout
/// (Python's `json.dumps(indent=2, sort_keys=True)`, non-ASCII escaped):
///
/// ```
/// {
///   "Message": "...",
///   "MessageAttributes": {
///     "media_type": {
///       "Type": "String",
///       "Value": "..."
///     }
///   },
///   "MessageId": "...", "Signature": "...", "SignatureVersion": "1", "SigningCertURL": "...",
///   "Subject": "...", "Timestamp": "2026-01-01T00:00:00.000Z", "TopicArn": "...", "Type": "Notification",
///   "UnsubscribeURL": "...&SubscriptionArn=<subscription>"
/// }
/// ```
/// (one member per line). Only `UnsubscribeURL`, the last member, differs between subscriptions,
/// so everything before it is written, and its MD5 state computed, once per publish.
struct BrokerEnvelope {
    private let prefix: [UInt8]
    private let prefixMD5: MD5
    private let unsubscribeURLPrefix: String

    struct Fields {
        var message: String
        var messageId: String
        var subject: String?
        var timestamp: String
        var topicArn: String
        var messageAttributes: [String: MessageAttributeValue]
        var signatureVersion: String
        var signature: String
        var signingCertURL: String
        /// The unsubscribe URL up to the subscription ARN.
        var unsubscribeURLPrefix: String
    }

    init(_ fields: Fields) {
        var out: [UInt8] = []
        out.reserveCapacity(fields.message.utf8.count + 1024)
        func member(_ name: String, _ value: String, last: Bool = false) {
            out.append(contentsOf: "  \"".utf8)
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\": ".utf8)
            JSONSerializer.pythonIndented.write(.string(value), into: &out)
            if !last { out.append(contentsOf: ",\n".utf8) }
        }
        out.append(contentsOf: "{\n".utf8)
        member("Message", fields.message)
        if !fields.messageAttributes.isEmpty {
            out.append(contentsOf: "  \"MessageAttributes\": {\n".utf8)
            let names = fields.messageAttributes.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (position, name) in names.enumerated() {
                let attribute = fields.messageAttributes[name]!
                out.append(contentsOf: "    ".utf8)
                JSONSerializer.pythonIndented.write(.string(name), into: &out)
                out.append(contentsOf: ": {\n      \"Type\": ".utf8)
                JSONSerializer.pythonIndented.write(.string(attribute.dataType), into: &out)
                out.append(contentsOf: ",\n      \"Value\": ".utf8)
                JSONSerializer.pythonIndented.write(.string(Self.value(of: attribute)), into: &out)
                out.append(contentsOf: "\n    }".utf8)
                out.append(contentsOf: (position == names.count - 1 ? "\n" : ",\n").utf8)
            }
            out.append(contentsOf: "  },\n".utf8)
        }
        member("MessageId", fields.messageId)
        member("Signature", fields.signature)
        member("SignatureVersion", fields.signatureVersion)
        member("SigningCertURL", fields.signingCertURL)
        if let subject = fields.subject { member("Subject", subject) }
        member("Timestamp", fields.timestamp)
        member("TopicArn", fields.topicArn)
        member("Type", "Notification")
        out.append(contentsOf: "  \"UnsubscribeURL\": ".utf8)
        prefix = out
        var md5 = MD5()
        md5.update(out)
        prefixMD5 = md5
        unsubscribeURLPrefix = fields.unsubscribeURLPrefix
    }

    /// The envelope for one subscription, and its MD5 (the SQS `MD5OfBody`).
    func body(for subscriptionArn: String) -> (body: String, md5: String) {
        var suffix: [UInt8] = []
        suffix.reserveCapacity(unsubscribeURLPrefix.utf8.count + subscriptionArn.utf8.count + 8)
        JSONSerializer.pythonIndented.write(.string(unsubscribeURLPrefix + subscriptionArn), into: &suffix)
        suffix.append(contentsOf: "\n}".utf8)
        var md5 = prefixMD5
        md5.update(suffix)
        let body = String(unsafeUninitializedCapacity: prefix.count + suffix.count) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix)
            _ = buffer[prefix.count...].initialize(fromContentsOf: suffix)
            return prefix.count + suffix.count
        }
        return (body, md5.finalize().hex)
    }

    /// The envelope's `Value`: the string value, or base64 for binary attributes.
    private static func value(of attribute: MessageAttributeValue) -> String {
        if let text = attribute.stringValue { return text }
        return attribute.binaryValue.map { Data($0).base64EncodedString() } ?? ""
    }
}
