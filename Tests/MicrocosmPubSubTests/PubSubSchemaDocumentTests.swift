import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

private enum Carrier: String, Codable, CaseIterable, Sendable { case ups, dhl }

private struct Line: Codable, Sendable {
    var sku: String
    var quantity: Int
}

private struct Address: Codable, Sendable {
    var city: String
    var postCode: String?
}

private struct OrderPlaced: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.acme.pubsub._.placed.order"
    var uri: String
    var customerEmail: String
    var total: Double
    var placedAt: Date
    var carrier: Carrier
    var lines: [Line]
    var address: Address?
    var totals: [String: Double]
    var orderID: UUID
    var extra: JSONValue?
}

private struct Renamed: Codable, Sendable {
    var orderID: String
    var shippedAt: Date
    enum CodingKeys: String, CodingKey {
        case orderID = "order"
        case shippedAt = "shipped_on"
    }
}

/// Reads `legacy_id` only when there is no `id`, and rejects an empty `id`.
private struct Checked: Codable, Sendable {
    var id: String
    var count: Int
    enum CodingKeys: String, CodingKey { case id, legacyID, count }
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = container.contains(.id) ? try container.decode(String.self, forKey: .id) : try container.decode(String.self, forKey: .legacyID)
        guard !id.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "id is empty") }
        count = try container.decode(Int.self, forKey: .count)
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(count, forKey: .count)
    }
}

private struct Tree: Codable, Sendable {
    var name: String
    var children: [Tree]
}

final class PubSubSchemaDocumentTests: XCTestCase {
    private func schema<T: Codable & Sendable>(_ type: T.Type, _ mediaType: MediaType = "application/vnd.acme.x") -> JSONValue {
        PubSubMessageSchema(type).jsonSchema(for: mediaType)
    }

    private func properties(_ schema: JSONValue) -> JSONObject { schema["properties"]?.objectValue ?? JSONObject() }
    private func required(_ schema: JSONValue) -> [String] { schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    // MARK: Describing types

    func testJSONSchema_namesFieldsAsOnTheWire_requiresTheNonOptionalOnes_andAddsTheEnvelope() {
        let schema = schema(OrderPlaced.self, OrderPlaced.mediaType)
        XCTAssertEqual(schema["type"], "object")
        XCTAssertEqual(Set(properties(schema).keys),
                       ["uri", "customer_email", "total", "placed_at", "carrier", "lines", "address", "totals", "order_id", "extra",
                        "mediaType", "opaqueData"])
        XCTAssertEqual(required(schema), ["carrier", "customer_email", "lines", "mediaType", "order_id", "placed_at", "total", "totals", "uri"])
        XCTAssertEqual(properties(schema)["mediaType"], ["const": "application/vnd.acme.pubsub._.placed.order"])
        XCTAssertEqual(properties(schema)["opaqueData"], ["type": "object"])
    }

    func testJSONSchema_describesLeavesNestedObjectsArraysMapsAndEnums() {
        let fields = properties(schema(OrderPlaced.self))
        XCTAssertEqual(fields["uri"], ["type": "string"])
        XCTAssertEqual(fields["total"], ["type": "number"])
        XCTAssertEqual(fields["placed_at"], ["type": "string", "format": "date-time"])
        XCTAssertEqual(fields["order_id"], ["type": "string", "format": "uuid"])
        XCTAssertEqual(fields["carrier"], ["type": "string", "enum": ["ups", "dhl"]])
        XCTAssertEqual(fields["lines"], ["type": "array", "items": [
            "type": "object", "properties": ["sku": ["type": "string"], "quantity": ["type": "integer"]], "required": ["quantity", "sku"],
        ]])
        XCTAssertEqual(fields["address"], ["type": "object", "properties": ["city": ["type": "string"], "post_code": ["type": "string"]],
                                           "required": ["city"]])
        XCTAssertEqual(fields["totals"], ["type": "object", "additionalProperties": ["type": "number"]])
        XCTAssertEqual(fields["extra"], [:], "any JSON")
    }

    func testJSONSchema_usesCodingKeysRawValues() {
        XCTAssertEqual(Set(properties(schema(Renamed.self)).keys), ["order", "shipped_on", "mediaType", "opaqueData"])
    }

    func testJSONSchema_ofTheConventionSchemas() {
        let created = PubSubMessageSchema.uri.jsonSchema(for: .created("Thing"))
        XCTAssertEqual(required(created), ["mediaType", "uri"])
        let changed = PubSubMessageSchema.changedURI.jsonSchema(for: .changed("Thing"))
        XCTAssertEqual(Set(properties(changed).keys), ["uri", "field_name", "new_value", "mediaType", "opaqueData"])
        XCTAssertEqual(required(changed), ["mediaType", "uri"])
        XCTAssertEqual(required(PubSubMessageSchema.identity.jsonSchema(for: .deleted("Thing"))), ["id", "mediaType"])
        let pattern = PubSubMessageSchema.uri.jsonSchema(for: "application/vnd.globality.pubsub._.created.*")
        XCTAssertEqual(properties(pattern)["mediaType"], ["type": "string"])
        let dynamic = PubSubMessageSchema.dynamic.jsonSchema(for: "application/vnd.acme.free")
        XCTAssertEqual(dynamic, ["type": "object", "properties": ["mediaType": ["const": "application/vnd.acme.free"], "opaqueData": ["type": "object"]],
                                 "required": ["mediaType"]])
    }

    func testJSONSchema_ofACustomInit_keysLookedForWithContainsAreOptional_andAThrowMarksItIncomplete() {
        let schema = schema(Checked.self)
        XCTAssertEqual(properties(schema)["id"], ["type": "string"])
        XCTAssertEqual(required(schema), ["mediaType"], "id was looked for with contains; count was never reached")
        XCTAssertNil(properties(schema)["count"], "the init threw on the placeholder before reading count")
        XCTAssertTrue(schema["$comment"]?.stringValue?.hasPrefix("incomplete: init(from:) threw at 'id': id is empty") ?? false,
                      "\(schema)")
    }

    func testJSONSchema_ofARecursiveType_stopsAtTheRecursion() {
        let schema = schema(Tree.self)
        XCTAssertEqual(properties(schema)["name"], ["type": "string"])
        XCTAssertTrue(properties(schema)["children"]?["$comment"]?.stringValue?.contains("Tree contains itself") ?? false, "\(schema)")
    }

    // MARK: The document

    func testDocument_isSortedAndTheSameBytesEveryTime_andReadsBack() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(OrderPlaced.self)
        registry.register(.deleted("Thing"))
        let document = try PubSubSchemaDocument(registry: registry)
        XCTAssertEqual(document.schemas.keys.map(\.rawValue).sorted(),
                       [OrderPlaced.mediaType.rawValue, "application/vnd.globality.pubsub._.created.batch_message",
                        MediaType.deleted("Thing").rawValue].sorted())
        let text = document.text
        XCTAssertEqual(try PubSubSchemaDocument(registry: registry).text, text)
        XCTAssertTrue(text.hasPrefix("{\n  \"$defs\": {\n    \"application/vnd.acme.pubsub._.placed.order\": {\n"), text)
        XCTAssertTrue(text.hasSuffix("\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\"\n}\n"), text)
        let read = try PubSubSchemaDocument(parsing: text)
        XCTAssertEqual(read, document)
        XCTAssertEqual(read.text, text)
    }

