#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension QueryForm {
    /// The body of a Publish request, byte for byte what a ``QueryForm`` with the request's
    /// parameters writes (``publishForm(_:)``), written straight into bytes: a form is sent per
    /// publish, and its parameter names are fixed text but for the attribute entry numbers.
    static func publishBody(_ request: PublishRequest) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(160 + 3 * (request.topicArn.utf8.count + request.message.utf8.count + (request.subject?.utf8.count ?? 0))
                               + request.messageAttributes.count * 256)
        output.append(contentsOf: "Action=Publish&Version=".utf8)
        appendEncoded(SNSClient.apiVersion, to: &output)
        output.append(contentsOf: "&TopicArn=".utf8)
        appendEncoded(request.topicArn, to: &output)
        output.append(contentsOf: "&Message=".utf8)
        appendEncoded(request.message, to: &output)
        if let subject = request.subject {
            output.append(contentsOf: "&Subject=".utf8)
            appendEncoded(subject, to: &output)
        }
        func entry(_ number: Int, _ name: String, _ value: MessageAttributeValue) {
            func field(_ field: StaticString, _ text: String) {
                output.append(contentsOf: "&MessageAttributes.entry.".utf8)
                appendDecimal(number, to: &output)
                output.append(contentsOf: UnsafeBufferPointer(start: field.utf8Start, count: field.utf8CodeUnitCount))
                appendEncoded(text, to: &output)
            }
            field(".Name=", name)
            field(".Value.DataType=", value.dataType)
            if let text = value.stringValue { field(".Value.StringValue=", text) }
            if let bytes = value.binaryValue { field(".Value.BinaryValue=", Data(bytes).base64EncodedString()) }
        }
        if request.messageAttributes.count == 1, let (name, value) = request.messageAttributes.first {
            entry(1, name, value)
        } else {
            for (index, (name, value)) in request.messageAttributes.sorted(by: { $0.key < $1.key }).enumerated() {
                entry(index + 1, name, value)
            }
        }
        if let id = request.messageDeduplicationId {
            output.append(contentsOf: "&MessageDeduplicationId=".utf8)
            appendEncoded(id, to: &output)
        }
        if let id = request.messageGroupId {
            output.append(contentsOf: "&MessageGroupId=".utf8)
            appendEncoded(id, to: &output)
        }
        return output
    }

    /// The Publish request as a form of parameters: the general path ``publishBody(_:)`` writes the body of.
    static func publishForm(_ request: PublishRequest) -> QueryForm {
        var form = QueryForm(action: "Publish", version: SNSClient.apiVersion)
        form.add("TopicArn", request.topicArn)
        form.add("Message", request.message)
        form.add("Subject", request.subject)
        form.add("MessageAttributes", messageAttributes: request.messageAttributes)
        form.add("MessageDeduplicationId", request.messageDeduplicationId)
        form.add("MessageGroupId", request.messageGroupId)
        return form
    }

    /// Appends a positive number's decimal digits.
    private static func appendDecimal(_ number: Int, to output: inout [UInt8]) {
        if number >= 10 { appendDecimal(number / 10, to: &output) }
        output.append(UInt8(ascii: "0") + UInt8(number % 10))
    }
}
