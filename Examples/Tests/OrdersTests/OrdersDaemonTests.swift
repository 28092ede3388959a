import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
@testable import Orders
import XCTest

final class OrdersDaemonTests: XCTestCase {
    let order = OrderCreated(uri: "http://orders.test/orders/1", customerEmail: "ada@example.com", total: 25)

    func testShipOrder_shipsAndAnnouncesTheShipment() async throws {
        let graph = try await OrdersDaemon().testingGraph(config: topics)
        try await graph.orderStore.save(order)
        let result = try await graph.dispatch(order)
        XCTAssertEqual(result.kind, .succeeded)
        let status = try await graph.orderStore.statuses[order.uri]
        XCTAssertEqual(status, "shipping")
        await XCTAssertPublished(graph, [.message(OrderShipped(uri: order.uri, carrier: "ups", trackingNumber: "TRK-1"))])
    }

    func testShipOrder_forAnOrderNotSaved_failsAndAnnouncesNothing() async throws {
        let graph = try await OrdersDaemon().testingGraph(config: topics)
        let result = try await graph.dispatch(order)
        XCTAssertEqual(result.kind, .failed)
        await XCTAssertPublishedNothing(graph)
    }

    func testRecordShipment_marksTheOrderShipped_once() async throws {
        let graph = try await OrdersDaemon().testingGraph(config: topics)
        try await graph.orderStore.save(order)
        try await graph.orderStore.ship(order.uri)
        let shipped = OrderShipped(uri: order.uri, carrier: "ups", trackingNumber: "TRK-1")
        let first = try await graph.dispatch(shipped)
        XCTAssertEqual(first.kind, .succeeded)
        let status = try await graph.orderStore.statuses[order.uri]
        XCTAssertEqual(status, "shipped")
        let second = try await graph.dispatch(shipped)
        XCTAssertEqual(second.kind, .skipped)
    }

    /// The whole service on the in-memory broker: the API announces an order, the daemon ships it and records the shipment.
    func testDaemon_shipsACreatedOrder_endToEnd() async throws {
        let environment = ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders"]
        let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: environment)
        _ = try await OrdersAPI(graph: daemon.graph).createOrder(customerEmail: "ada@example.com", total: 120)
        let results = try await daemon.waitForResults(count: 2)        // ShipOrder, then RecordShipment: true
        try await daemon.stop()
        XCTAssertEqual(results.map(\.kind), [.succeeded, .succeeded])
    }
}
