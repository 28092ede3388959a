@testable import MicrocosmAWS
import XCTest

/// The Publish body written straight into bytes is the body a form of the same parameters writes,
/// and the form's percent-encoding is the signer's.
final class QueryFormPublishTests: XCTestCase {
    private static let topic = "arn:aws:sns:us-east-1:123456789012:things"
    private static let message = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-published": "1795960760.3517253"}, "uri": "http://example.com/foo_bars/1"}"#

    private func check(_ request: PublishRequest, file: StaticString = #filePath, line: UInt = #line) {
        let fast = QueryForm.publishBody(request), general = QueryForm.publishForm(request).body
        XCTAssertEqual(String(decoding: fast, as: UTF8.self), String(decoding: general, as: UTF8.self), file: file, line: line)
        XCTAssertEqual(fast, general, file: file, line: line)
    }

    func testPublishBody_isTheFormsBody_forEveryShapeOfRequest() {
        let attributeSets: [[String: MessageAttributeValue]] = [
            [:],
            ["media_type": .string("application/vnd.globality.pubsub._.created.foo_bar")],
            ["b": .binary([0, 1, 2, 0xff, 0xfe]), "a": .number("3.14"), "C": .string("")],
            ["ünï cödé &=+%": .string("välue &=+% 🙂"), "custom": MessageAttributeValue(dataType: "String.custom", stringValue: "x")],
            ["none": MessageAttributeValue(dataType: "String"), "both": MessageAttributeValue(dataType: "Binary", stringValue: "s", binaryValue: [7])],
            Dictionary(uniqueKeysWithValues: (1...12).map { ("attr\($0)", MessageAttributeValue.string("v\($0)")) }),   // entries 10-12, sorted as text
        ]
        for attributes in attributeSets {
            for message in [Self.message, "x", "", "line\nbreak\ttab\r\u{0}", "ünïcödé 🙂 \u{301}", String(repeating: "a~b-c_d.e ", count: 100)] {
                for subject in [nil, "", "Subject: a/b?c"] as [String?] {
                    for (group, deduplication) in [(nil, nil), ("group 1", "dedup/1"), ("g", nil), (nil, "d")] as [(String?, String?)] {
                        check(PublishRequest(topicArn: Self.topic, message: message, subject: subject, messageAttributes: attributes,
                                             messageGroupId: group, messageDeduplicationId: deduplication))
                    }
                }
            }
        }
        check(PublishRequest(topicArn: "", message: Self.message))
        // Every value empty (the names alone), and every value made of bytes that are all encoded.
        check(PublishRequest(topicArn: "", message: "", subject: "", messageAttributes: ["": MessageAttributeValue(dataType: "", stringValue: "")],
                             messageGroupId: "", messageDeduplicationId: ""))
        let encodedOnly = String(repeating: "🙂 %&=", count: 50)
        check(PublishRequest(topicArn: encodedOnly, message: encodedOnly, subject: encodedOnly,
                             messageAttributes: [encodedOnly: MessageAttributeValue(dataType: encodedOnly, stringValue: encodedOnly,
                                                                                    binaryValue: Array(repeating: 0xfb, count: 99))],
                             messageGroupId: encodedOnly, messageDeduplicationId: encodedOnly))
        // Random text in every value.
        var generator = SystemRandomNumberGenerator()
        func randomText() -> String {
            String(String.UnicodeScalarView((0..<Int.random(in: 0...30, using: &generator)).compactMap { _ in
                UnicodeScalar(Bool.random(using: &generator) ? UInt32.random(in: 0..<0x80, using: &generator)
                                                             : UInt32.random(in: 0x80..<0x11000, using: &generator))
            }))
        }
        for _ in 0..<300 {
            var attributes: [String: MessageAttributeValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                attributes[randomText()] = MessageAttributeValue(dataType: randomText(), stringValue: Bool.random() ? randomText() : nil,
                                                                 binaryValue: Bool.random() ? Array(randomText().utf8) : nil)
            }
            check(PublishRequest(topicArn: randomText(), message: randomText(), subject: Bool.random() ? randomText() : nil,
                                 messageAttributes: attributes, messageGroupId: Bool.random() ? randomText() : nil,
                                 messageDeduplicationId: Bool.random() ? randomText() : nil))
        }
        check(PublishRequest(topicArn: "arn:aws:sns:us-east-1:123456789012:things.fifo", message: Self.message))
    }

    func testPublishBody_ofAProducedMessage_readsAsBotocoreWritesIt() {
        let body = QueryForm.publishBody(PublishRequest(topicArn: Self.topic, message: #"{"a": 1}"#,
                                                        messageAttributes: ["media_type": .string("application/vnd.x")]))
        XCTAssertEqual(String(decoding: body, as: UTF8.self),
                       "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Athings"
                           + "&Message=%7B%22a%22%3A%201%7D&MessageAttributes.entry.1.Name=media_type"
                           + "&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=application%2Fvnd.x")
    }

    func testAppendEncoded_isTheSignersPercentEncoding() {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "abc", "~-_.", "a b", "%", "é", "\u{301}", "🙂", "\u{7FF}\u{800}\u{FFFF}\u{10000}", Self.message]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 0...40, using: &generator)).compactMap { _ in
                UnicodeScalar(Bool.random(using: &generator) ? UInt32.random(in: 0..<0x80, using: &generator)
                                                             : UInt32.random(in: 0x80..<0x11000, using: &generator))
            }
            texts.append(String(String.UnicodeScalarView(scalars)))
        }
        for text in texts {
            var ours: [UInt8] = [1, 2], signers: [UInt8] = [1, 2]   // appended after what is there
            QueryForm.appendEncoded(text, to: &ours)
            SigV4CanonicalRequest.appendPercentEncoded(text.utf8, to: &signers)
            XCTAssertEqual(ours, signers, text.debugDescription)
        }
    }
}
