import Microcosm
import MicrocosmPubSub
import XCTest

final class PubSubMessageSchemaRegistryTests: XCTestCase {
    private struct Thing: PubSubMessage, Equatable {
        static let mediaType: MediaType = "application/vnd.acme.thing"
        var name: String
    }

    private struct OtherThing: Codable, Sendable {
        var other: Int
    }

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

    func testConventions_useTheirSchemasWithoutRegistration() throws {
        let registry = PubSubMessageSchemaRegistry()
        XCTAssertEqual(try registry.schema(for: .created("Thing")), .uri)
        XCTAssertEqual(try registry.schema(for: .changed("Thing")), .changedURI)
        XCTAssertEqual(try registry.schema(for: .deleted("Thing")), .identity)
        XCTAssertEqual(try registry.schema(for: "application/vnd.acme.pubsub.deleted.changed.x"), .identity, "deleted wins, as in Python")
        XCTAssertEqual(try registry.schema(for: BatchMessage.mediaType), .batch, "batch schema registered from the start")
    }

    func testAutoRegisterOff_conventionsAreUnregistered() {
        let registry = PubSubMessageSchemaRegistry(autoRegister: false)
        let error = error { _ = try registry.schema(for: .created("Thing")) }
        XCTAssertEqual(error?.code, .unregistered)
        XCTAssertEqual(error?.mediaType, .created("Thing"))
        XCTAssertEqual(error?.description, "unregistered media type 'application/vnd.globality.pubsub._.created.thing'")
    }

    func testKnownMediaTypeWithoutSchema_usesConventionEvenWithAutoRegisterOff() throws {
        let registry = PubSubMessageSchemaRegistry(autoRegister: false)
        registry.register(.deleted("Thing"))
        registry.register("application/vnd.acme.*")
        XCTAssertEqual(try registry.schema(for: .deleted("Thing")), .identity)
        XCTAssertEqual(try registry.schema(for: "application/vnd.acme.thing"), .uri)
    }

    func testUnregisteredNonConventionMediaType_throwsNamingIt() {
        let registry = PubSubMessageSchemaRegistry()
        let error = error { _ = try registry.decode(#"{"mediaType": "application/vnd.acme.thing", "name": "x"}"#) }
        XCTAssertEqual(error?.code, .unregistered)
        XCTAssertEqual(error?.description, "unregistered media type 'application/vnd.acme.thing'")
    }

    func testRegisterTypedMessage_forItsOwnMediaType() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(Thing.self)
        XCTAssertEqual(try registry.schema(for: Thing.mediaType), PubSubMessageSchema(Thing.self))
        XCTAssertTrue(registry.mediaTypes.contains(Thing.mediaType))
        XCTAssertEqual(try registry.decode(#"{"mediaType": "application/vnd.acme.thing", "name": "x"}"#).decode(Thing.self), Thing(name: "x"))
    }

    func testRegisterWildcard_coversOneMoreSegment_andExactWins() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(OtherThing.self, for: "application/vnd.acme.*")
        try registry.register(Thing.self)
        XCTAssertEqual(try registry.schema(for: "application/vnd.acme.gadget"), PubSubMessageSchema(OtherThing.self))
        XCTAssertEqual(try registry.schema(for: Thing.mediaType), PubSubMessageSchema(Thing.self))
        XCTAssertEqual(registry.matchingMediaType("application/vnd.acme.gadget"), "application/vnd.acme.*")
        XCTAssertEqual(error { _ = try registry.schema(for: "application/vnd.acme.gadget.part") }?.code, .unregistered)
    }

    func testRegisterSameSchemaTwice_isFine() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(Thing.self)
        try registry.register(Thing.self)
        try registry.register(PubSubMessageSchema(Thing.self), for: Thing.mediaType)
        registry.register(Thing.mediaType)
        XCTAssertEqual(try registry.schema(for: Thing.mediaType), PubSubMessageSchema(Thing.self))
    }

    func testRegisterDifferentSchema_throwsNamingTheMediaTypeAndBothSchemas() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(Thing.self)
        let error = error { try registry.register(OtherThing.self, for: Thing.mediaType) }
        XCTAssertEqual(error?.code, .alreadyRegistered)
        XCTAssertEqual(error?.mediaType, Thing.mediaType)
        XCTAssertEqual(error?.description, "media type 'application/vnd.acme.thing' already has schema Thing; cannot register OtherThing for it")
        XCTAssertEqual(try registry.schema(for: Thing.mediaType), PubSubMessageSchema(Thing.self), "first registration kept")
    }

    func testRegisterSchemaAfterAConventionLookup_takesEffect() throws {
        struct Created: Codable, Sendable { var uri: String; var extra: Int }
        let registry = PubSubMessageSchemaRegistry()
        XCTAssertEqual(try registry.schema(for: .created("Thing")), .uri)
        try registry.register(Created.self, for: .created("Thing"))
        XCTAssertEqual(try registry.schema(for: .created("Thing")), PubSubMessageSchema(Created.self))
    }

    func testEncodeTypedMessage_registersItsTypeWhenItsMediaTypeHasNoSchema() throws {
        let registry = PubSubMessageSchemaRegistry(autoRegister: false)
        XCTAssertEqual(try registry.encode(Thing(name: "x")), #"{"mediaType": "application/vnd.acme.thing", "name": "x"}"#)
        XCTAssertEqual(try registry.schema(for: Thing.mediaType), PubSubMessageSchema(Thing.self))
    }

    func testEncodeTypedMessage_whenItsMediaTypeHasAnotherSchema_goesThroughThatSchema() throws {
        struct Named: Codable, Sendable { var name: String; var size: Int }
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(Named.self, for: Thing.mediaType)
        let error = error { _ = try registry.encode(Thing(name: "x")) }
        XCTAssertEqual(error?.code, .invalidContent)
        XCTAssertEqual(error?.field, "size")
    }

    func testRegistry_isSafeToUseFromManyTasks() async throws {
        let registry = PubSubMessageSchemaRegistry()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try registry.register(Thing.self)
                    let text = try registry.encode(URIMessage(uri: "http://things/\(index)"), as: .created("Thing\(index % 5)"))
                    XCTAssertEqual(try registry.decode(text).uri, "http://things/\(index)")
                }
            }
            try await group.waitForAll()
        }
    }
}
