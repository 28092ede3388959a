// The README.md block `swift daemon-test`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
// begin README: daemon-test
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
import XCTest

final class OrdersDaemonTests: XCTestCase {
    func testCreatedOrder_isInvoiced() async throws {
        let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: [
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders",
        ])
        try await daemon.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")   // reaches its queue
        try await daemon.graph.waitForPublished(count: 2)                                       // the order, then the invoice
        let report = try await daemon.stop()          // graceful: drains, then runs shutDown
        XCTAssertEqual(report.results[.succeeded], 1)
        await XCTAssertPublished(daemon.graph, [
            .message(.created("Order"), uri: "http://orders/1"),
            .message(.created("Invoice"), uri: "http://orders/1/invoice"),
        ])
    }
}
// end README: daemon-test
