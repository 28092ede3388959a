import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// One expectation against one published message: media type, fields (subset or exact), topic, opaque data.
final class ExpectedMessageTests: XCTestCase {
    private let order = message(noteAdded, ["uri": "http://orders/1", "note": "fragile", "count": 2], opaqueData: ["x-request-id": "req-1"])

    func testMessage_sameMediaTypeNoFields_matches() {
        XCTAssertEqual(ExpectedMessage.message(noteAdded).differences(from: order), [])
        XCTAssertTrue(ExpectedMessage.message(noteAdded).matches(order))
    }

    func testMessage_otherMediaType_namesBoth() {
        XCTAssertEqual(ExpectedMessage.message(.created("Order")).differences(from: order),
                       ["media type is \(noteAdded), expected application/vnd.globality.pubsub._.created.order"])
    }

    func testMessage_wildcardMediaType_matchesTheTypesItCovers() {
        XCTAssertTrue(ExpectedMessage.message("application/vnd.globality.pubsub._.note_added.*").matches(order))
        XCTAssertFalse(ExpectedMessage.message("application/vnd.globality.pubsub._.created.*").matches(order))
    }

    func testFields_subset_allowsFieldsNotExpected() {
        XCTAssertEqual(ExpectedMessage.message(noteAdded, ["note": "fragile"]).differences(from: order), [])
    }

