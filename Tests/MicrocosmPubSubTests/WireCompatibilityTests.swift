import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Messages microcosm-pubsub 3.0.0 put on the wire (SNS -> SQS on moto) decode field for field,
/// and the same messages produced here come out byte for byte the same.
///
/// Fixtures: `../shared/wire` (when present) and our own `Fixtures/wire` (scripts/make-wire-fixtures).
final class WireCompatibilityTests: XCTestCase {
    /// What each media type in the fixtures carries.
    private enum Expected {
        case uri(URIMessage)
        case changed(ChangedURIMessage)
        case identity(IdentityMessage)
        case thing(ThingAnnounced)
    }

    private let expectations: [MediaType: Expected] = [
        .created("FooBar"): .uri(URIMessage(uri: "http://example.com/foo_bars/1")),
        .changed("FooBar"): .changed(ChangedURIMessage(uri: "http://example.com/foo_bars/1", fieldName: "state", newValue: "done")),
        .deleted("FooBar"): .identity(IdentityMessage(id: "1")),
        .created("FooBar", organization: "acme", public: true): .uri(URIMessage(uri: "http://example.com/foo_bars/2")),
        ThingAnnounced.mediaType: .thing(.published),
    ]

    private func makeRegistry() throws -> PubSubMessageSchemaRegistry {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(ThingAnnounced.self)
        return registry
    }

    /// The opaque data the fixtures were published with: `x-request-id` (when given), then the
    /// fixture's own `x-request-published`, in microcosm-pubsub's order.
    private func opaqueData(requestId: String?, publishedIn message: String) throws -> JSONObject {
        let published = try XCTUnwrap(JSONParser.parse(message)["opaqueData"]?["x-request-published"]?.stringValue,
                                      "fixture message has no x-request-published")
        var opaque = JSONObject()
        if let requestId { opaque[PubSubWire.requestIdKey] = .string(requestId) }
        opaque[PubSubWire.publishedKey] = .string(published)
        return opaque
    }

    // MARK: Single messages

    /// Decodes each message and checks every field; returns the media types seen.
    @discardableResult
    private func checkDecoding(_ file: JSONValue, requestId: String?, line: UInt = #line) throws -> Set<MediaType> {
        let registry = try makeRegistry()
        var seen = Set<MediaType>()
        for received in try WireFixtures.received(file) {
            let content = try registry.decode(received.message)
            seen.insert(content.mediaType)
            XCTAssertEqual(received.mediaTypeAttribute, content.mediaType.rawValue, "media_type attribute", line: line)
            let opaque = try XCTUnwrap(content.opaqueData, "no opaqueData in \(received.message)", line: line)
            XCTAssertEqual(opaque.keys, (requestId == nil ? [] : [PubSubWire.requestIdKey]) + [PubSubWire.publishedKey], line: line)
            XCTAssertEqual(content.opaqueValues[PubSubWire.requestIdKey], requestId, line: line)
            let published = try XCTUnwrap(content.opaqueValues[PubSubWire.publishedKey], line: line)
            XCTAssertNotNil(Double(published), "x-request-published is seconds since the epoch: \(published)", line: line)

            switch expectations[content.mediaType] {
            case .uri(let expected)?:
                XCTAssertEqual(try content.decode(URIMessage.self), expected, line: line)
                XCTAssertEqual(content.fields.keys, ["uri"], line: line)
                XCTAssertEqual(content.uri, expected.uri, line: line)
            case .changed(let expected)?:
                XCTAssertEqual(try content.decode(ChangedURIMessage.self), expected, line: line)
                XCTAssertEqual(content.fields.keys, ["uri", "field_name", "new_value"], line: line)
            case .identity(let expected)?:
                XCTAssertEqual(try content.decode(IdentityMessage.self), expected, line: line)
                XCTAssertEqual(content.fields, ["id": .string(expected.id)], line: line)
            case .thing(let expected)?:
                XCTAssertEqual(try content.decode(ThingAnnounced.self), expected, line: line)
                XCTAssertEqual(content.fields.keys, ["name", "count", "ratio", "score", "active", "created_at", "due_at", "id",
                                                     "tags", "owner", "attributes"], line: line)
            case nil:
                XCTFail("unexpected media type \(content.mediaType) in fixture", line: line)
            }
        }
        return seen
    }

