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
