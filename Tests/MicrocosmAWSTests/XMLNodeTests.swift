@testable import MicrocosmAWS
import XCTest

final class XMLNodeTests: XCTestCase {
    func testParse_snsPublishReply_readsValuesByPath() throws {
        let reply = try XMLNode.parse("""
            <?xml version="1.0"?>
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult>
                <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
              </PublishResult>
              <ResponseMetadata>
                <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
              </ResponseMetadata>
            </PublishResponse>
            """)
        XCTAssertEqual(reply.name, "PublishResponse")
        XCTAssertEqual(reply.attributes["xmlns"], "http://sns.amazonaws.com/doc/2010-03-31/")
        XCTAssertEqual(reply.value("PublishResult/MessageId"), "567910cd-659e-55d4-8ccb-5aaf14679dc0")
        XCTAssertEqual(reply.value("ResponseMetadata/RequestId"), "d74b8436-ae13-5ab4-a9ff-ce54dfea72a0")
        XCTAssertNil(reply.value("PublishResult/SequenceNumber"))
        XCTAssertNil(reply["Nothing/Here"])
        XCTAssertEqual(reply[""]?.name, "PublishResponse")
    }

    func testNodes_publishBatchReply_returnsEveryMemberInOrder() throws {
        // moto's shape: no prologue, members on one line.
        let reply = try XMLNode.parse("""
            <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>\
            <Successful><member><Id>1</Id><MessageId>m-1</MessageId></member><member><Id>2</Id><MessageId>m-2</MessageId></member></Successful>\
            <Failed><member><Id>3</Id><Code>InvalidParameter</Code><Message>bad</Message><SenderFault>true</SenderFault></member></Failed>\
            </PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>
            """)
        XCTAssertEqual(reply.nodes("PublishBatchResult/Successful/member").map { $0.value("Id") }, ["1", "2"])
        XCTAssertEqual(reply.nodes("PublishBatchResult/Failed/member").map { $0.value("Code") }, ["InvalidParameter"])
        XCTAssertEqual(reply.nodes("PublishBatchResult/Missing/member"), [])
        XCTAssertEqual(reply.firstDescendant(named: "SenderFault")?.text, "true")
    }

    func testParse_decodesReferencesCDATAAndKeepsWhitespaceInText() throws {
        let node = try XMLNode.parse(
            "<a note='x &amp; &quot;y&quot;'><b>1 &lt; 2 &gt; 0 &apos;&#65;&#x42;&#x1F600;&apos;</b><c><![CDATA[<raw> & stuff]]></c><d>  spaced\n</d><e/></a>")
        XCTAssertEqual(node.attributes["note"], "x & \"y\"")
        XCTAssertEqual(node.value("b"), "1 < 2 > 0 'AB😀'")
        XCTAssertEqual(node.value("c"), "<raw> & stuff")
        XCTAssertEqual(node.value("d"), "  spaced\n")
        XCTAssertEqual(node.value("e"), "")
        XCTAssertEqual(node.children.map(\.name), ["b", "c", "d", "e"])
    }

    func testParse_dropsNamespacePrefixesAndSkipsCommentsAndInstructions() throws {
        let node = try XMLNode.parse(
            "\u{FEFF}<!-- before --><?pi data?><s:Envelope xmlns:s='urn:x'><!-- inside --><s:Body>ok</s:Body></s:Envelope>\n")
        XCTAssertEqual(node.name, "Envelope")
        XCTAssertEqual(node.value("Body"), "ok")
        XCTAssertEqual(node.attributes["xmlns:s"], "urn:x")
    }

    func testPaths_nonASCIINamesPrefixesAndExtraSlashes_matchByLocalName() throws {
        let node = try XMLNode.parse("<ns:Résumé xmlns:ns='urn:x'><é:Entrée>1</é:Entrée><Entrée>2</Entrée><a:b:c>3</a:b:c></ns:Résumé>")
        XCTAssertEqual(node.name, "Résumé")
        XCTAssertEqual(node.children.map(\.name), ["Entrée", "Entrée", "c"])
        XCTAssertEqual(node.value("Entrée"), "1")
        XCTAssertEqual(node.value("/Entrée/"), "1")
        XCTAssertEqual(node.nodes("Entrée").map(\.text), ["1", "2"])
        XCTAssertEqual(node.nodes("//Entrée").map(\.text), ["1", "2"])
        XCTAssertEqual(node.value("c"), "3")
        XCTAssertNil(node.value("Entree"))
        XCTAssertNil(node.value("Entrée/c"))
    }

    func testParse_keepsNonASCIIText() throws {
        XCTAssertEqual(try XMLNode.parse("<m>Grüße, 世界</m>").text, "Grüße, 世界")
    }

    func testParse_rejectsMalformedDocumentsSayingWhy() {
        let cases: [(String, String)] = [
            ("", "no root element"),
            ("<a><b></a>", "does not match"),
            ("<a>", "never closed"),
            ("</a>", "without a start tag"),
            ("<a/><b/>", "second root"),
            ("text<a/>", "outside the root"),
            ("<a>&bogus;</a>", "unknown reference"),
            ("<a>AT&T</a>", "'&'"),
            ("<a b=c/>", "quoted value"),
            ("<a b='1'c='2'/>", "whitespace before an attribute"),
            ("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "DOCTYPE"),
            ("<a><!-- open</a>", "unterminated comment"),
            ("<a><![CDATA[ open</a>", "unterminated CDATA"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try XMLNode.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }

    func testParse_rejectsNestingBeyondTheLimit() throws {
        let depth = XMLReader.maximumDepth
        XCTAssertNoThrow(try XMLNode.parse(String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)))
        let tooDeep = String(repeating: "<a>", count: depth + 1) + String(repeating: "</a>", count: depth + 1)
        XCTAssertThrowsError(try XMLNode.parse(tooDeep)) { error in
            XCTAssertTrue("\(error)".contains("nesting deeper"), "\(error)")
        }
    }
}
