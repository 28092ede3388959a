import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The golden wire fixtures: `Fixtures/wire` (made by scripts/make-wire-fixtures) and, when this
/// checkout sits next to it, `../shared/wire` (messages microcosm-pubsub 3.0.0 put through moto).
enum WireFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let own = repositoryRoot.appendingPathComponent("Fixtures/wire")
    static let shared = repositoryRoot.appendingPathComponent("../shared/wire").standardizedFileURL

    /// A fixture file of ours, parsed.
    static func ownFile(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Data(contentsOf: own.appendingPathComponent(name)))
    }

    /// A shared fixture file, parsed; skips the test, saying why, when ../shared/wire is absent.
    static func sharedFile(_ name: String) throws -> JSONValue {
        let url = shared.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let reason = "\(url.path) is absent (no ../shared/wire next to this checkout), so the shared wire fixtures are not checked"
            print(reason)
            throw XCTSkip(reason)
        }
        return try JSONParser.parse(Data(contentsOf: url))
    }

    /// One SQS message of a fixture: the pubsub message text and the media type attribute it came with.
    struct Received {
        /// The SNS `Message` (wrapped delivery) or the body itself (raw delivery).
        var message: String
        /// The `media_type` message attribute: from the SNS envelope, or from SQS for raw delivery.
        var mediaTypeAttribute: String?
        /// True when the body was SNS's notification envelope.
        var wrapped: Bool
    }

    /// The messages of a fixture file (`{"about": ..., "messages": [ReceiveMessage results]}`),
    /// with the SNS envelope unwrapped when there is one.
    static func received(_ file: JSONValue) throws -> [Received] {
        let messages = try XCTUnwrap(file["messages"]?.arrayValue, "fixture has no messages")
        return try messages.map { sqsMessage in
            let body = try XCTUnwrap(sqsMessage["Body"]?.stringValue, "SQS message has no Body")
            let parsed = try JSONParser.parse(body)
            if parsed["Type"]?.stringValue == "Notification", let message = parsed["Message"]?.stringValue {
                return Received(message: message, mediaTypeAttribute: parsed["MessageAttributes"]?["media_type"]?["Value"]?.stringValue,
                                wrapped: true)
            }
            return Received(message: body, mediaTypeAttribute: sqsMessage["MessageAttributes"]?["media_type"]?["StringValue"]?.stringValue,
                            wrapped: false)
        }
    }
}

/// The custom-schema message scripts/make-wire-fixtures publishes (`ThingAnnouncedSchema`).
struct ThingAnnounced: PubSubMessage, Equatable {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.announced.thing"

    struct Owner: Codable, Sendable, Equatable {
        var name: String
        var email: String?
    }

    var name: String
    var count: Int
    var ratio: Double
    var score: Double?
    var active: Bool
    var createdAt: Date
    var dueAt: Date?
    var id: UUID
    var tags: [String]
    var owner: Owner
    var attributes: JSONObject?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case name, count, ratio, score, active
        case createdAt = "created_at"
        case dueAt = "due_at"
        case id, tags, owner, attributes, note
    }

    /// The values the script publishes.
    static let published = ThingAnnounced(
        name: "Zoë ☃ \"quoted\"", count: 3, ratio: 0.1, score: 1e-05, active: true,
        createdAt: Date(timeIntervalSince1970: 1795960765.42), dueAt: Date(timeIntervalSince1970: 1796083200),
        id: UUID(uuidString: "9f2b3c4d-0000-4000-8000-00000000abcd")!, tags: ["a", "b"],
        owner: Owner(name: "Ada", email: "ada@example.com"), attributes: ["color": "blue", "size": 2], note: nil)
}
