#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of an AWS query-protocol request, `Action=...&Version=...&Name=Value...`, built in the
/// order and with the flattened names botocore uses for SNS:
///
/// - maps of message attributes: `MessageAttributes.entry.N.Name`, `.Value.DataType`,
///   `.Value.StringValue`, `.Value.BinaryValue` (base64);
/// - string maps: `Attributes.entry.N.key` / `.value`;
/// - lists: `PublishBatchRequestEntries.member.N.<field>`.
///
/// Map entries are written sorted by key, so a body is the same whatever the dictionary order.
/// Names and values are percent-encoded with only `A-Za-z0-9-_.~` left as they are (a space is `%20`;
/// botocore writes `+`, which every form decoder reads the same way).
///
/// ```swift
/// var form = QueryForm(action: "Publish", version: "2010-03-31")
/// form.add("TopicArn", topicArn)
/// form.add("Message", "hi")
/// form.bodyText   // "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3A...&Message=hi"
/// ```
struct QueryForm: Sendable {
    /// The API action (`Publish`).
    let action: String
    /// The parameters in the order they are written.
    private(set) var parameters: [(name: String, value: String)]

    /// A form for `action` of API `version`.
    init(action: String, version: String) {
        self.action = action
        parameters = [("Action", action), ("Version", version)]
    }

    /// Adds `name=value`; a nil value adds nothing.
    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        parameters.append((name, value))
    }

    /// Adds a boolean as botocore writes it: `true` or `false`.
    mutating func add(_ name: String, _ value: Bool) {
        parameters.append((name, value ? "true" : "false"))
    }

    /// Adds message attributes under `prefix` (`MessageAttributes`): `prefix.entry.N.Name`, then
    /// `.Value.DataType` and the string or base64 binary value.
    mutating func add(_ prefix: String, messageAttributes: [String: MessageAttributeValue]) {
        for (index, (name, value)) in messageAttributes.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = "\(prefix).entry.\(index + 1)"
            add("\(entry).Name", name)
            add("\(entry).Value.DataType", value.dataType)
            add("\(entry).Value.StringValue", value.stringValue)
            add("\(entry).Value.BinaryValue", value.binaryValue.map { Data($0).base64EncodedString() })
        }
    }

    /// Adds a string map under `prefix` (`Attributes`): `prefix.entry.N.key` / `prefix.entry.N.value`.
    mutating func add(_ prefix: String, attributes: [String: String]) {
        for (index, (key, value)) in attributes.sorted(by: { $0.key < $1.key }).enumerated() {
            add("\(prefix).entry.\(index + 1).key", key)
            add("\(prefix).entry.\(index + 1).value", value)
        }
    }

    /// The encoded body bytes.
    var body: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(parameters.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count * 3 + 2 })
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            QueryForm.appendEncoded(parameter.name, to: &output)
            output.append(UInt8(ascii: "="))
            QueryForm.appendEncoded(parameter.value, to: &output)
        }
        return output
    }

    /// The encoded body as text.
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Appends `text`'s UTF-8 with every byte but `A-Za-z0-9-_.~` written as `%XX` (upper-case hex),
    /// as ``SigV4CanonicalRequest/appendPercentEncoded(_:to:)-(Bytes,_)`` does; runs of bytes left as
    /// they are (most of a JSON message) are copied whole.
    static func appendEncoded(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { input in
            var runStart = 0
            for index in 0..<input.count {
                let byte = input[index]
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                    continue
                default:
                    if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index])) }
                    output.append(UInt8(ascii: "%"))
                    output.append(hexDigit(byte >> 4))
                    output.append(hexDigit(byte & 0x0f))
                    runStart = index + 1
                }
            }
            if runStart < input.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart...])) }
        }
    }

    @inline(__always)
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") - 10 + value
    }
}
