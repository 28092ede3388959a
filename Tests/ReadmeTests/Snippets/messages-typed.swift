// The README.md block `swift messages-typed`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
import Microcosm
import MicrocosmPubSub
import XCTest

final class ReadmeMessagesTypedTests: XCTestCase {
    func testMessagesTyped() async throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty)
// begin README: messages-typed
struct OrderShipped: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
    var uri: String
    var carrier: String
    var shippedAt: Date?                      // "shipped_at": "2026-11-29T13:59:25.420000+00:00", as Python writes it
}
let registry = try graph.pubsubMessageSchemaRegistry
let text = try registry.encode(OrderShipped(uri: "http://orders/1", carrier: "ups", shippedAt: .now))
let content = try registry.decode(text)       // media type first, then its schema
let shipped = try content.decode(OrderShipped.self)
// end README: messages-typed
        XCTAssertEqual(shipped.uri, "http://orders/1")
    }
}
