// The README.md block `swift daemon-write`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
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

    var components: [String] { [BindingKey.orderStore.name] }   // created at start-up: bad config stops the daemon at once
}
// end README: daemon-write

func readmeDaemonWriteMain() async {
// begin README: daemon-write

// main.swift
exit(await OrdersDaemon().run())
// end README: daemon-write
}