    func testParsing_whatIsNotADocument_throwsWithTheReason() {
        let cases: [(String, PubSubSchemaDocumentError.Code, String)] = [
            ("{", .notJSON, "invalid JSON at line 1"),
            ("[]", .notADocument, "not a schema document: it is array, not an object"),
            ("{\"definitions\": {}}", .notADocument, "not a schema document: it has no \"$defs\" object"),
            ("{\"$defs\": {\"application/x\": 1}}", .notADocument, "not a schema document: \"$defs\".\"application/x\" is int"),
        ]
        for (text, code, prefix) in cases {
            XCTAssertThrowsError(try PubSubSchemaDocument(parsing: text), text) { error in
                let error = error as? PubSubSchemaDocumentError
                XCTAssertEqual(error?.code, code, text)
                XCTAssertTrue(error?.description.hasPrefix(prefix) ?? false, "\(String(describing: error))")
            }
        }
    }

    // MARK: Changes

    private func document(_ schemas: [String: JSONValue]) -> PubSubSchemaDocument {
        PubSubSchemaDocument(schemas: Dictionary(uniqueKeysWithValues: schemas.map { (MediaType($0.key), $0.value) }))
    }

    private let order: JSONValue = [
        "type": "object",
        "properties": [
            "uri": ["type": "string"], "total": ["type": "integer"], "note": ["type": "string"], "carrier": ["type": "string", "enum": ["ups", "dhl"]],
            "lines": ["type": "array", "items": ["type": "object", "properties": ["sku": ["type": "string"]], "required": ["sku"]]],
            "placed_at": ["type": "string", "format": "date-time"],
        ],
        "required": ["uri", "total", "lines"],
    ]

    func testChanges_ofTheSameDocument_areNone() {
        XCTAssertEqual(document(["application/x.order": order]).changes(from: document(["application/x.order": order])), [])
    }

