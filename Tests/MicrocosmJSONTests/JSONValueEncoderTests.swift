import Foundation
import MicrocosmJSON
import XCTest

final class JSONValueEncoderTests: XCTestCase {
    private struct Owner: Codable, Equatable {
        var name: String
        var email: String?
    }

    private struct Thing: Codable, Equatable {
        var zeta: String
        var alpha: Int
        var middle: Double
        var flag: Bool
        var note: String?
        var tags: [String]
        var owner: Owner
    }

    private enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int, label: String?)
        case point
    }

    private let encoder = JSONValueEncoder()

    private func python<T: Encodable>(_ value: T) throws -> String {
        JSONSerializer.python.string(try encoder.encode(value))
    }

    func testEncode_writesKeysInDeclarationOrder() throws {
        let thing = Thing(zeta: "z", alpha: 1, middle: 2.5, flag: true, note: "n", tags: ["a", "b"],
                          owner: Owner(name: "o", email: "o@example.com"))
        XCTAssertEqual(try python(thing),
                       #"{"zeta": "z", "alpha": 1, "middle": 2.5, "flag": true, "note": "n", "tags": ["a", "b"], "owner": {"name": "o", "email": "o@example.com"}}"#)
    }

    func testEncode_omitsNilOptionals() throws {
        let thing = Thing(zeta: "z", alpha: 1, middle: 1, flag: false, note: nil, tags: [], owner: Owner(name: "o", email: nil))
        XCTAssertEqual(try python(thing), #"{"zeta": "z", "alpha": 1, "middle": 1.0, "flag": false, "tags": [], "owner": {"name": "o"}}"#)
    }

    func testEncode_explicitNilIsNull() throws {
        struct Explicit: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: JSONCodingKeys.self)
                try container.encodeNil(forKey: JSONCodingKeys("gone"))
            }
        }
        XCTAssertEqual(try python(Explicit()), #"{"gone": null}"#)
    }

    func testEncode_dateAsPythonIsoformatOfAwareUTCDatetime() throws {
        // Right-hand sides: datetime.fromtimestamp(t, tz=timezone.utc).isoformat() in Python 3.11.
        // (No exact half-microsecond cases: Date keeps seconds since 2001, so those are not exact.)
        let cases: [(TimeInterval, String)] = [
            (1795960765.42, "2026-11-29T13:59:25.420000+00:00"),
            (0, "1970-01-01T00:00:00+00:00"),
            (-1.5, "1969-12-31T23:59:58.500000+00:00"),
            (1709164800.000001, "2024-02-29T00:00:00.000001+00:00"),
            (1795960765.4200006, "2026-11-29T13:59:25.420001+00:00"),
            (253402300799, "9999-12-31T23:59:59+00:00"),
            (-62135596800, "0001-01-01T00:00:00+00:00"),
            (1e-6, "1970-01-01T00:00:00.000001+00:00"),
            (5e-7, "1970-01-01T00:00:00+00:00"),
            (1795960765.1234567, "2026-11-29T13:59:25.123457+00:00"),
        ]
        for (interval, python) in cases {
            XCTAssertEqual(try encoder.encode(Date(timeIntervalSince1970: interval)), .string(python), "\(interval)")
        }
    }

    func testEncode_dateOutsidePythonYears_throwsNamingThePath() {
        struct Event: Encodable { var at: Date }
        XCTAssertThrowsError(try encoder.encode([Event(at: Date(timeIntervalSince1970: 253402300800))])) { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.codingPath.map(\.intValue), [0, nil])
            XCTAssertEqual(context.codingPath.last?.stringValue, "at")
            XCTAssertTrue(context.debugDescription.contains("1...9999"), context.debugDescription)
        }
    }

    func testEncode_uuidDataAndURLAsPythonWritesThem() throws {
        struct Blob: Encodable { var id: UUID; var bytes: Data; var link: URL }
        let blob = Blob(id: UUID(uuidString: "9F2B3C4D-0000-4000-8000-00000000ABCD")!, bytes: Data([0, 1, 2, 250]),
                        link: URL(string: "http://example.com/things/1?x=1")!)
        XCTAssertEqual(try python(blob),
                       #"{"id": "9f2b3c4d-0000-4000-8000-00000000abcd", "bytes": "AAEC+g==", "link": "http://example.com/things/1?x=1"}"#)
    }

    func testEncode_floatUsesItsShortestText() throws {
        XCTAssertEqual(try encoder.encode([Float(0.1), 1.5]), [0.1, 1.5])
    }

    func testEncode_integerAboveIntMax_throwsNamingTheKey() {
        struct Big: Encodable { var count: UInt64 }
        XCTAssertThrowsError(try encoder.encode(Big(count: .max))) { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.codingPath.map(\.stringValue), ["count"])
        }
        XCTAssertEqual(try encoder.encode(["count": UInt64(7)]), ["count": 7])
    }

    func testEncode_jsonValueAndObjectMembersAreWrittenAsTheyAre() throws {
        struct Audit: Encodable { var details: JSONValue; var extra: JSONObject }
        let audit = Audit(details: ["b": [1, nil], "a": "x"], extra: ["z": 1, "y": 2])
        XCTAssertEqual(try python(audit), #"{"details": {"b": [1, null], "a": "x"}, "extra": {"z": 1, "y": 2}}"#)
    }

    func testEncode_enumWithAssociatedValuesUsesNestedContainersInOrder() throws {
        XCTAssertEqual(try python([Shape.circle(radius: 1), .square(side: 2, label: nil), .point]),
                       #"[{"circle": {"radius": 1.0}}, {"square": {"side": 2}}, {"point": {}}]"#)
    }

    func testEncode_nestedContainersKeepTheirPositionAmongMembers() throws {
        struct Custom: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: JSONCodingKeys.self)
                try container.encode("first", forKey: JSONCodingKeys("a"))
                var nested = container.nestedContainer(keyedBy: JSONCodingKeys.self, forKey: JSONCodingKeys("b"))
                var list = container.nestedUnkeyedContainer(forKey: JSONCodingKeys("c"))
                try container.encode("last", forKey: JSONCodingKeys("d"))
                try nested.encode(1, forKey: JSONCodingKeys("inner"))
                try list.encode(true)
                var deeper = list.nestedContainer(keyedBy: JSONCodingKeys.self)
                try deeper.encode("x", forKey: JSONCodingKeys("y"))
                let base = container.superEncoder()
                var single = base.singleValueContainer()
                try single.encode("base")
            }
        }
        XCTAssertEqual(try python(Custom()),
                       #"{"a": "first", "b": {"inner": 1}, "c": [true, {"y": "x"}], "d": "last", "super": "base"}"#)
    }

    func testEncode_codingPathSeenByTheValueNamesWhereItIs() throws {
        final class Recorder: Encodable, @unchecked Sendable {
            var seen: [String] = []
            func encode(to encoder: any Encoder) throws {
                seen.append(encoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: "/"))
                var container = encoder.singleValueContainer()
                try container.encode("r")
            }
        }
        struct Holder: Encodable { var items: [Recorder] }
        let recorder = Recorder()
        _ = try encoder.encode(["outer": Holder(items: [recorder, recorder])])
        XCTAssertEqual(recorder.seen, ["outer/items/[0]", "outer/items/[1]"])
    }

    func testEncodeObject_whenValueIsNotAnObject_throws() {
        XCTAssertThrowsError(try encoder.encodeObject(["a"])) { error in
            XCTAssertTrue("\(error)".contains("array, not an object"), "\(error)")
        }
    }

    func testEncode_matchesFoundationJSONEncoderForPlainValues() throws {
        let thing = Thing(zeta: "é ☃", alpha: -3, middle: 0.1, flag: true, note: nil, tags: ["x"], owner: Owner(name: "o", email: nil))
        let foundation = try JSONParser.parse(Array(JSONEncoder().encode(thing)))
        XCTAssertEqual(try encoder.encode(thing), foundation)
    }
}

/// Any string as a coding key, for hand-written `encode(to:)` in tests.
struct JSONCodingKeys: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
