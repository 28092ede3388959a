import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
@testable import Orders
import XCTest

final class OrdersDaemonTests: XCTestCase {
    let order = OrderCreated(uri: "http://orders.test/orders/1", customerEmail: "ada@example.com", total: 25)

    /// A testing graph with the daemon's bindings and handlers, its queue subscribed to the topic.
    func makeGraph() async throws -> Graph {
        let graph = try await Graph.pubsubTesting(name: "orders-daemon", registry: .orders, config: [
            "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
            "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker"],
        ])
        graph.assign(.sqsMessageHandlers, OrdersDaemon().handlers)
        return graph
    }

    /// Delivers `message` as the daemon would; forgets it was published, so only what the handler publishes remains.
    func handle(_ message: some PubSubMessage, in graph: Graph) async throws -> MessageHandlingResult.Kind {
        try await graph.snsProducer.produce(message)
        try await graph.clearPublished()
        let consumed = try await graph.sqsConsumer.consume()
        return try await graph.sqsMessageDispatcher.dispatch(consumed[0]).kind
    }

    func testShipOrder_shipsAndAnnouncesTheShipment() async throws {
        let graph = try await makeGraph()
        try await graph.orderStore.save(order)
        let result = try await handle(order, in: graph)
        XCTAssertEqual(result, .succeeded)
        let status = try await graph.orderStore.statuses[order.uri]
        XCTAssertEqual(status, "shipping")
        await XCTAssertPublished(graph, [.message(OrderShipped(uri: order.uri, carrier: "ups", trackingNumber: "TRK-1"))])
    }

    func testShipOrder_forAnOrderNotSaved_failsAndAnnouncesNothing() async throws {
        let graph = try await makeGraph()
        let result = try await handle(order, in: graph)
        XCTAssertEqual(result, .failed)
        await XCTAssertPublishedNothing(graph)
    }

    func testRecordShipment_marksTheOrderShipped_once() async throws {
        let graph = try await makeGraph()
        try await graph.orderStore.save(order)
        _ = try await graph.orderStore.ship(order.uri)
        let shipped = OrderShipped(uri: order.uri, carrier: "ups", trackingNumber: "TRK-1")
        let first = try await handle(shipped, in: graph)
        XCTAssertEqual(first, .succeeded)
        let status = try await graph.orderStore.statuses[order.uri]
        XCTAssertEqual(status, "shipped")
        let second = try await handle(shipped, in: graph)
        XCTAssertEqual(second, .skipped)
    }

    /// The whole service on the in-memory broker: the API announces an order, the daemon ships it.
    func testDaemon_shipsACreatedOrder_endToEnd() async throws {
        let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: [
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders",
        ])
        let uri = try await OrdersAPI(graph: daemon.graph).createOrder(customerEmail: "ada@example.com", total: 120)
        _ = try await daemon.graph.waitForPublished(count: 2)        // the order, then its shipment
        let report = try await daemon.stop()
        XCTAssertNil(report.results[.failed])
        await XCTAssertPublished(daemon.graph, [
            .message(OrderCreated(uri: uri, customerEmail: "ada@example.com", total: 120)),
            .message(OrderShipped(uri: uri, carrier: "dhl", trackingNumber: "TRK-1")),
        ])
    }
}