    func testChanges_breakingAndSafe_oneLineEach_sortedByMediaTypeAndField() {
        var changed = order.objectValue!
        var fields = changed["properties"]!.objectValue!
        fields["uri"] = nil                                                        // removed
        fields["total"] = ["type": "number"]                                       // widened
        fields["carrier"] = ["type": "string", "enum": ["ups", "fedex"]]           // dhl removed, fedex added
        fields["lines"] = ["type": "array", "items": ["type": "object", "properties": ["sku": ["type": "integer"]], "required": ["sku"]]]
        fields["placed_at"] = ["type": "string"]                                   // format dropped
        fields["gift"] = ["type": "boolean"]                                       // optional, added
        fields["channel"] = ["type": "string"]                                     // required, added
        changed["properties"] = .object(fields)
        changed["required"] = ["total", "note", "channel"]                         // note made required, lines made optional
        let old = document(["application/x.order": order, "application/x.gone": ["type": "object"]])
        let new = document(["application/x.order": .object(changed), "application/x.new": ["type": "object"]])
        XCTAssertEqual(new.changes(from: old).map(\.description), [
            "breaking: application/x.gone: media type removed",
            "safe: application/x.new: media type added",
            "breaking: application/x.order: field 'carrier' values \"dhl\" removed",
            "safe: application/x.order: field 'carrier' values \"fedex\" added",
            "breaking: application/x.order: field 'channel' added (required)",
            "safe: application/x.order: field 'gift' added (optional)",
            "safe: application/x.order: field 'lines' made optional",
            "breaking: application/x.order: field 'lines[].sku' type string -> integer",
            "breaking: application/x.order: field 'note' made required",
            "safe: application/x.order: field 'placed_at' format date-time -> none",
            "safe: application/x.order: field 'total' type integer -> number",
            "breaking: application/x.order: field 'uri' removed",
        ])
    }

    func testChanges_narrowingIsBreaking_wideningIsSafe() {
        func change(_ before: JSONValue, _ after: JSONValue) -> [String] {
            let wrap = { (field: JSONValue) -> PubSubSchemaDocument in
                self.document(["application/x": ["type": "object", "properties": ["f": field]]])
            }
            return wrap(after).changes(from: wrap(before)).map { "\($0.kind.rawValue) \($0.change)" }
        }
        XCTAssertEqual(change(["type": "number"], ["type": "integer"]), ["breaking type number -> integer"])
        XCTAssertEqual(change(["type": "string"], [:]), ["safe type string -> any"])
        XCTAssertEqual(change([:], ["type": "string"]), ["breaking type any -> string"])
        XCTAssertEqual(change(["type": "string"], ["type": ["null", "string"]]), ["safe type string -> null|string"])
        XCTAssertEqual(change(["type": "string"], ["type": "string", "format": "uuid"]), ["breaking format none -> uuid"])
        XCTAssertEqual(change(["type": "string"], ["type": "string", "enum": ["a"]]), ["breaking now limited to values \"a\""])
        XCTAssertEqual(change(["type": "string", "enum": ["a"]], ["type": "string"]), ["safe any value allowed"])
        XCTAssertEqual(change(["type": "object", "additionalProperties": ["type": "integer"]],
                              ["type": "object", "additionalProperties": ["type": "string"]]), ["breaking type integer -> string"])
    }

    func testChange_json_namesEveryPart() {
        let change = PubSubSchemaChange(kind: .breaking, mediaType: "application/x", field: "total", change: "type number -> string")
        XCTAssertEqual(change.json, ["kind": "breaking", "media_type": "application/x", "field": "total", "change": "type number -> string"])
        XCTAssertEqual(change.description, "breaking: application/x: field 'total' type number -> string")
    }

    // MARK: Registering the handlers' schemas

    private struct Unbuildable: MessageHandler {
        init(graph: Graph) throws { throw SkipMessage("never built") }
        func handle(_ message: OrderPlaced, context: HandlerContext) async throws -> Bool { true }
    }

    func testRegisterSchemas_registersWhatEachHandlerReads_withoutBuildingTheHandlers() throws {
        var handlers = MessageHandlers()
        handlers.register(Unbuildable.self)
        handlers.register(.deleted("Thing")) { _ in true }
        let registry = PubSubMessageSchemaRegistry(autoRegister: false)
        try handlers.registerSchemas(in: registry)
        XCTAssertEqual(registry.mediaTypes, [OrderPlaced.mediaType, BatchMessage.mediaType, .deleted("Thing")].sorted { $0.rawValue < $1.rawValue })
        XCTAssertEqual(try registry.schema(for: OrderPlaced.mediaType), PubSubMessageSchema(OrderPlaced.self))
        XCTAssertEqual(try registry.schema(for: .deleted("Thing")), .identity)
    }
}
