import Microcosm
import XCTest

final class InflectionTests: XCTestCase {
    func testUnderscore_matchesPythonInflection() {
        // Right-hand sides are inflection.underscore() of the same words (inflection 0.5).
        let cases = [
            ("FooBar", "foo_bar"), ("foo_bar", "foo_bar"), ("HTTPServer", "http_server"), ("fooBAR", "foo_bar"),
            ("Foo2Bar", "foo2_bar"), ("foo-bar", "foo_bar"), ("SimpleXMLParser", "simple_xml_parser"), ("ABC", "abc"),
            ("A", "a"), ("already_snake", "already_snake"), ("v2Thing", "v2_thing"), ("ThingAPI", "thing_api"), ("Thing1", "thing1"),
        ]
        for (word, expected) in cases {
            XCTAssertEqual(Inflection.underscore(word), expected, word)
        }
    }
}

final class InflectionTitleizeTests: XCTestCase {
    /// The values Python's inflection 0.5.1 `titleize` gives (microcosm-pubsub names handlers so).
    func testTitleize_asPythonsInflection() {
        let expected = ["ShipOrderHandler": "Ship Order Handler", "URIHandler": "Uri Handler", "function": "Function",
                        "OrderId": "Order", "Foo<Bar>": "Foo<Bar>", "Handler2go": "Handler2Go", "HTTPServer": "Http Server",
                        "ThingIDHandler": "Thing Id Handler"]
        for (word, title) in expected {
            XCTAssertEqual(Inflection.titleize(word), title, word)
        }
    }
}

final class InflectionASCIIPathTests: XCTestCase {
    /// The byte path gives exactly what the `Character` path gives, on every word of up to four
    /// pieces made of the letters, digits and separators the rules look at (and `\r\n`, one
    /// `Character` of two bytes).
    func testUnderscore_onEveryShortASCIIWord_equalsTheCharacterPath() {
        let pieces = ["A", "Z", "a", "z", "0", "9", "-", "_", "::", " ", "\r\n", "\n", "@", "[", "`", "{"]
        var words = [""]
        var last = [""]
        for _ in 1...4 {
            last = last.flatMap { word in pieces.map { word + $0 } }
            words += last
        }
        XCTAssertEqual(words.count, 69_905)
        for word in words {
            XCTAssertEqual(Inflection.asciiUnderscore(word), Inflection.underscoreByCharacter(word), word.debugDescription)
        }
    }

    func testUnderscore_whenNotASCII_takesTheCharacterPath() {
        let words = ["ÀBc", "FooÉtéBar", "A\u{301}B", "Foo\u{301}Bar", "ÆRing", "ＡＢc", "Foo🙂Bar", "ﬁBar"]
        for word in words {
            XCTAssertNil(Inflection.asciiUnderscore(word), word)
            XCTAssertEqual(Inflection.underscore(word), Inflection.underscoreByCharacter(word), word)
        }
        // Non-ASCII letters neither split nor are split after, but are lower-cased, as before.
        XCTAssertEqual(Inflection.underscore("FooÉtéBar"), "fooétébar")
    }

    func testUnderscore_edgeCases() {
        XCTAssertEqual(Inflection.underscore(""), "")
        XCTAssertEqual(Inflection.underscore("-"), "_")
        XCTAssertEqual(Inflection.underscore("AB-Cd"), "ab_cd")
        XCTAssertEqual(Inflection.underscore("a\r\nB"), "a\r\nb")
        XCTAssertEqual(Inflection.underscore(String(repeating: "Ab", count: 500)),
                       Inflection.underscoreByCharacter(String(repeating: "Ab", count: 500)))
    }
}

