// The README.md block `swift testing-producers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
// The test class is the block's own: it runs with the others.

// begin README: testing-producers
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

final class ShippingTests: XCTestCase {
    func testShip_announcesTheShipment() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", registry: .orders, config: [
            "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
        ])
        try await Shipping(graph: graph).ship(orderId: "1", carrier: "ups")

        let status = "shipped"
        await XCTAssertPublished(graph, [                                                    // exactly these, in order
            .message(.changed("Order"), ["field_name": "status", "new_value": status], uri: "http://orders/1"),   // these fields, maybe more
            .message(OrderShipped(uri: "http://orders/1", carrier: "ups")),                     // typed: exactly its fields
        ])
    }
}
// end README: testing-producers