    /// Produces each message again, typed and dynamic, and compares the text with the fixture's.
    private func checkEncoding(_ file: JSONValue, requestId: String?, line: UInt = #line) throws {
        let registry = try makeRegistry()
        for received in try WireFixtures.received(file) {
            let mediaType = MediaType(try XCTUnwrap(received.mediaTypeAttribute, line: line))
            let opaque = try opaqueData(requestId: requestId, publishedIn: received.message)
            let typed: String
            let dynamic: String
            switch try XCTUnwrap(expectations[mediaType], "unexpected media type \(mediaType)", line: line) {
            case .uri(let message):
                typed = try registry.encode(message, as: mediaType, opaqueData: opaque)
                dynamic = try registry.encode(mediaType, fields: ["uri": .string(message.uri)], opaqueData: opaque)
            case .changed(let message):
                typed = try registry.encode(message, as: mediaType, opaqueData: opaque)
                dynamic = try registry.encode(mediaType, fields: ["new_value": "done", "uri": .string(message.uri), "field_name": "state"],
                                              opaqueData: opaque)
            case .identity(let message):
                typed = try registry.encode(message, as: mediaType, opaqueData: opaque)
                // As Python's producer passes it: uri=None alongside, which the identity schema leaves out.
                dynamic = try registry.encode(mediaType, fields: ["id": .string(message.id), "uri": nil], opaqueData: opaque)
            case .thing(let message):
                typed = try registry.encode(message, opaqueData: opaque)
                dynamic = try registry.encode(mediaType, fields: JSONValueEncoder().encodeObject(message), opaqueData: opaque)
            }
            XCTAssertEqual(typed, received.message, "typed \(mediaType)", line: line)
            XCTAssertEqual(dynamic, received.message, "dynamic \(mediaType)", line: line)
            XCTAssertEqual(try JSONParser.parse(typed), try JSONParser.parse(received.message), "field for field", line: line)
        }
    }

    func testSharedFixture_decodesFieldForField() throws {
        let seen = try checkDecoding(WireFixtures.sharedFile("microcosm-pubsub-3.0.0-via-moto.json"), requestId: "req-123")
        XCTAssertEqual(seen, [.created("FooBar"), .changed("FooBar"), .deleted("FooBar")])
    }

    func testSharedFixture_producedByteForByte() throws {
        try checkEncoding(WireFixtures.sharedFile("microcosm-pubsub-3.0.0-via-moto.json"), requestId: "req-123")
    }

    func testOwnFixtures_decodeFieldForField_wrappedAndRaw() throws {
        for (name, wrapped) in [("microcosm-pubsub-3.0.0-wrapped.json", true), ("microcosm-pubsub-3.0.0-raw.json", false)] {
            let file = try WireFixtures.ownFile(name)
            XCTAssertEqual(try WireFixtures.received(file).map(\.wrapped), Array(repeating: wrapped, count: 5), name)
            XCTAssertEqual(try checkDecoding(file, requestId: "req-123"), Set(expectations.keys), name)
        }
    }

    func testOwnFixtures_producedByteForByte_wrappedAndRaw() throws {
        for name in ["microcosm-pubsub-3.0.0-wrapped.json", "microcosm-pubsub-3.0.0-raw.json"] {
            try checkEncoding(WireFixtures.ownFile(name), requestId: "req-123")
        }
    }

    // MARK: Batch messages

    /// Decodes the batch message and each message inside it; checks every field.
    private func checkBatchDecoding(_ file: JSONValue, requestId: String?, line: UInt = #line) throws {
        let registry = try makeRegistry()
        let received = try WireFixtures.received(file)
        XCTAssertEqual(received.count, 1, line: line)
        for batchMessage in received {
            let content = try registry.decode(batchMessage.message)
            XCTAssertEqual(content.mediaType, BatchMessage.mediaType, line: line)
            XCTAssertEqual(batchMessage.mediaTypeAttribute, "application/vnd.globality.pubsub._.created.batch_message", line: line)
            XCTAssertEqual(content.opaqueData?.keys, [PubSubWire.publishedKey], line: line)
            let batch = try content.decode(BatchMessage.self)
            XCTAssertEqual(batch.messages.count, 3, line: line)
            for (index, entry) in batch.messages.enumerated() {
                XCTAssertEqual(entry.mediaType, .created("FooBar"), line: line)
                XCTAssertTrue(entry.topicArn.hasPrefix("arn:aws:sns:us-east-1:123456789012:"), entry.topicArn, line: line)
                XCTAssertEqual(entry.messageAttributes, BatchedMessage.attributes(for: .created("FooBar")), line: line)
                let inner = try registry.decode(entry.message)
                XCTAssertEqual(inner.mediaType, .created("FooBar"), line: line)
                XCTAssertEqual(try inner.decode(URIMessage.self), URIMessage(uri: "http://example.com/foo_bars/\(index)"), line: line)
                XCTAssertEqual(inner.opaqueData, entry.opaqueData, line: line)
                XCTAssertEqual(entry.opaqueData.keys, (requestId == nil ? [] : [PubSubWire.requestIdKey]) + [PubSubWire.publishedKey],
                               line: line)
                XCTAssertEqual(entry.opaqueData[PubSubWire.requestIdKey]?.stringValue, requestId, line: line)
            }
        }
    }

