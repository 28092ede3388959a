// The README.md block `swift uri-handlers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

func readmeUriHandlers() async throws {
    var handlers = MessageHandlers()
// begin README: uri-handlers
struct Order: Decodable, Sendable { var id: String; var state: String }

struct OrderCreatedHandler: URIHandler {                  // class OrderCreatedHandler(URIHandler)
    let store: OrderStore
    init(graph: Graph) throws { store = try graph.resolve(.orderStore) }

    func reasonToSkip(_ message: URIMessage) -> String? { // get_reason_to_skip: no GET at all
        message.uri.contains("/test/") ? "it is a test order" : nil
    }

    func handle(_ message: URIMessage, resource order: Order) async throws -> Bool {
        guard order.state == "placed" else { return false }   // ignored: SKIPPED
        _ = try await store.invoice(message.uri)
        return true                                           // handled: SUCCEEDED
    }
}
handlers.register(OrderCreatedHandler.self, for: .created("Order"))
// end README: uri-handlers
    _ = handlers
}
