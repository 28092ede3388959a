import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The convention schemas' direct path writes the same bytes (or the same error) as decoding the
/// fields into the schema's type and encoding it again.
final class PubSubMessageCodecConventionTests: XCTestCase {
    private static let strings = ["http://example.com/foo_bars/1", "", "ünïcödé 日本語 🙂", "quote\" back\\ slash/", "line\nfeed\ttab\r",
                                  "\u{0}\u{1}\u{1f}\u{7f}", "\u{2028}\u{2029}", "e\u{301}", "{\"not\": \"json\"}", String(repeating: "x", count: 2000)]
    private static let others: [JSONValue] = [.null, .int(7), .double(0.5), .bool(false), .array([.string("uri")]),
                                              .object(["uri": .string("nested")])]
    private static let keys = ["uri", "field_name", "new_value", "id", "fieldName", "newValue", "URI", "mediaType", "opaqueData", "extra"]

    /// Outcome of encoding, either path: the text or the error's description.
    private func outcome(_ codec: PubSubMessageCodec, _ mediaType: MediaType, _ fields: JSONObject, _ opaqueData: JSONObject?,
                         conventionPath: Bool) -> String {
        do {
            return try codec.encode(mediaType, fields: fields, opaqueData: opaqueData, conventionPath: conventionPath)
        } catch {
            return "error: \(error)"
        }
    }

    func testConventionPath_onManyFields_writesWhatTheGeneralPathWrites() throws {
        let values: [JSONValue] = Self.strings.map(JSONValue.string) + Self.others
        let mediaTypes: [MediaType] = [.created("FooBar"), .changed("FooBar"), .deleted("FooBar"), .created("Ünï"),
                                       MediaType("application/vnd.globality.pubsub._.changed.foo_bar.state")]
        let schemas: [PubSubMessageSchema] = [.uri, .changedURI, .identity]
        let opaques: [JSONObject?] = [nil, [:], ["x-request-id": "req-1", "x-request-published": "1795960765.3579443"],
                                      ["ÜBER": .string("é\n"), "n": .int(3), "o": .object(["a": .array([.null, .bool(true)])])]]
        var taken = 0, cases = 0
        for round in 0..<4000 {
            // A spread of field sets: each key absent or one of the values, chosen by mixing the round number.
            var mix = UInt64(round + 1) &* 0x9E37_79B9_7F4A_7C15
            var fields = JSONObject()
            for key in Self.keys {
                mix = (mix ^ (mix >> 29)) &* 0xBF58_476D_1CE4_E5B9
                let pick = Int(mix >> 40) % (values.count + 4)
                // The schemas' own keys are more often strings, so the direct path is taken often.
                if pick < values.count { fields[key] = values[pick] } else if ["uri", "id", "field_name"].contains(key) {
                    fields[key] = .string(Self.strings[pick % Self.strings.count])
                }
            }
            for schema in schemas {
                let codec = PubSubMessageCodec(schema: schema)
                let mediaType = mediaTypes[(round + cases) % mediaTypes.count]
                let opaqueData = opaques[(round / 3 + cases) % opaques.count]
                XCTAssertEqual(outcome(codec, mediaType, fields, opaqueData, conventionPath: true),
                               outcome(codec, mediaType, fields, opaqueData, conventionPath: false), "\(schema) \(fields)")
                if PubSubMessageCodec.conventionFields(fields, schema: schema) != nil { taken += 1 }
                cases += 1
            }
        }
        XCTAssertEqual(cases, 12_000)
        XCTAssertGreaterThan(taken, 3000, "the direct path should be taken often")
        XCTAssertLessThan(taken, cases, "the general path should be taken too")
    }

    func testConventionPath_takesOnlyPlainStrings() {
        XCTAssertEqual(PubSubMessageCodec.conventionFields(["uri": "u", "x": 1], schema: .uri), ["uri": "u"])
        XCTAssertNil(PubSubMessageCodec.conventionFields(["uri": 1], schema: .uri))
        XCTAssertNil(PubSubMessageCodec.conventionFields([:], schema: .uri))
        XCTAssertEqual(PubSubMessageCodec.conventionFields(["new_value": "v", "uri": "u", "field_name": .null], schema: .changedURI),
                       ["uri": "u", "new_value": "v"])
        XCTAssertNil(PubSubMessageCodec.conventionFields(["uri": "u", "field_name": 3], schema: .changedURI))
        XCTAssertEqual(PubSubMessageCodec.conventionFields(["id": "i", "uri": "u"], schema: .identity), ["id": "i"])
        XCTAssertNil(PubSubMessageCodec.conventionFields(["uri": "u"], schema: .dynamic))
        XCTAssertNil(PubSubMessageCodec.conventionFields(["uri": "u"], schema: .batch))
    }

    func testConventionPath_throughTheRegistry_writesTheSchemaFieldsInOrder() throws {
        // As PubSubMessageCodec(URIMessageSchema()).encode(...) in microcosm-pubsub; ChangedURIMessage in its declaration order.
        let registry = PubSubMessageSchemaRegistry()
        XCTAssertEqual(try registry.encode(.created("FooBar"), fields: ["uri": "http://example.com/foo_bars/1", "extra": 1],
                                           opaqueData: ["x-request-id": "req-123"]),
                       #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123"}, "uri": "http://example.com/foo_bars/1"}"#)
        XCTAssertEqual(try registry.encode(.changed("FooBar"), fields: ["new_value": "ü", "field_name": "name", "uri": "u"]),
                       #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "uri": "u", "field_name": "name", "new_value": "\u00fc"}"#)
    }
}
