import Microcosm
import MicrocosmPubSub

/// What the orders API does when an order is placed.
struct OrdersAPI {
    let graph: Graph

    /// Saves the order and announces it; the announcement goes out only if the save succeeds.
    func createOrder(customerEmail: String, total: Double) async throws -> String {
        let store = try graph.orderStore
        let order = OrderCreated(uri: await store.newURI(), customerEmail: customerEmail, total: total)
        try await graph.snsProducer.deferred { producer in
            try producer.produce(order)
            try await store.save(order)                   // throws: nothing is published
        }
        return order.uri
    }
}
