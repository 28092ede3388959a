import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

final class PubSubMessageCodecTests: XCTestCase {
    private let registry = PubSubMessageSchemaRegistry()
    private let created = MediaType.created("FooBar")

    private func error(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> PubSubMessageError? {
        do {
            try body()
            XCTFail("no error", file: file, line: line)
        } catch let error as PubSubMessageError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: Encoding

    func testEncode_writesWhatPythonCodecWrites() throws {
        // PubSubMessageCodec(URIMessageSchema()).encode(media_type=..., uri=..., opaque_data=...) in Python.
        let text = try registry.encode(created, fields: ["uri": "http://example.com/foo_bars/1"],
                                       opaqueData: ["x-request-id": "req-123", "x-request-published": "1795960765.3579443"])
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123", "x-request-published": "1795960765.3579443"}, "uri": "http://example.com/foo_bars/1"}"#)
    }

    func testEncode_withoutOpaqueData_leavesItOut() throws {
        XCTAssertEqual(try registry.encode(URIMessage(uri: "u"), as: created),
                       #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "uri": "u"}"#)
        XCTAssertEqual(try registry.encode(URIMessage(uri: "u"), as: created, opaqueData: [:]),
                       #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {}, "uri": "u"}"#)
    }

    func testEncode_writesOnlyTheSchemaFieldsInSchemaOrder() throws {
        let text = try registry.encode(.changed("FooBar"), fields: ["new_value": "done", "extra": 1, "uri": "u", "field_name": "state"])
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "uri": "u", "field_name": "state", "new_value": "done"}"#)
        XCTAssertEqual(try registry.encode(.changed("FooBar"), fields: ["uri": "u"]),
                       #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "uri": "u"}"#)
    }

    func testEncode_escapesAsJsonDumps() throws {
        let text = try registry.encode(created, fields: ["uri": "http://example.com/é/\"x\""], opaqueData: ["x-note": "☃"])
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-note": "\u2603"}, "uri": "http://example.com/\u00e9/\"x\""}"#)
    }

    func testEncode_missingRequiredField_namesTheMediaTypeAndTheField() {
        let error = error { _ = try registry.encode(.deleted("FooBar"), fields: ["uri": "u"]) }
        XCTAssertEqual(error?.code, .invalidContent)
        XCTAssertEqual(error?.mediaType, .deleted("FooBar"))
        XCTAssertEqual(error?.field, "id")
        XCTAssertEqual(error?.description,
                       "invalid message of media type 'application/vnd.globality.pubsub._.deleted.foo_bar': field 'id' is missing (expected string)")
    }

    func testEncode_fieldOfWrongType_namesTheFieldAndTypes() {
        let error = error { _ = try registry.encode(created, fields: ["uri": 5]) }
        XCTAssertEqual(error?.field, "uri")
        XCTAssertEqual(error?.description,
                       "invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'uri': expected string, got int 5")
        XCTAssertEqual(self.error { _ = try registry.encode(created, fields: ["uri": nil]) }?.description,
                       "invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'uri': expected string, got null")
    }

    func testEncode_batchEntryMissingAField_namesItsPath() {
        let entry: JSONValue = ["media_type": "m", "message": "{}", "topic_arn": "arn", "opaque_data": [:]]
        let error = error { _ = try registry.encode(BatchMessage.mediaType, fields: ["messages": [entry]]) }
        XCTAssertEqual(error?.field, "messages[0].message_attributes")
    }

    func testEncode_typedValueOfTheSchemaType_writesDeclarationOrder() throws {
        let codec = PubSubMessageCodec(schema: .changedURI)
        let text = try codec.encode(ChangedURIMessage(uri: "u", fieldName: "f", newValue: "v"), as: .changed("FooBar"))
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "uri": "u", "field_name": "f", "new_value": "v"}"#)
    }

    func testEncode_typedValueOfAnotherType_isCheckedAgainstTheSchema() {
        struct NoURI: Encodable { var name = "x" }
        let error = error { _ = try PubSubMessageCodec(schema: .uri).encode(NoURI(), as: created) }
        XCTAssertEqual(error?.code, .invalidContent)
        XCTAssertEqual(error?.field, "uri")
    }

    func testEncode_valueJSONCannotHold_isAnEncodingFailureNamingTheField() {
        struct Counter: PubSubMessage {
            static let mediaType: MediaType = "application/vnd.acme.counter"
            var count: UInt64
        }
        let error = error { _ = try registry.encode(Counter(count: .max)) }
        XCTAssertEqual(error?.code, .encodingFailed)
        XCTAssertEqual(error?.field, "count")
        XCTAssertTrue(error?.description.hasPrefix("cannot encode message of media type 'application/vnd.acme.counter': field 'count': ") ?? false,
                      error?.description ?? "")
    }

    func testEncode_dynamicSchema_writesEveryFieldButNeverTheBaseFieldsTwice() throws {
        let codec = PubSubMessageCodec(schema: .dynamic)
        let text = try codec.encode("application/vnd.acme.note", fields: ["b": 1, "mediaType": "other", "a": [true], "opaqueData": [:]],
                                    opaqueData: ["x-request-id": "r"])
        XCTAssertEqual(text, #"{"mediaType": "application/vnd.acme.note", "opaqueData": {"x-request-id": "r"}, "b": 1, "a": [true]}"#)
    }

    // MARK: Decoding

    func testDecode_readsMediaTypeOpaqueDataAndFields() throws {
        let content = try registry.decode(#"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "opaqueData": {"X-Request-Id": "r", "x-count": 2}, "uri": "u", "field_name": "state", "extra": true}"#)
        XCTAssertEqual(content.mediaType, .changed("FooBar"))
        XCTAssertEqual(content.opaqueData, ["X-Request-Id": "r", "x-count": 2])
        XCTAssertEqual(content.fields.keys, ["uri", "field_name", "extra"])
        XCTAssertEqual(try content.decode(ChangedURIMessage.self), ChangedURIMessage(uri: "u", fieldName: "state"))
    }

    func testDecode_textThatIsNotJSON_saysSo() {
        let error = error { _ = try registry.decode("hello") }
        XCTAssertEqual(error?.code, .notJSON)
        XCTAssertTrue(error?.description.hasPrefix("message is not JSON: invalid JSON at line 1, column 1") ?? false, error?.description ?? "")
    }

    func testDecode_jsonThatIsNotAnObject_saysSo() {
        let error = error { _ = try registry.decode("[1]") }
        XCTAssertEqual(error?.code, .notAnObject)
        XCTAssertEqual(error?.description, "message is not a JSON object: got array [1]")
    }

    func testDecode_withoutMediaType_namesTheField() {
        let missing = error { _ = try registry.decode(#"{"uri": "u"}"#) }
        XCTAssertEqual(missing?.code, .missingMediaType)
        XCTAssertEqual(missing?.field, "mediaType")
        XCTAssertEqual(missing?.description, "message has no media type: field 'mediaType' is missing (expected string)")
        XCTAssertEqual(error { _ = try registry.decode(#"{"mediaType": 5}"#) }?.description,
                       "message has no media type: field 'mediaType': expected string, got int 5")
    }

    func testDecode_contentNotFittingTheSchema_namesTheMediaTypeAndTheField() {
        let error = error { _ = try registry.decode(#"{"mediaType": "application/vnd.globality.pubsub._.deleted.foo_bar", "id": 1}"#) }
        XCTAssertEqual(error?.code, .invalidContent)
        XCTAssertEqual(error?.mediaType, .deleted("FooBar"))
        XCTAssertEqual(error?.field, "id")
        XCTAssertEqual(error?.description,
                       "invalid message of media type 'application/vnd.globality.pubsub._.deleted.foo_bar': field 'id': expected string, got int 1")
    }

    func testDecode_opaqueDataThatIsNotAnObject_namesIt() {
        let error = error { _ = try registry.decode(#"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": [1], "uri": "u"}"#) }
        XCTAssertEqual(error?.field, "opaqueData")
        XCTAssertEqual(error?.description,
                       "invalid message of media type 'application/vnd.globality.pubsub._.created.foo_bar': field 'opaqueData': expected object, got array [1]")
    }

    func testDecodeThenEncode_givesTheSameText() throws {
        let text = #"{"mediaType": "application/vnd.globality.pubsub._.changed.foo_bar", "opaqueData": {"x-request-id": "req-123"}, "uri": "u", "field_name": "f", "new_value": "v"}"#
        XCTAssertEqual(try registry.encode(registry.decode(text)), text)
    }
}
