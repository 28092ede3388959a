@testable import MicrocosmAWS
import XCTest

final class ProfileINIParsingTests: XCTestCase {
    func testParse_readsSectionsKeysAndValuesTrimmingWhitespace() throws {
        let document = try INIDocument.parse("""
            [default]
              \taws_access_key_id = AKIDEFAULT
            aws_secret_access_key=secret   \t
            [profile dev]
            region: eu-west-1
            """)
        XCTAssertEqual(document.sections.map(\.name), ["default", "profile dev"])
        XCTAssertEqual(document[section: "default"]?.values, ["aws_access_key_id": "AKIDEFAULT", "aws_secret_access_key": "secret"])
        XCTAssertEqual(document[section: "profile dev"]?.values, ["region": "eu-west-1"])
    }

    func testParse_skipsCommentsAndBlankLinesButKeepsHashesInsideValues() throws {
        let document = try INIDocument.parse("""
            # a comment
            ; another comment

            [default]   # trailing comment on a header
              # indented comment
            aws_secret_access_key = abc#def;ghi
            """)
        XCTAssertEqual(document[section: "default"]?.values, ["aws_secret_access_key": "abc#def;ghi"])
    }

    func testParse_lowercasesKeysButKeepsSectionNameCase() throws {
        let document = try INIDocument.parse("[Dev]\nAWS_Access_Key_ID = A\n")
        XCTAssertEqual(document[section: "Dev"]?.values, ["aws_access_key_id": "A"])
        XCTAssertNil(document[section: "dev"])
    }

    func testParse_nestedSubsectionsAreKeptApartAndDoNotBreakFollowingKeys() throws {
        let document = try INIDocument.parse("""
            [profile dev]
            s3 =
              max_concurrent_requests = 20
              addressing_style = path
            region = us-west-2
            [services local]
            sqs =
                endpoint_url = http://localhost:4566
            """)
        let dev = try XCTUnwrap(document[section: "profile dev"])
        XCTAssertEqual(dev.values, ["region": "us-west-2"])
        XCTAssertEqual(dev.subsections["s3"], ["max_concurrent_requests": "20", "addressing_style": "path"])
        XCTAssertEqual(document[section: "services local"]?.subsections["sqs"], ["endpoint_url": "http://localhost:4566"])
    }

    func testParse_indentedLineAfterAValueContinuesItAsConfigparserDoes() throws {
        let document = try INIDocument.parse("[a]\nkey = first\n  second\nother = x\n")
        XCTAssertEqual(document[section: "a"]?.values, ["key": "first\nsecond", "other": "x"])
    }

    func testParse_mergesRepeatedSectionsLaterKeysWinning() throws {
        let document = try INIDocument.parse("[a]\nx = 1\ny = 1\n[b]\nz = 1\n[a]\ny = 2\n")
        XCTAssertEqual(document.sections.map(\.name), ["a", "b"])
        XCTAssertEqual(document[section: "a"]?.values, ["x": "1", "y": "2"])
    }

    func testParse_acceptsCRLFLineEndingsAndAByteOrderMark() throws {
        let document = try INIDocument.parse("\u{FEFF}[default]\r\nregion = us-east-1\r\nx = y\r\n")
        XCTAssertEqual(document[section: "default"]?.values, ["region": "us-east-1", "x": "y"])
    }

    func testParse_emptyValueIsKept() throws {
        XCTAssertEqual(try INIDocument.parse("[a]\nkey =\n").sections.first?.values, ["key": ""])
    }

    func testParse_errorsGiveTheLineButNeverTheLineText() {
        let cases: [(String, Int, String)] = [
            ("aws_secret_access_key = SENTINEL-SECRET-KEY\n[default]\n", 1, "before any [section]"),
            ("[default]\n\nSENTINEL-SECRET-KEY\n", 3, "expected 'key = value'"),
            ("[default\nx = 1\n", 1, "closing ']'"),
            ("[]\n", 1, "empty section name"),
            ("[a]\n= SENTINEL-SECRET-KEY\n", 2, "empty key"),
            ("[a] SENTINEL-SECRET-KEY\n", 1, "after the section header"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try INIDocument.parse(text), text) { error in
                guard let error = error as? INIDocument.ParseError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertTrue(error.description.contains(reason), error.description)
                Sentinel.assertAbsent(error.description)
            }
        }
    }
}
