import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// Ships each created order and announces the shipment.
struct ShipOrder: MessageHandler {
    let store: OrderStore
    let producer: SNSProducer

    init(graph: Graph) throws {
        store = try graph.orderStore
        producer = try graph.snsProducer
    }

    func handle(_ order: OrderCreated, context: HandlerContext) async throws -> Bool {
        let trackingNumber = try await store.ship(order.uri)
        let carrier = order.total < 100 ? "ups" : "dhl"
        try await producer.produce(OrderShipped(uri: order.uri, carrier: carrier, trackingNumber: trackingNumber))
        return true
    }
}

/// The worker: `orders-daemon --testing` runs it on the in-memory broker.
public struct OrdersDaemon: ConsumerDaemon {
    public init() {}
    public var name: String { "orders-daemon" }        // ORDERS_DAEMON__SETTINGS, ORDERS_DAEMON__... variables
    public var summary: String? { "Ship created orders and record their shipment." }
    public var registry: Registry { .orders }
    public var components: [String] { [BindingKey.orderStore.name] }   // bad config stops the daemon at start-up

    public var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(ShipOrder.self)
        handlers.register(OrderShipped.self) { shipped, context in    // false: SKIPPED
            try await context.graph.orderStore.recordShipment(shipped.uri)
        }
        return handlers
    }
}