    func testFields_subset_namesTheDifferingField() {
        XCTAssertEqual(ExpectedMessage.message(noteAdded, ["uri": "http://orders/1", "note": "handle with care"]).differences(from: order),
                       [#"field "note" is "fragile", expected "handle with care""#])
    }

    func testFields_subset_namesTheMissingField() {
        XCTAssertEqual(ExpectedMessage.message(noteAdded, ["author": "ann"]).differences(from: order),
                       [#"field "author" is missing, expected "ann""#])
    }

    func testFields_numbersCompareAsInPython() {
        XCTAssertTrue(ExpectedMessage.message(noteAdded, ["count": 2.0]).matches(order))
        XCTAssertEqual(ExpectedMessage.message(noteAdded, ["count": "2"]).differences(from: order),
                       [#"field "count" is 2, expected "2""#])
    }

    func testFields_nestedValuesCompareWhole() {
        let nested = message(noteAdded, ["items": [["sku": "a", "qty": 1]]])
        XCTAssertTrue(ExpectedMessage.message(noteAdded, ["items": [["sku": "a", "qty": 1]]]).matches(nested))
        XCTAssertEqual(ExpectedMessage.message(noteAdded, ["items": [["sku": "a"]]]).differences(from: nested),
                       [#"field "items" is [{"sku": "a", "qty": 1}], expected [{"sku": "a"}]"#])
    }

    func testFields_exact_namesEveryFieldNotExpected() {
        let expected = ExpectedMessage.message(noteAdded, ["uri": "http://orders/1"], matching: .exact)
        XCTAssertEqual(expected.differences(from: order),
                       [#"field "note" is "fragile", expected no such field"#, #"field "count" is 2, expected no such field"#])
        XCTAssertTrue(ExpectedMessage.message(noteAdded, ["uri": "http://orders/1", "note": "fragile", "count": 2], matching: .exact)
            .matches(order))
    }

    func testURI_matchesTheURIField() {
        XCTAssertTrue(ExpectedMessage.message(noteAdded, uri: "http://orders/1").matches(order))
        XCTAssertEqual(ExpectedMessage.message(noteAdded, uri: "http://orders/2").differences(from: order),
                       [#"field "uri" is "http://orders/1", expected "http://orders/2""#])
    }

    func testTopic_checkedOnlyWhenGiven() {
        XCTAssertTrue(ExpectedMessage.message(noteAdded, topic: ordersTopic).matches(order))
        XCTAssertEqual(ExpectedMessage.message(noteAdded, topic: auditTopic).differences(from: order),
                       ["topic is \(ordersTopic), expected \(auditTopic)"])
    }

    func testOpaqueData_subset() {
        XCTAssertTrue(ExpectedMessage.message(noteAdded, opaqueData: ["x-request-id": "req-1"]).matches(order))
        XCTAssertEqual(ExpectedMessage.message(noteAdded, opaqueData: ["x-request-id": "req-2", "x-user": "ann"]).differences(from: order),
                       [#"opaque data "x-request-id" is "req-1", expected "req-2""#, #"opaque data "x-user" is missing, expected "ann""#])
        XCTAssertEqual(ExpectedMessage.message(noteAdded, opaqueData: ["x-request-id": "req-1"]).differences(from: message(noteAdded)),
                       [#"opaque data "x-request-id" is missing, expected "req-1""#])
    }

    func testAnyMessage_matchesEveryMediaType_onItsTopic() {
        XCTAssertTrue(ExpectedMessage.anyMessage().matches(order))
        XCTAssertTrue(ExpectedMessage.anyMessage(topic: ordersTopic).matches(order))
        XCTAssertFalse(ExpectedMessage.anyMessage(topic: auditTopic).matches(order))
    }

    func testTyped_comparesEveryEncodedField() {
        let shipped = message(OrderShipped.mediaType, ["uri": "http://orders/1", "carrier": "ups"])
        XCTAssertTrue(ExpectedMessage.message(OrderShipped(uri: "http://orders/1", carrier: "ups")).matches(shipped))
        XCTAssertEqual(ExpectedMessage.message(OrderShipped(uri: "http://orders/1", carrier: "dhl")).differences(from: shipped),
                       [#"field "carrier" is "ups", expected "dhl""#])
        let tracked = OrderShipped(uri: "http://orders/1", carrier: "ups", trackingNumber: "1Z")
        XCTAssertEqual(ExpectedMessage.message(tracked).differences(from: shipped),
                       [#"field "tracking_number" is missing, expected "1Z""#])
    }

    func testTyped_isExactByDefault_subsetOnRequest() {
        let tracked = message(OrderShipped.mediaType, ["uri": "http://orders/1", "carrier": "ups", "tracking_number": "1Z"])
        let untracked = OrderShipped(uri: "http://orders/1", carrier: "ups")
        XCTAssertEqual(ExpectedMessage.message(untracked).differences(from: tracked),
                       [#"field "tracking_number" is "1Z", expected no such field"#])
        XCTAssertTrue(ExpectedMessage.message(untracked, matching: .subset).matches(tracked))
    }

    func testTyped_checksMediaTypeTopicAndOpaqueData() {
        let shipped = message(noteAdded, ["uri": "http://orders/1", "carrier": "ups"], topic: auditTopic)
        XCTAssertEqual(ExpectedMessage.message(OrderShipped(uri: "http://orders/1", carrier: "ups"), topic: ordersTopic,
                                               opaqueData: ["x-request-id": "req-1"]).differences(from: shipped),
                       ["media type is \(noteAdded), expected \(OrderShipped.mediaType)", "topic is \(auditTopic), expected \(ordersTopic)",
                        #"opaque data "x-request-id" is missing, expected "req-1""#])
    }

    func testTyped_thatCannotBeEncoded_matchesNothingAndSaysWhy() {
        let expected = ExpectedMessage.message(Unencodable(value: 1))
        let differences = expected.differences(from: message(Unencodable.mediaType))
        XCTAssertEqual(differences.count, 1)
        XCTAssertTrue(differences[0].hasPrefix("cannot encode the expected Unencodable: "), differences[0])
        XCTAssertTrue(expected.description.contains("cannot encode the expected Unencodable"), expected.description)
    }

    func testDescription_showsMediaTypeFieldsTopicAndOpaqueData() {
        XCTAssertEqual(ExpectedMessage.message(noteAdded).description, noteAdded.rawValue)
        let full = ExpectedMessage.message(noteAdded, ["note": "fragile"], topic: ordersTopic, opaqueData: ["x-request-id": "r"])
        XCTAssertEqual(full.description,
                       #"\#(noteAdded) with {"note": "fragile"} on \#(ordersTopic) with opaque data {"x-request-id": "r"}"#)
        XCTAssertEqual(ExpectedMessage.message(OrderShipped(uri: "u", carrier: "ups")).description,
                       #"\#(OrderShipped.mediaType) with exactly {"uri": "u", "carrier": "ups"}"#)
        XCTAssertEqual(ExpectedMessage.anyMessage(topic: auditTopic).description, "any message on \(auditTopic)")
    }
}
