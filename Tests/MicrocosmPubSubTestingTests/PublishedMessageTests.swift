import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// Reading what the broker recorded as pubsub messages.
final class PublishedMessageTests: XCTestCase {
    private func publication(_ text: String) -> BrokerPublication {
        BrokerPublication(topicArn: ordersTopic, message: text, messageAttributes: ["media_type": .string(noteAdded.rawValue)],
                          messageId: "id-1", publishedAt: Date(timeIntervalSince1970: 1_767_225_600))
    }

    func testInit_readsMediaTypeFieldsAndOpaqueData() throws {
        let text = #"{"mediaType": "\#(noteAdded)", "opaqueData": {"x-request-id": "req-1"}, "uri": "http://orders/1", "note": "fragile"}"#
        let published = try PublishedMessage(publication(text))
        XCTAssertEqual(published.mediaType, noteAdded)
        XCTAssertEqual(published.fields, ["uri": "http://orders/1", "note": "fragile"])
        XCTAssertEqual(published.fields.keys, ["uri", "note"], "fields keep the order they were written in")
        XCTAssertEqual(published.opaqueData, ["x-request-id": "req-1"])
        XCTAssertEqual(published.uri, "http://orders/1")
        XCTAssertEqual(published.topicArn, ordersTopic)
        XCTAssertEqual(published.messageId, "id-1")
        XCTAssertEqual(published.messageAttributes["media_type"], .string(noteAdded.rawValue))
        XCTAssertEqual(published.text, text)
        XCTAssertEqual(published.publication.publishedAt, Date(timeIntervalSince1970: 1_767_225_600))
        XCTAssertEqual(published.content.opaqueValues["X-Request-Id"], "req-1")
    }

    func testInit_withoutOpaqueData_hasNone() throws {
        let published = try PublishedMessage(publication(#"{"mediaType": "\#(noteAdded)"}"#))
        XCTAssertNil(published.opaqueData)
        XCTAssertEqual(published.fields, [:])
        XCTAssertNil(published.uri)
    }

    func testInit_doesNotNeedARegisteredSchema() throws {
        let published = try PublishedMessage(publication(#"{"mediaType": "application/vnd.acme.unregistered", "x": 1}"#))
        XCTAssertEqual(published.mediaType, "application/vnd.acme.unregistered")
        XCTAssertEqual(published.fields, ["x": 1])
    }

    func testDecode_givesTheTypedMessage() throws {
        let published = try PublishedMessage(publication(
            #"{"mediaType": "\#(OrderShipped.mediaType)", "uri": "http://orders/1", "carrier": "ups", "tracking_number": "1Z"}"#))
        XCTAssertEqual(try published.decode(OrderShipped.self), OrderShipped(uri: "http://orders/1", carrier: "ups", trackingNumber: "1Z"))
    }

    func testDecode_missingField_namesMediaTypeAndField() throws {
        let published = try PublishedMessage(publication(#"{"mediaType": "\#(OrderShipped.mediaType)", "uri": "http://orders/1"}"#))
        XCTAssertThrowsError(try published.decode(OrderShipped.self)) { error in
            let error = error as? PubSubMessageError
            XCTAssertEqual(error?.code, .invalidContent)
            XCTAssertEqual(error?.field, "carrier")
            XCTAssertEqual(error?.mediaType, OrderShipped.mediaType)
        }
    }

    func testInit_notAPubSubMessage_throwsWhy() {
        let cases: [(String, PubSubMessageError.Code)] = [
            ("hello", .notJSON),
            ("[1]", .notAnObject),
            (#"{"uri": "http://orders/1"}"#, .missingMediaType),
            (#"{"mediaType": 5}"#, .missingMediaType),
            (#"{"mediaType": "\#(noteAdded)", "opaqueData": "x"}"#, .invalidContent),
        ]
        for (text, code) in cases {
            XCTAssertThrowsError(try PublishedMessage(publication(text)), text) { error in
                XCTAssertEqual((error as? PubSubMessageError)?.code, code, "\(text): \(error)")
            }
        }
    }

    func testDescription_isMediaTypeFieldsAndTopic() throws {
        let published = try PublishedMessage(publication(#"{"mediaType": "\#(noteAdded)", "opaqueData": {"a": "b"}, "uri": "ü"}"#))
        XCTAssertEqual(published.description, #"\#(noteAdded) {"uri": "ü"} on \#(ordersTopic)"#)
    }
}
