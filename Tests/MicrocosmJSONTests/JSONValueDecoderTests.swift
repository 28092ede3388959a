import Foundation
import MicrocosmJSON
import XCTest

final class JSONValueDecoderTests: XCTestCase {
    private struct Owner: Codable, Equatable {
        var name: String
        var email: String
    }

    private struct Item: Codable, Equatable {
        var count: Int
    }

    private struct Thing: Codable, Equatable {
        var uri: String
        var count: Int?
        var ratio: Double
        var active: Bool
        var owner: Owner
        var items: [Item]
    }

    private enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int, label: String?)
        case point
    }

    private let decoder = JSONValueDecoder()

    private func error<T: Decodable>(decoding type: T.Type, from value: JSONValue,
                                     file: StaticString = #filePath, line: UInt = #line) -> JSONValueDecoderError? {
        do {
            _ = try decoder.decode(type, from: value)
            XCTFail("decoded \(type) from \(value)", file: file, line: line)
        } catch let error as JSONValueDecoderError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    private let valid: JSONValue = [
        "uri": "http://things/1", "ratio": 1, "active": true, "extra": [1, 2],
        "owner": ["name": "o", "email": "o@example.com"], "items": [["count": 1], ["count": 2.0]],
    ]

    func testDecode_readsFieldsAndIgnoresUnknownOnes() throws {
        let thing = try decoder.decode(Thing.self, from: valid)
        XCTAssertEqual(thing, Thing(uri: "http://things/1", count: nil, ratio: 1, active: true,
                                    owner: Owner(name: "o", email: "o@example.com"), items: [Item(count: 1), Item(count: 2)]))
    }

    func testDecode_absentOrNullOptional_isNil() throws {
        var value = valid
        value["count"] = .null
        XCTAssertNil(try decoder.decode(Thing.self, from: value).count)
        value["count"] = 4
        XCTAssertEqual(try decoder.decode(Thing.self, from: value).count, 4)
    }

    func testDecode_missingField_namesItsPathAndType() {
        var value = valid
        value["owner"] = ["name": "o"]
        let error = error(decoding: Thing.self, from: value)
        XCTAssertEqual(error?.code, .missing)
        XCTAssertEqual(error?.path, "owner.email")
        XCTAssertEqual(error?.description, "field 'owner.email' is missing (expected string)")
    }

    func testDecode_wrongType_namesPathExpectedAndActualType() {
        var value = valid
        value["items"] = [["count": 1], ["count": "two"]]
        let error = error(decoding: Thing.self, from: value)
        XCTAssertEqual(error?.code, .typeMismatch)
        XCTAssertEqual(error?.description, #"field 'items[1].count': expected int, got string "two""#)
    }

    func testDecode_nullForRequiredField_saysNull() {
        var value = valid
        value["uri"] = .null
        XCTAssertEqual(error(decoding: Thing.self, from: value)?.description, "field 'uri': expected string, got null")
        value["uri"] = "u"
        value["owner"] = .null
        let owner = error(decoding: Thing.self, from: value)
        XCTAssertEqual(owner?.code, .null)
        XCTAssertEqual(owner?.description, "field 'owner': expected object, got null")
    }

    func testDecode_topLevelOfWrongType_saysTopLevel() {
        XCTAssertEqual(error(decoding: Thing.self, from: [1, 2])?.description, "top-level value: expected object, got array [1,2]")
    }

    func testDecode_integers_acceptWholeDoublesAndCheckRange() throws {
        XCTAssertEqual(try decoder.decode(Int.self, from: 2.0), 2)
        XCTAssertEqual(try decoder.decode([Int8].self, from: [127, -128]), [127, -128])
        XCTAssertEqual(error(decoding: Int.self, from: 2.5)?.description, "top-level value: expected int, got double 2.5")
        XCTAssertEqual(error(decoding: [UInt8].self, from: [1, 300])?.description, "field '[1]': expected UInt8, got int 300")
        XCTAssertEqual(error(decoding: Bool.self, from: 1)?.description, "top-level value: expected bool, got int 1")
    }

    func testDecode_doubles_acceptIntegers() throws {
        XCTAssertEqual(try decoder.decode([Double].self, from: [1, 2.5]), [1, 2.5])
        XCTAssertEqual(try decoder.decode(Float.self, from: 0.1), 0.1)
    }

    func testDecode_datesInCommonISO8601Forms() throws {
        // Right-hand sides: datetime.fromisoformat(text).timestamp() in Python 3.11 (naive as UTC).
        let cases: [(String, TimeInterval)] = [
            ("2026-11-29T13:59:25.420000+00:00", 1795960765.42),
            ("2026-11-29T13:59:25Z", 1795960765),
            ("2026-11-29T13:59:25.42+01:30", 1795955365.42),
            ("2026-11-29T13:59:25,5-0500", 1795978765.5),
            ("2026-11-29T13:59:25.123456789Z", 1795960765.123456),
            ("2026-11-29T13:59:25+05", 1795942765),
            ("2026-11-29 13:59", 1795960740),
            ("2026-11-29", 1795910400),
            ("2024-02-29T00:00:00", 1709164800),
        ]
        for (text, interval) in cases {
            let date = try decoder.decode(Date.self, from: .string(text))
            XCTAssertEqual(date.timeIntervalSince1970, interval, accuracy: 1e-6, text)
        }
    }

    func testDecode_malformedDate_namesTheFieldAndTheText() {
        struct Event: Decodable { var at: Date }
        for text in ["yesterday", "2026-02-30", "2026-11-29T25:00", "2026-11-29T13:59:25+", "2026-11-29T13:59:25.", "2026-11-29X"] {
            let error = error(decoding: Event.self, from: ["at": .string(text)])
            XCTAssertEqual(error?.code, .invalidValue, text)
            XCTAssertEqual(error?.description, "field 'at': expected ISO 8601 date-time, got string \"\(text)\"")
        }
        XCTAssertEqual(error(decoding: Event.self, from: ["at": 5])?.description, "field 'at': expected ISO 8601 date-time, got int 5")
    }

    func testDecode_dateRoundTripsThroughTheEncoderToTheMicrosecond() throws {
        for interval in [1795960765.42, 0, -1.5, 1795960765.000001, 1795960765.999999, 253402300799.5] {
            let date = Date(timeIntervalSince1970: interval)
            let back = try decoder.decode(Date.self, from: try JSONValueEncoder().encode(date))
            XCTAssertEqual(back.timeIntervalSince1970, interval, accuracy: 5e-7, "\(interval)")
        }
    }

    func testDecode_uuidDataURL() throws {
        struct Blob: Codable, Equatable { var id: UUID; var bytes: Data; var link: URL }
        let blob = try decoder.decode(Blob.self, from: ["id": "9f2b3c4d-0000-4000-8000-00000000abcd", "bytes": "AAEC+g==",
                                                        "link": "http://example.com/x"])
        XCTAssertEqual(blob, Blob(id: UUID(uuidString: "9F2B3C4D-0000-4000-8000-00000000ABCD")!, bytes: Data([0, 1, 2, 250]),
                                  link: URL(string: "http://example.com/x")!))
        XCTAssertEqual(error(decoding: Blob.self, from: ["id": "nope", "bytes": "", "link": "x"])?.description,
                       #"field 'id': expected UUID, got string "nope""#)
    }

    func testDecode_jsonValueAndObjectMembersKeepOrder() throws {
        struct Audit: Decodable { var details: JSONValue; var extra: JSONObject }
        let audit = try decoder.decode(Audit.self, from: ["details": ["b": 1, "a": [nil]], "extra": ["z": 1, "y": 2]])
        XCTAssertEqual(audit.details, ["b": 1, "a": [nil]])
        XCTAssertEqual(audit.extra.keys, ["z", "y"])
        XCTAssertEqual(error(decoding: Audit.self, from: ["details": 1, "extra": 2])?.description, "field 'extra': expected object, got int 2")
    }

    func testDecode_enumWithAssociatedValuesRoundTrips() throws {
        let shapes: [Shape] = [.circle(radius: 1), .square(side: 2, label: "s"), .square(side: 3, label: nil), .point]
        XCTAssertEqual(try decoder.decode([Shape].self, from: try JSONValueEncoder().encode(shapes)), shapes)
    }

    func testDecode_decodingErrorThrownByATypeBecomesAPathedError() {
        struct Positive: Decodable {
            var value: Int
            enum CodingKeys: String, CodingKey { case value }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                value = try container.decode(Int.self, forKey: .value)
                guard value > 0 else {
                    throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "must be positive")
                }
            }
        }
        let error = error(decoding: [String: [Positive]].self, from: ["list": [["value": 1], ["value": -1]]])
        XCTAssertEqual(error?.path, "list[1].value")
        XCTAssertEqual(error?.description, "field 'list[1].value': must be positive")
    }

    func testDecode_matchesFoundationJSONDecoder() throws {
        let text = #"{"uri": "http://things/\u00e9", "count": 3, "ratio": 0.1, "active": false, "owner": {"name": "n", "email": "e"}, "items": []}"#
        let foundation = try JSONDecoder().decode(Thing.self, from: Data(text.utf8))
        XCTAssertEqual(try decoder.decode(Thing.self, from: JSONParser.parse(text)), foundation)
    }

    func testJSONValueCodable_roundTripsThroughFoundation() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", true, nil], "b": ["c": [:]]]
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: data), value)
    }
}