    /// Produces the three inner messages and the batch message again; compares the text.
    private func checkBatchEncoding(_ file: JSONValue, requestId: String?, line: UInt = #line) throws {
        let registry = try makeRegistry()
        for batchMessage in try WireFixtures.received(file) {
            let wire = try JSONParser.parse(batchMessage.message)
            let wireEntries = try XCTUnwrap(wire["messages"]?.arrayValue, line: line)
            var entries: [BatchedMessage] = []
            for (index, wireEntry) in wireEntries.enumerated() {
                let wireInner = try XCTUnwrap(wireEntry["message"]?.stringValue, line: line)
                let opaque = try opaqueData(requestId: requestId, publishedIn: wireInner)
                let topicArn = try XCTUnwrap(wireEntry["topic_arn"]?.stringValue, line: line)
                let inner = try registry.encode(URIMessage(uri: "http://example.com/foo_bars/\(index)"), as: .created("FooBar"),
                                                opaqueData: opaque)
                XCTAssertEqual(inner, wireInner, line: line)
                entries.append(BatchedMessage(mediaType: .created("FooBar"), message: inner, topicArn: topicArn, opaqueData: opaque))
            }
            let opaque = try opaqueData(requestId: nil, publishedIn: batchMessage.message)
            let produced = try registry.encode(BatchMessage(messages: entries), opaqueData: opaque)
            XCTAssertEqual(produced, batchMessage.message, line: line)
            XCTAssertEqual(try JSONParser.parse(produced), wire, "field for field", line: line)
            let dynamic = try registry.encode(BatchMessage.mediaType, fields: ["messages": .array(wireEntries)], opaqueData: opaque)
            XCTAssertEqual(dynamic, batchMessage.message, line: line)
        }
    }

    func testSharedBatchFixture_decodesFieldForField() throws {
        try checkBatchDecoding(WireFixtures.sharedFile("microcosm-pubsub-3.0.0-batch-via-moto.json"), requestId: nil)
    }

    func testSharedBatchFixture_producedByteForByte() throws {
        try checkBatchEncoding(WireFixtures.sharedFile("microcosm-pubsub-3.0.0-batch-via-moto.json"), requestId: nil)
    }

    func testOwnBatchFixtures_decodeFieldForField_wrappedAndRaw() throws {
        for name in ["microcosm-pubsub-3.0.0-batch-wrapped.json", "microcosm-pubsub-3.0.0-batch-raw.json"] {
            try checkBatchDecoding(WireFixtures.ownFile(name), requestId: "req-123")
        }
    }

    func testOwnBatchFixtures_producedByteForByte_wrappedAndRaw() throws {
        for name in ["microcosm-pubsub-3.0.0-batch-wrapped.json", "microcosm-pubsub-3.0.0-batch-raw.json"] {
            try checkBatchEncoding(WireFixtures.ownFile(name), requestId: "req-123")
        }
    }

    func testOwnFixtures_customSchemaMessage_isUnregisteredWithoutItsType() throws {
        let file = try WireFixtures.ownFile("microcosm-pubsub-3.0.0-raw.json")
        let thing = try XCTUnwrap(WireFixtures.received(file).first { $0.mediaTypeAttribute == ThingAnnounced.mediaType.rawValue })
        XCTAssertThrowsError(try PubSubMessageSchemaRegistry().decode(thing.message)) { error in
            XCTAssertEqual((error as? PubSubMessageError)?.code, .unregistered, "\(error)")
        }
    }
}
