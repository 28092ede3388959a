import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import MicrocosmPubSubTesting
import Synchronization
import XCTest

// The README's "Write a worker daemon" and "Test a daemon end to end", as written there.

struct OrderStore: Sendable {
    let baseURL: String
    func invoice(_ orderURI: String) async throws -> String { orderURI + "/invoice" }
}

extension BindingKey where Component == OrderStore {
    static var orderStore: Self { Self("order_store") }
}

struct InvoiceOrder: MessageHandler {
    let store: OrderStore
    let producer: SNSProducer

    init(graph: Graph) throws {
        store = try graph.resolve(.orderStore)
        producer = try graph.snsProducer
    }

    func handle(_ message: ConsumedMessage) async throws -> Bool {
        let order = try message.decode(URIMessage.self)
        let invoiceURI = try await store.invoice(order.uri)
        _ = try await producer.produce(.created("Invoice"), uri: invoiceURI)
        return true
    }
}

struct OrdersDaemon: ConsumerDaemon {
    var name: String { "orders-daemon" }
    var summary: String? { "Invoice created orders." }

    var registry: Registry {
        var registry = Registry.pubsub
        registry.bind(.orderStore, defaults: ["base_url": .required(.string, mock: "http://orders.test")]) { graph in
            OrderStore(baseURL: try graph.config.string("order_store.base_url"))
        }
        return registry
    }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(InvoiceOrder.self, for: .created("Order"))
        return handlers
    }

    var components: [String] { [BindingKey.orderStore.name] }
}

final class OrdersDaemonTests: XCTestCase {
    func testCreatedOrder_isInvoiced() async throws {
        let daemon = try await OrdersDaemon().start(arguments: ["--testing"], environment: [
            "ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": "arn:aws:sns:us-east-1:123456789012:orders",
        ])
        _ = try await daemon.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")
        _ = try await daemon.graph.waitForPublished(count: 2)
        let report = try await daemon.stop()
        XCTAssertEqual(report.results[.succeeded], 1)
        await XCTAssertPublished(daemon.graph, [
            .message(.created("Order"), uri: "http://orders/1"),
            .message(.created("Invoice"), uri: "http://orders/1/invoice"),
        ])
    }

    func testMissingSetting_outsideTesting_stopsTheDaemonNamingWhereToSetIt() async {
        let errors = Mutex<[String]>([])
        let status = await OrdersDaemon().run(arguments: ["--endpoint-url", "memory://"], environment: [
            "ORDERS_DAEMON__SQS_CONSUMER__SQS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker",
        ], output: { _ in }, errorOutput: { line in errors.withLock { $0.append(line) } })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(errors.withLock { $0 }, ["orders-daemon: config 'order_store.base_url': required string is missing; "
                                                + "set ORDERS_DAEMON__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS_DAEMON__SETTINGS"])
    }
}

// The README's "Start-up, shutdown and health", as written there.

struct Warehouse: Sendable {
    static func connect(to url: String) async throws -> Warehouse { Warehouse() }
    func close() async {}
}

struct StockDaemon: ConsumerDaemon {
    var name: String { "stock-daemon" }
    var handlers: MessageHandlers { MessageHandlers() }

    func prepare(_ graph: Graph) async throws {
        graph.assign("warehouse", try await Warehouse.connect(to: "https://warehouse.internal"))
    }

    func shutDown(_ graph: Graph, report: ConsumerLoopReport) async throws {
        let warehouse: Warehouse = try graph.resolve("warehouse")
        await warehouse.close()
        graph.logger.info("handled \(report.handled) messages")
    }
}

final class StockDaemonTests: XCTestCase {
    func testPrepare_assignsWhatItConnected_andShutDownFindsIt() async throws {
        let daemon = try await StockDaemon().start(arguments: ["--testing"])
        XCTAssertNoThrow(try daemon.graph.resolve("warehouse", as: Warehouse.self))
        XCTAssertEqual(daemon.state, .running)
        let report = try await daemon.stop()
        XCTAssertEqual(report.handled, 0)
        XCTAssertEqual(daemon.state, .stopped)
    }
}
