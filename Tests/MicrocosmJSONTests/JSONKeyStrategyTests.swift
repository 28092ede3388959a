import Foundation
@testable import MicrocosmJSON
import XCTest

final class JSONKeyStrategyTests: XCTestCase {
    private struct Shipment: Codable, Equatable {
        var uri: String
        var shippedAt: Int
        var orderID: String
        var httpURLValue: String
        var line2Text: String
        var labels: [String: Int]
        var carrier: Carrier?
    }

    private struct Carrier: Codable, Equatable {
        var displayName: String
    }

    private struct Overridden: Codable, Equatable {
        var requestId: String
        var fieldName: String
        enum CodingKeys: String, CodingKey { case requestId = "x-request-id", fieldName = "field_name" }
    }

    private let shipment = Shipment(uri: "http://orders/1", shippedAt: 5, orderID: "o-1", httpURLValue: "h", line2Text: "t",
                                    labels: ["someKey": 1, "b": 2], carrier: Carrier(displayName: "UPS"))

    func testSnakeCase_convertsWordsAndAcronyms() {
        XCTAssertEqual(JSONKeyStrategy.snakeCase("shippedAt"), "shipped_at")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("orderID"), "order_id")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("httpURLValue"), "http_url_value")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("line2Text"), "line2_text")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("URI"), "uri")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("x-request-id"), "x-request-id")
        XCTAssertEqual(JSONKeyStrategy.snakeCase("shipped_at"), "shipped_at")
    }

    func testEncode_snakeCase_writesPropertyNamesInSnakeCaseButNotDictionaryKeys() throws {
        let value = try JSONValueEncoder(keyStrategy: .snakeCase).encode(shipment)
        XCTAssertEqual(JSONSerializer.python.string(value),
                       #"{"uri": "http://orders/1", "shipped_at": 5, "order_id": "o-1", "http_url_value": "h", "line2_text": "t", "#
                       + #""labels": {"b": 2, "someKey": 1}, "carrier": {"display_name": "UPS"}}"#)
    }

    func testEncode_asWritten_keepsPropertyNames() throws {
        let value = try JSONValueEncoder().encodeObject(shipment)
        XCTAssertEqual(value.keys, ["uri", "shippedAt", "orderID", "httpURLValue", "line2Text", "labels", "carrier"])
    }

    func testCodingKeys_overrideTheConversion() throws {
        let value = try JSONValueEncoder(keyStrategy: .snakeCase).encode(Overridden(requestId: "r", fieldName: "f"))
        XCTAssertEqual(JSONSerializer.python.string(value), #"{"x-request-id": "r", "field_name": "f"}"#)
        XCTAssertEqual(try JSONValueDecoder(keyStrategy: .snakeCase).decode(Overridden.self, from: value),
                       Overridden(requestId: "r", fieldName: "f"))
    }

    func testDecode_snakeCase_readsWhatEncodingWrote() throws {
        let value = try JSONValueEncoder(keyStrategy: .snakeCase).encode(shipment)
        XCTAssertEqual(try JSONValueDecoder(keyStrategy: .snakeCase).decode(Shipment.self, from: value), shipment)
    }

    func testDecode_snakeCase_fallsBackToTheNameAsWritten() throws {
        let value: JSONValue = ["displayName": "DHL"]
        XCTAssertEqual(try JSONValueDecoder(keyStrategy: .snakeCase).decode(Carrier.self, from: value), Carrier(displayName: "DHL"))
    }

    func testDecode_snakeCase_missingField_namesTheSnakeCaseName() {
        XCTAssertThrowsError(try JSONValueDecoder(keyStrategy: .snakeCase).decode(Carrier.self, from: ["name": "x"])) { error in
            XCTAssertTrue("\(error)".contains("display_name"), "\(error)")
        }
    }
}
