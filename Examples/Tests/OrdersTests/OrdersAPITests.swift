import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSubTesting
@testable import Orders
import XCTest

let topics: JSONObject = ["sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"]]

final class OrdersAPITests: XCTestCase {
    func testCreateOrder_savesAndAnnouncesIt() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", registry: .orders, config: topics)
        let uri = try await OrdersAPI(graph: graph).createOrder(customerEmail: "ada@example.com", total: 25)
        let status = try await graph.orderStore.statuses[uri]
        XCTAssertEqual(status, "created")
        await XCTAssertPublished(graph, [.message(OrderCreated(uri: uri, customerEmail: "ada@example.com", total: 25))])
    }

    func testCreateOrder_whenTheSaveFails_announcesNothing() async throws {
        let graph = try await Graph.pubsubTesting(name: "orders", registry: .orders, config: topics)
        let uri = try? await OrdersAPI(graph: graph).createOrder(customerEmail: "ada@example.com", total: 0)
        XCTAssertNil(uri, "an order with total 0 was created")
        await XCTAssertPublishedNothing(graph)
    }

    func testBaseURL_fromTheEnvironment() throws {
        let graph = try Graph(name: "orders", registry: .orders,
                              loader: .standard(environment: ["ORDERS__ORDER_STORE__BASE_URL": "http://orders.internal"]))
        XCTAssertEqual(try graph.orderStore.baseURL, "http://orders.internal")
    }

    func testBaseURL_fromTheSettingsFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID()).json")
        try #"{"order_store": {"base_url": "http://orders.internal"}}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let graph = try Graph(name: "orders", registry: .orders, loader: .standard(environment: ["ORDERS__SETTINGS": file.path]))
        XCTAssertEqual(try graph.orderStore.baseURL, "http://orders.internal")
    }

    func testBaseURL_isRequired_andTheErrorSaysWhereToSetIt() {
        XCTAssertThrowsError(try Graph(name: "orders", registry: .orders, loader: .standard(environment: [:]))) { error in
            XCTAssertEqual("\(error)", "config 'order_store.base_url': required string is missing; "
                               + "set ORDERS__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS__SETTINGS")
        }
    }
}
