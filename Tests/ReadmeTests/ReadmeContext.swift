import Foundation
import Microcosm
import MicrocosmPubSub

// What README.md's blocks use without declaring it: a service author's own types, as small as
// the blocks need. Types a block declares (ThingStore, OrdersDaemon) live in that block's mirror.

/// A resource a media type is named after (`MediaType.deleted(Order.self)`).
struct Order {}

/// A thing a deferred produce announces.
struct Thing {
    var uri = "http://things/1"
}

/// A service's store of things (`things.refresh(uri)`, `store.commit()`).
struct Things: Sendable {
    func refresh(_ uri: String) async throws {}
    func store(_ message: URIMessage) async throws {}
    func commit() async throws {}
}

/// A service's orders (`orders.exists(uri)`).
struct Orders: Sendable {
    func exists(_ uri: String) async throws -> Bool { true }
    func markShipped(_ uri: String) async throws -> Bool { true }
}

/// The message the producing, handler and testing blocks use: those use `carrier`, "Producing" uses
/// `shippedAt` (the "Messages and media types" block declares its own, with `shippedAt` only).
struct OrderShipped: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.order"
    var uri: String
    var carrier = "ups"
    var shippedAt: Date?
}

/// A service's code under test: changes an order and announces the shipment.
struct Shipping {
    let graph: Graph

    func ship(orderId: String, carrier: String) async throws {
        let uri = "http://orders/\(orderId)"
        let producer = try graph.snsProducer
        try await producer.produce(.changed("Order"), ["field_name": "status", "new_value": "shipped"], uri: uri)
        try await producer.produce(OrderShipped(uri: uri, carrier: carrier))
    }
}

/// A handler type (`handlers.register(ThingCreatedHandler.self, for: ...)`).
struct ThingCreatedHandler: MessageHandler {
    init(graph: Graph) throws {}
    func handle(_ message: ConsumedMessage) async throws -> Bool { true }
}

/// Another handler type.
struct ThingDeletedHandler: MessageHandler {
    init(graph: Graph) throws {}
    func handle(_ message: ConsumedMessage) async throws -> Bool { true }
}

/// A value assigned to a binding (`graph.assign("clock", FixedClock())`).
struct FixedClock: Sendable {}
