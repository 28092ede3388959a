import MicrocosmJSON
import XCTest

final class JSONSerializerTests: XCTestCase {
    func testPython_matchesJsonDumpsSeparatorsAndOrder() {
        let value: JSONValue = ["mediaType": "application/vnd.globality.pubsub._.created.foo_bar",
                                "opaqueData": ["x-request-id": "req-123"], "uri": "http://example.com/foo_bars/1",
                                "list": [1, 2.5, nil, true], "empty": [:], "none": []]
        XCTAssertEqual(JSONSerializer.python.string(value),
                       #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123"}, "uri": "http://example.com/foo_bars/1", "list": [1, 2.5, null, true], "empty": {}, "none": []}"#)
        XCTAssertEqual(JSONSerializer.compact.string(value),
                       #"{"mediaType":"application/vnd.globality.pubsub._.created.foo_bar","opaqueData":{"x-request-id":"req-123"},"uri":"http://example.com/foo_bars/1","list":[1,2.5,null,true],"empty":{},"none":[]}"#)
    }

    func testPython_escapesLikeEnsureASCII() {
        // Expected values are Python 3's json.dumps output for the same strings.
        XCTAssertEqual(JSONSerializer.python.string("é😀\u{7f}\u{1}\"\\/\n\t"), #""\u00e9\ud83d\ude00\u007f\u0001\"\\/\n\t""#)
        XCTAssertEqual(JSONSerializer.compact.string("é😀\u{1}"), "\"é😀\\u0001\"")
    }

    func testPythonIndented_matchesMotoEnvelopeLayout() {
        let value: JSONValue = ["Type": "Notification", "Message": "m", "MessageAttributes": ["media_type": ["Type": "String", "Value": "x"]]]
        XCTAssertEqual(JSONSerializer.pythonIndented.string(value), """
        {
          "Message": "m",
          "MessageAttributes": {
            "media_type": {
              "Type": "String",
              "Value": "x"
            }
          },
          "Type": "Notification"
        }
        """)
    }

    func testPythonRepr_matchesPythonFloatRepr() {
        // Right-hand sides are Python 3's repr() of the same doubles.
        let cases: [(Double, String)] = [
            (1795960765.3579443, "1795960765.3579443"), (1e15, "1000000000000000.0"), (9.5e15, "9500000000000000.0"),
            (1e16, "1e+16"), (1.2345678901234568e17, "1.2345678901234568e+17"), (0.0001, "0.0001"), (0.00001, "1e-05"),
            (0.00012, "0.00012"), (2e-5, "2e-05"), (1.5, "1.5"), (-0.0, "-0.0"), (0, "0.0"), (100, "100.0"),
            (1e22, "1e+22"), (1.7976931348623157e308, "1.7976931348623157e+308"), (-2.5e-7, "-2.5e-07"),
            (0.1, "0.1"), (1 / 3, "0.3333333333333333"), (12345.678, "12345.678"),
            (Double.leastNonzeroMagnitude, "5e-324"), (2.2250738585072014e-308, "2.2250738585072014e-308"), (9.999999999999999e-5, "9.999999999999999e-05"),
            (9007199254740992, "9007199254740992.0"), (9999999999999998, "9999999999999998.0"), (-1e100, "-1e+100"),
            (-123.0, "-123.0"), (0.5, "0.5"), (1.5e-300, "1.5e-300"), (123456789.5, "123456789.5"),
        ]
        for (value, python) in cases {
            XCTAssertEqual(JSONSerializer.pythonRepr(value), python, "repr(\(value))")
        }
        XCTAssertEqual(JSONSerializer.pythonRepr(.infinity), "Infinity")
        XCTAssertEqual(JSONSerializer.pythonRepr(.nan), "NaN")
    }

    func testRoundTrip_parseThenSerializeIsIdentityForPythonText() throws {
        // A message body exactly as microcosm-pubsub 3.0.0 wrote it (../shared/wire).
        let text = #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "opaqueData": {"x-request-id": "req-123", "x-request-published": "1795960765.4226165"}, "uri": "http://example.com/foo_bars/1", "field_name": "state", "new_value": "done"}"#
        XCTAssertEqual(JSONSerializer.python.string(try JSONParser.parse(text)), text)
    }

    func testObject_equalityIgnoresOrderButIterationKeepsIt() {
        let a: JSONObject = ["x": 1, "y": 2]
        let b: JSONObject = ["y": 2, "x": 1]
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.hashValue, b.hashValue)
        XCTAssertEqual(a.map(\.key), ["x", "y"])
        XCTAssertEqual(b.map(\.key), ["y", "x"])
        var c = a
        c["x"] = nil
        XCTAssertEqual(c.keys, ["y"])
        c["x"] = 3
        XCTAssertEqual(c.keys, ["y", "x"])
    }
}
