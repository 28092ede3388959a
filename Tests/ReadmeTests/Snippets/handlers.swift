// The README.md block `swift handlers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub

func readmeHandlers(graph: Graph, message: ConsumedMessage, things: Things, orders: Orders) async throws {
// begin README: handlers
var handlers = MessageHandlers()                          // created.batch_message is republished by default
handlers.register(.created("Thing")) { message in         // exact media type, or a trailing ".*" (one more segment)
    try await things.refresh(message.decode(URIMessage.self).uri)
    return true                                           // false: SKIPPED
}
handlers.register(OrderShipped.self) { shipped in         // typed: its schema is registered too
    guard shipped.carrier != "test" else { throw SkipMessage("test shipment") }
    guard try await orders.exists(shipped.uri) else { throw Nack(visibilityTimeout: 30, reason: "not committed yet") }
    return try await orders.markShipped(shipped.uri)
}
handlers.register(ThingDeletedHandler.self, for: .deleted("Thing"))   // a MessageHandler built once from the graph
graph.assign(.sqsMessageHandlers, handlers)
let dispatcher = try graph.sqsMessageDispatcher           // two handlers for one media type: an error here, at start-up
let result = await dispatcher.dispatch(message)           // never throws; the daemon acknowledges from the result
// end README: handlers
    _ = result
}
