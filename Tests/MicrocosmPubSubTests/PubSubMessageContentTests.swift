import Microcosm
import MicrocosmPubSub
import XCTest

final class PubSubMessageContentTests: XCTestCase {
    private let registry = PubSubMessageSchemaRegistry()
    private let text = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"X-Request-Id": "req-1", "x-count": 2}, "uri": "http://x/1", "extra": [1]}"#

    func testFields_leaveOutTheBaseFields() throws {
        let content = try registry.decode(text)
        XCTAssertEqual(content.fields.keys, ["uri", "extra"])
        XCTAssertEqual(content["uri"], "http://x/1")
        XCTAssertNil(content["mediaType"])
        XCTAssertNil(content["opaqueData"])
        XCTAssertEqual(content.uri, "http://x/1")
    }

    func testOpaqueValues_areCaseInsensitiveStrings() throws {
        let content = try registry.decode(text)
        XCTAssertEqual(content.opaqueValues["x-request-id"], "req-1")
        XCTAssertEqual(content.opaqueValues["X-COUNT"], "2")
        XCTAssertTrue(PubSubMessageContent(mediaType: .json).opaqueValues.isEmpty)
    }

    func testDecode_toAnotherType_readsTheFields() throws {
        struct Extra: Decodable, Equatable { var extra: [Int] }
        XCTAssertEqual(try registry.decode(text).decode(Extra.self), Extra(extra: [1]))
    }

    func testDecode_failure_namesTheMediaTypeAndTheField() {
        struct Needs: Decodable { var size: Int }
        XCTAssertThrowsError(try registry.decode(text).decode(Needs.self)) { error in
            XCTAssertEqual((error as? PubSubMessageError)?.field, "size")
            XCTAssertEqual("\(error)", "invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'size' is missing (expected int)")
        }
    }

    func testChangingFields_isSeenByDecode() throws {
        var content = try registry.decode(text)
        XCTAssertEqual(try content.decode(URIMessage.self).uri, "http://x/1")
        content["uri"] = "http://x/2"
        XCTAssertEqual(try content.decode(URIMessage.self).uri, "http://x/2")
        content.fields = ["uri": "http://x/3"]
        XCTAssertEqual(try content.decode(URIMessage.self).uri, "http://x/3")
        content["mediaType"] = "ignored"
        XCTAssertEqual(content.mediaType, .created("FooBar"))
    }

    func testEquality_comparesMediaTypeOpaqueDataAndFields() throws {
        let decoded = try registry.decode(text)
        let built = PubSubMessageContent(mediaType: .created("FooBar"), fields: ["extra": [1], "uri": "http://x/1"],
                                         opaqueData: ["x-count": 2, "X-Request-Id": "req-1"])
        XCTAssertEqual(decoded, built)
        XCTAssertEqual(decoded.hashValue, built.hashValue)
        XCTAssertNotEqual(decoded, PubSubMessageContent(mediaType: .created("FooBar"), fields: ["uri": "http://x/1"]))
    }

    func testJSONObject_isTheWholeMessageInWireOrder() throws {
        let content = PubSubMessageContent(mediaType: .created("FooBar"), fields: ["uri": "u"], opaqueData: ["a": "b"])
        XCTAssertEqual(content.jsonObject.keys, ["mediaType", "opaqueData", "uri"])
        XCTAssertEqual(content.description, #"{"mediaType":"application/vnd.globality.pubsub._.created.foo_bar","opaqueData":{"a":"b"},"uri":"u"}"#)
    }
}
