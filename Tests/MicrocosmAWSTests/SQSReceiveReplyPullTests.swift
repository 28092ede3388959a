import Foundation
@testable import MicrocosmAWS
import MicrocosmJSON
import XCTest

/// A ReceiveMessage reply read by the pull reader gives the messages parsing it whole gives, and
/// the reader gives up (the reply is then parsed whole) whenever it is not sure.
final class SQSReceiveReplyPullTests: XCTestCase {
    /// The recorded ReceiveMessage messages of microcosm-pubsub 3.0.0 on moto (Fixtures/wire).
    private static func recorded(_ name: String) throws -> [JSONValue] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/wire/\(name)"))
        return try XCTUnwrap(JSONParser.parse(Array(data)).objectValue?["messages"]?.arrayValue, name)
    }

    private static func reply(_ messages: [JSONValue], pretty: Bool = false) -> [UInt8] {
        let value = JSONValue.object(["Messages": .array(messages)])
        return pretty ? Array(JSONSerializer.python.string(value).utf8) : JSONSerializer.compact.bytes(value)
    }

    /// Checks a pulled reading equals the parsed one; returns whether the pull reader read it.
    @discardableResult
    private func check(_ body: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let pulled = SQSJSON.receivedMessages(body)
        let parsed = Result { try SQSClient.receivedMessages(parsing: AWSHTTPResponse(status: 200, body: body), subject: "QueueUrl 'q'") }
        if let pulled {
            switch parsed {
            case .success(let messages): XCTAssertEqual(pulled, messages, String(decoding: body, as: UTF8.self), file: file, line: line)
            case .failure(let error): XCTFail("pulled \(pulled.count) messages, parsing says \(error)", file: file, line: line)
            }
        }
        return pulled != nil
    }

    @discardableResult
    private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        check(Array(text.utf8), file: file, line: line)
    }

    func testRecordedReplies_arePulled_andReadAsParsed() throws {
        for name in ["microcosm-pubsub-3.0.0-wrapped.json", "microcosm-pubsub-3.0.0-raw.json",
                     "microcosm-pubsub-3.0.0-batch-wrapped.json", "microcosm-pubsub-3.0.0-batch-raw.json"] {
            let messages = try Self.recorded(name)
            XCTAssertTrue(check(Self.reply(messages)), name)
            XCTAssertTrue(check(Self.reply(messages, pretty: true)), name)
            let pulled = try XCTUnwrap(SQSJSON.receivedMessages(Self.reply(messages)))
            XCTAssertEqual(pulled.count, messages.count)
            XCTAssertFalse(pulled[0].body.isEmpty)
            XCTAssertEqual(pulled[0].attributes["ApproximateReceiveCount"], "1")
        }
        let raw = try XCTUnwrap(SQSJSON.receivedMessages(Self.reply(try Self.recorded("microcosm-pubsub-3.0.0-raw.json"))))
        XCTAssertFalse(raw[0].messageAttributes.isEmpty)
    }

    func testAttributesOfEveryKind_escapesAndUnknownMembers_areReadAsParsed() {
        let replies = [
            #"{}"#, #"{"Messages": []}"#, #"{"Messages": null}"#, " \n{ \"Messages\" : [ ] }\r\n",
            #"""
            {"Messages": [{"MessageId": "m-1", "ReceiptHandle": "rh-1", "MD5OfBody": "49f68a5c8493ec2c0bf489821c21fc3b", "Body": "hi",
              "Attributes": {"ApproximateReceiveCount": "3", "SentTimestamp": "1795966062627", "MessageGroupId": "g\u00e9"},
              "MD5OfMessageAttributes": "d25a6aea97eb8f585bfa92d314504a92",
              "MessageAttributes": {"media_type": {"DataType": "String", "StringValue": "application/json"},
                                    "n": {"DataType": "Number", "StringValue": "1.5"},
                                    "b": {"DataType": "Binary", "BinaryValue": "AAEC/w=="},
                                    "l": {"DataType": "String", "StringValue": "x", "StringListValues": [], "BinaryListValues": []}}},
             {"MessageId": "m-2", "ReceiptHandle": "rh-2", "Body": "second"}]}
            """#,
            #"{"Messages":[{"MessageId":"\ud83d\ude00 \u00e9\"\\\/\b\f\n\r\t","ReceiptHandle":"rh","Body":"{\"Message\": \"{\\\"a\\\": 1}\"}"}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"ünïcödé 日本語 🙂","Unknown":{"a":[1,2.5,-3e2,true,null,NaN,Infinity]}}],"NextToken":"x"}"#,
            #"{"ResponseMetadata":{"RequestId":"r"},"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":""}]}"#,
            #"{"Messages":[{"Body":"b","ReceiptHandle":"rh","MessageId":"m","Attributes":{},"MessageAttributes":{}}]}"#,
            // A lone surrogate reads as the parser reads it (the same string code reads both).
            #"{"Messages":[{"MessageId":"\ud83d","ReceiptHandle":"rh","Body":"b"}]}"#,
        ]
        for text in replies {
            XCTAssertTrue(check(text), text)
        }
    }

    func testUnsureShapes_areLeftToTheParser() {
        let message = #"{"MessageId":"m","ReceiptHandle":"rh","Body":"b"}"#
        let replies = [
            "", " ", "null", "[]", #""Messages""#, #"{"Messages": {}}"#, #"{"Messages": "no"}"#, #"{"Messages": [1]}"#, #"{"Messages": [null]}"#,
            #"{"Messages": [\#(message)], "Messages": []}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh"}]}"#,
            #"{"Messages":[{"MessageId":"m","Body":"b"}]}"#,
            #"{"Messages":[{"MessageId":1,"ReceiptHandle":"rh","Body":"b"}]}"#,
            #"{"Messages":[{"MessageId":"m","MessageId":"n","ReceiptHandle":"rh","Body":"b"}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","MD5OfBody":null}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","Attributes":{"ApproximateReceiveCount":2}}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","Attributes":{"a":"1","a":"2"}}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","Attributes":[]}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","MessageAttributes":{"x":{"StringValue":"v"}}}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","MessageAttributes":{"x":{"DataType":"Binary","BinaryValue":"%%"}}}]}"#,
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","MessageAttributes":{"x":{"DataType":"String","StringValue":null}}}]}"#,
            #"{"Messages": [\#(message),]}"#, #"{"Messages": [,\#(message)]}"#, #"{"Messages": [\#(message)],}"#, #"{,"Messages": []}"#,
            #"{"Messages": [\#(message)] "x": 1}"#, #"{"Messages": [\#(message)]} trailing"#, #"{"Messages": [\#(message)]}}"#,
            "{\"Messages\":[{\"MessageId\":\"tab\there\",\"ReceiptHandle\":\"rh\",\"Body\":\"b\"}]}",
            #"{"Messages":[{"MessageId":"m","ReceiptHandle":"rh","Body":"b","x":\#(String(repeating: "[", count: 600))}]}"#,
            #"{"Messages": [\#(message)], "x": tru}"#, #"{"Messages": [\#(message)], "x": 01}"#,
        ]
        for text in replies {
            XCTAssertFalse(check(text), text)
        }
    }

    func testEveryTruncation_andEveryByteChanged_readAsParsed() throws {
        let body = Array(#"{"Messages":[{"MessageId":"m-1","ReceiptHandle":"rh","Body":"{\"a\": \"\u00e9\"}","Attributes":{"ApproximateReceiveCount":"1"},"MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"AAE="}}}]}"#.utf8)
        XCTAssertTrue(check(body))
        for end in 0..<body.count { check(Array(body[..<end])) }
        for position in body.indices {
            for replacement: UInt8 in [UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "x"),
                                       UInt8(ascii: "\\"), UInt8(ascii: " "), 0x00, 0xff] {
                var changed = body
                changed[position] = replacement
                check(changed)
            }
        }
    }
}
