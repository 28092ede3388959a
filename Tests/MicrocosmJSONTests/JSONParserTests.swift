import MicrocosmJSON
import XCTest

final class JSONParserTests: XCTestCase {
    func testParse_scalarsAndNesting() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2, 3.5, true, false, null], "b": {"c": "d"}, "e": 1e3} "#)
        XCTAssertEqual(value["a"], [1, -2, 3.5, true, false, nil])
        XCTAssertEqual(value["b"]?["c"], "d")
        XCTAssertEqual(value["e"], .double(1000))
    }

    func testParse_keepsKeyOrder() throws {
        let value = try JSONParser.parse(#"{"zeta": 1, "alpha": 2, "mid": 3}"#)
        XCTAssertEqual(value.objectValue?.keys, ["zeta", "alpha", "mid"])
    }

    func testParse_integersStayIntegersUntilTheyOverflow() throws {
        XCTAssertEqual(try JSONParser.parse("9223372036854775807"), .int(Int.max))
        XCTAssertEqual(try JSONParser.parse("-9223372036854775808"), .int(Int.min))
        XCTAssertEqual(try JSONParser.parse("9223372036854775808"), .double(9223372036854775808))
        XCTAssertEqual(try JSONParser.parse("-0"), .int(0))
        XCTAssertEqual(try JSONParser.parse("1.0"), .double(1))
    }

    func testParse_decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#)
        XCTAssertEqual(value, .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀"))
    }

    func testParse_escapedStrings_keepTheTextAroundEachEscape() throws {
        XCTAssertEqual(try JSONParser.parse(#""\"""#), .string("\""))
        XCTAssertEqual(try JSONParser.parse(#""é\nü and more plain text\t😀 after""#), .string("é\nü and more plain text\t😀 after"))
        XCTAssertEqual(try JSONParser.parse(#""{\"mediaType\": \"x\", \"opaqueData\": {\"x-request-id\": \"req-123\"}}""#),
                       .string(#"{"mediaType": "x", "opaqueData": {"x-request-id": "req-123"}}"#))
        // Lone surrogates become U+FFFD; a high surrogate before another escape keeps that escape.
        XCTAssertEqual(try JSONParser.parse(#""a\ud800b\udc00c\ud800\u0041d""#), .string("a\u{FFFD}b\u{FFFD}c\u{FFFD}Ad"))
        XCTAssertEqual(try JSONParser.parse(#""\u0000\u007f\u0800\uffff""#), .string("\u{0}\u{7F}\u{800}\u{FFFF}"))
        let long = String(repeating: "plain ", count: 100)
        XCTAssertEqual(try JSONParser.parse("\"\(long)\\n\(long)\""), .string(long + "\n" + long))
    }

    func testParse_escapedStrings_rejectBadEndsAndControlCharacters() {
        for text in [#""a\"#, #""a\"b"#, #""a\n"#, "\"a\\n\u{1}\"", "\"a\\nb\nc\"", #""a\u12"#, #""a\u12zz""#, #""a\nb\q""#] {
            XCTAssertThrowsError(try JSONParser.parse(text), "accepted \(text.debugDescription)")
        }
        XCTAssertThrowsError(try JSONParser.parse("\"ab\\ncd\u{1}\"")) { error in
            XCTAssertEqual("\(error)", "invalid JSON at line 1, column 8: control character in string (escape it)")
        }
        XCTAssertThrowsError(try JSONParser.parse(#""ab\ncd"#)) { error in
            XCTAssertEqual("\(error)", "invalid JSON at line 1, column 1: unterminated string")
        }
    }

    func testParse_acceptsPythonNonFiniteNumbers() throws {
        XCTAssertEqual(try JSONParser.parse("Infinity"), .double(.infinity))
        XCTAssertEqual(try JSONParser.parse("-Infinity"), .double(-.infinity))
        XCTAssertTrue(try JSONParser.parse("NaN").doubleValue!.isNaN)
    }

    func testParse_whenInvalid_reportsLineAndColumn() {
        let text = "{\n  \"a\": 1,\n  \"b\" 2\n}"
        XCTAssertThrowsError(try JSONParser.parse(text)) { error in
            let parseError = error as! JSONParseError
            XCTAssertEqual(parseError.line, 3)
            XCTAssertEqual(parseError.column, 7)
            XCTAssertEqual(parseError.description, "invalid JSON at line 3, column 7: expected ':' after object key, found '2'")
        }
    }

    func testParse_rejectsMalformedInput() {
        for text in ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "1e", "\"abc", "tru", "nul", "[1 2]", "{1: 2}", "\"\u{1}\"", "\"\\x\"", "1 2"] {
            XCTAssertThrowsError(try JSONParser.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testParse_rejectsNestingDeeperThanTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nesting deeper than 512"))
        }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertNoThrow(try JSONParser.parse(fine))
    }

    func testParse_bytesAndStringAgree() throws {
        let text = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "n": [1, 2]}"#
        XCTAssertEqual(try JSONParser.parse(Array(text.utf8)), try JSONParser.parse(text))
    }
}
