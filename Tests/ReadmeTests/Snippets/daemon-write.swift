// The README.md block `swift daemon-write`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
import Synchronization
import XCTest
// begin README: daemon-write
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

struct OrderStore: Sendable {
    let baseURL: String
    func invoice(_ orderURI: String) async throws -> String { orderURI + "/invoice" }
}

extension BindingKey where Component == OrderStore {
    static var orderStore: Self { Self("order_store") }
}

extension Registry {
    /// The library's bindings and the service's: the API's graph and the daemon share them.
    static var orders: Registry {
        var registry = Registry.pubsub
        registry.bind(.orderStore, defaults: ["base_url": .required(.string, mock: "http://orders.test")]) { graph in
            OrderStore(baseURL: try graph.config.string("order_store.base_url"))
        }
        return registry
    }
}

struct InvoiceOrder: MessageHandler {                     // built once from the graph, before any message
    let store: OrderStore
    let producer: SNSProducer

    init(graph: Graph) throws {
        store = try graph.resolve(.orderStore)
        producer = try graph.snsProducer
    }

    func handle(_ order: URIMessage, context: HandlerContext) async throws -> Bool {
        let invoiceURI = try await store.invoice(order.uri)
        try await producer.produce(.created("Invoice"), uri: invoiceURI)   // carries the order's opaque values on
        return true                                                         // false: SKIPPED
    }
}

struct OrdersDaemon: ConsumerDaemon {
    var name: String { "orders-daemon" }                  // ORDERS_DAEMON__SETTINGS, ORDERS_DAEMON__... variables
    var summary: String? { "Invoice created orders." }    // --help
    var registry: Registry { .orders }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(InvoiceOrder.self, for: .created("Order"))
        return handlers
    }

    var components: [String] { [BindingKey.orderStore.name] }   // created at start-up: bad config stops the daemon at once
}
// end README: daemon-write

func readmeDaemonWriteMain() async {
// begin README: daemon-write

// main.swift
exit(await OrdersDaemon().run())
// end README: daemon-write
}

final class ReadmeDaemonWriteTests: XCTestCase {
    func testMissingSetting_outsideTesting_stopsTheDaemonNamingWhereToSetIt() async {
        let errors = Mutex<[String]>([])
        let status = await OrdersDaemon().run(arguments: ["--endpoint-url", "memory://"], environment: [
            "ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker",
        ], output: { _ in }, errorOutput: { line in errors.withLock { $0.append(line) } })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(errors.withLock { $0 }, ["orders-daemon: config 'order_store.base_url': required string is missing; "
                                                + "set ORDERS_DAEMON__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS_DAEMON__SETTINGS"])
    }

    func testTheAPIsGraph_sharesTheRegistry_withItsOwnName() throws {
        let graph = try Graph(name: "orders", registry: .orders,
                              loader: .standard(environment: ["ORDERS__ORDER_STORE__BASE_URL": "http://orders.internal"]))
        XCTAssertEqual(try graph.resolve(.orderStore).baseURL, "http://orders.internal")
    }
}
