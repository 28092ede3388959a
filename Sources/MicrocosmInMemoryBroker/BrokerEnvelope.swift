#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// The SNS notification envelope a wrapped subscription delivers to SQS, in moto's exact layout
/// (Python's `json.dumps(indent=2, sort_keys=True)`, non-ASCII escaped), one member per line:
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
///   "MessageId": "...",
///   "Signature": "...",
///   "SignatureVersion": "1",
///   "SigningCertURL": "...",
///   "Subject": "...",
///   "Timestamp": "2026-01-01T00:00:00.000Z",
///   "TopicArn": "...",
///   "Type": "Notification",
///   "UnsubscribeURL": "...&SubscriptionArn=<subscription>"
/// }
/// ```
///
/// Written by hand for speed: what a topic's envelopes share is escaped once (``Template``),
/// what a publish adds is written once per publish, and only the subscription ARN at the very
/// end is written per subscription, continuing an MD5 state computed once per publish.
struct BrokerEnvelope {
    /// The members every envelope of one topic shares, already escaped.
    struct Template {
        /// The `Signature`, `SignatureVersion` and `SigningCertURL` lines.
        fileprivate let signatureLines: [UInt8]
        /// The `TopicArn` and `Type` lines and `UnsubscribeURL` up to the subscription ARN.
        fileprivate let topicLines: [UInt8]

        init(topicArn: String, signatureVersion: String, signature: String, signingCertURL: String, unsubscribeURLPrefix: String) {
            var lines: [UInt8] = []
            BrokerEnvelope.member("Signature", signature, into: &lines)
            BrokerEnvelope.member("SignatureVersion", signatureVersion, into: &lines)
            BrokerEnvelope.member("SigningCertURL", signingCertURL, into: &lines)
            signatureLines = lines
            lines = []
            BrokerEnvelope.member("TopicArn", topicArn, into: &lines)
            BrokerEnvelope.member("Type", "Notification", into: &lines)
            lines.append(contentsOf: "  \"UnsubscribeURL\": ".utf8)
            var unsubscribe: [UInt8] = []
            JSONSerializer.pythonIndented.write(.string(unsubscribeURLPrefix), into: &unsubscribe)
            lines.append(contentsOf: unsubscribe.dropLast())      // the value continues with the subscription ARN
            topicLines = lines
        }
    }

    private let prefix: [UInt8]
    private let prefixMD5: MD5

    /// The envelope of one publish up to the subscription ARN.
    init(template: Template, message: String, messageId: String, subject: String?, timestamp: String,
         messageAttributes: [String: MessageAttributeValue]) {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + template.signatureLines.count + template.topicLines.count + 256)
        out.append(contentsOf: Self.opening)
        Self.member("Message", message, into: &out)
        if !messageAttributes.isEmpty { Self.attributes(messageAttributes, into: &out) }
        Self.plainMember(Self.messageIdKey, messageId, into: &out)
        out.append(contentsOf: template.signatureLines)
        if let subject { Self.member("Subject", subject, into: &out) }
        Self.plainMember(Self.timestampKey, timestamp, into: &out)
        out.append(contentsOf: template.topicLines)
        prefix = out
        var md5 = MD5()
        md5.update(out)
        prefixMD5 = md5
    }

    /// The end of the envelope for a subscription: its ARN (escaped) ending `UnsubscribeURL`, and `}`.
    static func suffix(subscriptionArn: String) -> [UInt8] {
        var suffix: [UInt8] = []
        JSONSerializer.pythonIndented.write(.string(subscriptionArn), into: &suffix)
        suffix.removeFirst()
        suffix.append(contentsOf: "\n}".utf8)
        return suffix
    }

    /// The envelope ending in `suffix` (``suffix(subscriptionArn:)``), and its MD5 (the SQS `MD5OfBody`).
    func body(suffix: [UInt8]) -> (body: String, md5: String) {
        var md5 = prefixMD5
        md5.update(suffix)
        let body = String(unsafeUninitializedCapacity: prefix.count + suffix.count) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix)
            _ = buffer[prefix.count...].initialize(fromContentsOf: suffix)
            return prefix.count + suffix.count
        }
        return (body, md5.finalize().hex)
    }

    private static let opening = Array("{\n".utf8)
    private static let messageIdKey = Array("  \"MessageId\": \"".utf8)
    private static let timestampKey = Array("  \"Timestamp\": \"".utf8)
    private static let valueEnd = Array("\",\n".utf8)

    /// `  "name": <value as JSON>,\n`
    fileprivate static func member(_ name: String, _ value: String, into out: inout [UInt8]) {
        out.append(contentsOf: "  \"".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "\": ".utf8)
        JSONSerializer.pythonIndented.write(.string(value), into: &out)
        out.append(contentsOf: ",\n".utf8)
    }

    /// A member whose value the broker made and knows needs no escaping (a UUID, a timestamp);
    /// `key` is `  "Name": "`.
    private static func plainMember(_ key: [UInt8], _ value: String, into out: inout [UInt8]) {
        out.append(contentsOf: key)
        var value = value
        value.withUTF8 { out.append(contentsOf: $0) }
        out.append(contentsOf: valueEnd)
    }

    /// `MessageAttributes`, names in code-point order, each `{"Type": ..., "Value": ...}`.
    private static func attributes(_ attributes: [String: MessageAttributeValue], into out: inout [UInt8]) {
        out.append(contentsOf: "  \"MessageAttributes\": {\n".utf8)
        let names = attributes.count == 1 ? Array(attributes.keys)
            : attributes.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        for (position, name) in names.enumerated() {
            let attribute = attributes[name]!
            out.append(contentsOf: "    ".utf8)
            JSONSerializer.pythonIndented.write(.string(name), into: &out)
            out.append(contentsOf: ": {\n      \"Type\": ".utf8)
            JSONSerializer.pythonIndented.write(.string(attribute.dataType), into: &out)
            out.append(contentsOf: ",\n      \"Value\": ".utf8)
            JSONSerializer.pythonIndented.write(.string(value(of: attribute)), into: &out)
            out.append(contentsOf: (position == names.count - 1 ? "\n    }\n" : "\n    },\n").utf8)
        }
        out.append(contentsOf: "  },\n".utf8)
    }

    /// The envelope's `Value`: the string value, or base64 for binary attributes.
    private static func value(of attribute: MessageAttributeValue) -> String {
        if let text = attribute.stringValue { return text }
        return attribute.binaryValue.map { Data($0).base64EncodedString() } ?? ""
    }
}
