#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension QueryForm {
    /// The body of a Publish request, byte for byte what a ``QueryForm`` with the request's
    /// parameters writes (``publishForm(_:)``), written straight into one buffer of its largest
    /// size: a form is sent per publish, and its parameter names are fixed text but for the
    /// attribute entry numbers.
    static func publishBody(_ request: PublishRequest) -> [UInt8] {
        let attributes = request.messageAttributes
        // Names and the version: 101 bytes; per attribute 4 names of under 64 bytes; values: at most 3 bytes per byte.
        var capacity = 128 + 3 * (request.topicArn.utf8.count + request.message.utf8.count + (request.subject?.utf8.count ?? 0)
                                  + (request.messageDeduplicationId?.utf8.count ?? 0) + (request.messageGroupId?.utf8.count ?? 0))
        for (name, value) in attributes {
            capacity += 4 * 64 + 3 * (name.utf8.count + value.dataType.utf8.count + (value.stringValue?.utf8.count ?? 0)
                                      + (value.binaryValue.map { ($0.count + 2) / 3 * 4 } ?? 0))
        }
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var writer = BodyWriter(buffer: buffer)
            writer.write("Action=Publish&Version=")
            writer.encode(SNSClient.apiVersion)
            writer.write("&TopicArn=")
            writer.encode(request.topicArn)
            writer.write("&Message=")
            writer.encode(request.message)
            if let subject = request.subject {
                writer.write("&Subject=")
                writer.encode(subject)
            }
            func entry(_ number: Int, _ name: String, _ value: MessageAttributeValue) {
                func field(_ field: StaticString, _ text: String) {
                    writer.write("&MessageAttributes.entry.")
                    writer.decimal(number)
                    writer.write(field)
                    writer.encode(text)
                }
                field(".Name=", name)
                field(".Value.DataType=", value.dataType)
                if let text = value.stringValue { field(".Value.StringValue=", text) }
                if let bytes = value.binaryValue { field(".Value.BinaryValue=", Data(bytes).base64EncodedString()) }
            }
            if attributes.count == 1, let (name, value) = attributes.first {
                entry(1, name, value)   // the usual case (`media_type`): nothing to sort
            } else {
                for (index, name) in attributes.keys.sorted().enumerated() { entry(index + 1, name, attributes[name]!) }
            }
            if let id = request.messageDeduplicationId {
                writer.write("&MessageDeduplicationId=")
                writer.encode(id)
            }
            if let id = request.messageGroupId {
                writer.write("&MessageGroupId=")
                writer.encode(id)
            }
            count = writer.position
        }
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

    /// Writes into a buffer its caller made large enough (checked: a write past its end traps).
    private struct BodyWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var position = 0

        /// Writes text that needs no encoding.
        mutating func write(_ text: StaticString) {
            let count = text.utf8CodeUnitCount
            precondition(position + count <= buffer.count, "QueryForm.publishBody: buffer too small")
            (buffer.baseAddress! + position).update(from: text.utf8Start, count: count)
            position += count
        }

        /// Writes `text` percent-encoded as ``QueryForm/appendEncoded(_:to:)`` does.
        mutating func encode(_ text: String) {
            var text = text
            text.withUTF8 { input in
                precondition(position + 3 * input.count <= buffer.count, "QueryForm.publishBody: buffer too small")
                let output = buffer.baseAddress!
                var at = position
                for byte in input {
                    switch byte {
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                         UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                        output[at] = byte
                        at += 1
                    default:
                        output[at] = UInt8(ascii: "%")
                        output[at + 1] = QueryForm.hexDigit(byte >> 4)
                        output[at + 2] = QueryForm.hexDigit(byte & 0x0f)
                        at += 3
                    }
                }
                position = at
            }
        }

        /// Writes a positive number's decimal digits.
        mutating func decimal(_ number: Int) {
            if number >= 10 { decimal(number / 10) }
            precondition(position < buffer.count, "QueryForm.publishBody: buffer too small")
            buffer[position] = UInt8(ascii: "0") + UInt8(number % 10)
            position += 1
        }
    }
}
