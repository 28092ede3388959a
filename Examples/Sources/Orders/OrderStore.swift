import Foundation
import Microcosm
import MicrocosmPubSub

/// The orders and their state: a stand-in for the database or service at `order_store.base_url`.
actor OrderStore {
    nonisolated let baseURL: String
    private(set) var statuses: [String: String] = [:]      // order URI: "created", "shipping", "shipped"

    init(baseURL: String) { self.baseURL = baseURL }

    func newURI() -> String { "\(baseURL)/orders/\(UUID().uuidString.lowercased())" }

    func save(_ order: OrderCreated) throws {
        guard order.total > 0 else {
            throw OrderError(description: "order \(order.uri): the total must be positive, got \(order.total)")
        }
        statuses[order.uri] = "created"
    }

    @discardableResult func ship(_ uri: String) throws -> String {       // the tracking number
        guard statuses[uri] == "created" else {
            throw OrderError(description: "order \(uri) cannot ship: it is \(statuses[uri] ?? "unknown")")
        }
        statuses[uri] = "shipping"
        return "TRK-\(statuses.count)"
    }

    func recordShipment(_ uri: String) -> Bool {       // false: recorded before
        guard statuses[uri] == "shipping" else { return false }
        statuses[uri] = "shipped"
        return true
    }
}

struct OrderError: Error, CustomStringConvertible { let description: String }

extension BindingKey where Component == OrderStore {
    static var orderStore: Self { Self("order_store") }
}

extension Graph {
    var orderStore: OrderStore { get throws { try resolve(.orderStore) } }
}

extension Registry {
    /// The library's bindings and `order_store`, whose `base_url` is required: `ORDERS__ORDER_STORE__BASE_URL`
    /// (for the daemon `ORDERS_DAEMON__...`) or `{"order_store": {"base_url": ...}}` in the settings file.
    static var orders: Registry {
        var registry = Registry.pubsub
        registry.bind(.orderStore, defaults: ["base_url": .required(.string, mock: "http://orders.test")]) { graph in
            OrderStore(baseURL: try graph.config.string("order_store.base_url"))
        }
        return registry
    }
}
