import Foundation
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

/// Expectations take fields and opaque data as `produce` does: Swift values, and `uri:`.
final class ExpectedFieldsTests: XCTestCase {
    private let changed = message(.changed("Order"), ["uri": "http://orders/1", "field_name": "status", "new_value": "shipped", "amount": 12.5],
                                  opaqueData: ["x-request-id": "req-1", "attempt": 2])

    func testMessage_fieldsFromSwiftVariablesAndURI_asProduceTakesThem() {
        let status = "shipped", amount = 12.5, requestId = "req-1"
        XCTAssertEqual(ExpectedMessage.message(.changed("Order"), ["new_value": status, "amount": amount], uri: "http://orders/1",
                                               opaqueData: ["X-Request-Id": requestId, "attempt": 2]).differences(from: changed), [])
        XCTAssertEqual(ExpectedMessage.message(.changed("Order"), ["new_value": "paid"], uri: "http://orders/2").differences(from: changed),
                       [#"field "new_value" is "shipped", expected "paid""#, #"field "uri" is "http://orders/1", expected "http://orders/2""#])
    }

    func testMessage_uriOnly_andNothing() {
        XCTAssertTrue(ExpectedMessage.message(.changed("Order"), uri: "http://orders/1").matches(changed))
        XCTAssertTrue(ExpectedMessage.message(.changed("Order")).matches(changed))
    }

    func testMessage_typedOpaqueValue_mustMatchItsJSONType() {
        XCTAssertFalse(ExpectedMessage.message(.changed("Order"), opaqueData: ["attempt": "2"]).matches(changed))
        XCTAssertTrue(ExpectedMessage.message(.changed("Order"), opaqueData: ["attempt": 2]).matches(changed))
    }

    func testMessage_anEncodableValueThatCannotBeEncoded_matchesNothingAndSaysWhy() {
        let expected = ExpectedMessage.message(.changed("Order"), ["due": Date.distantFuture.addingTimeInterval(1e12)])
        XCTAssertFalse(expected.matches(changed))
        XCTAssertTrue(expected.differences(from: changed).joined().contains("cannot encode the expected fields"),
                      "\(expected.differences(from: changed))")
    }
}
