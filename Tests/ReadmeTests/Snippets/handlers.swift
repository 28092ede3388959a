// The README.md block `swift handlers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub

func readmeHandlers(graph: Graph, message: ConsumedMessage, things: Things, orders: Orders) async throws {
// begin README: handlers
struct OrderCreated: PubSubMessage {
    static let mediaType = MediaType.created("Order")
    var uri: String
}

struct ShipOrder: MessageHandler {
    let producer: SNSProducer
    init(graph: Graph) throws { producer = try graph.snsProducer }

    func handle(_ order: OrderCreated, context: HandlerContext) async throws -> Bool {
        try await producer.produce(OrderShipped(uri: order.uri, carrier: "ups", shippedAt: .now))
        return true
    }
}

var handlers = MessageHandlers()                          // created.batch_message is republished by default
handlers.register(ShipOrder.self)                         // OrderCreated's media type; its schema is registered too
handlers.register(OrderShipped.self) { shipped, context in // a closure, typed; context.graph has the rest
    guard shipped.carrier != "test" else { throw SkipMessage("test shipment") }
    try await context.graph.snsProducer.produce(.changed("Order"), ["field_name": "status", "new_value": "shipped"],
                                                uri: shipped.uri)
    return true
}
handlers.register(.deleted("Order")) { message, context in   // a media type (or "...deleted.*"): the message as consumed
    let id = try message.decode(IdentityMessage.self).id
    guard !id.isEmpty else { throw Nack(visibilityTimeout: 30, reason: "not committed yet") }
    return true
}
graph.assign(.sqsMessageHandlers, handlers)
let dispatcher = try graph.sqsMessageDispatcher           // two handlers for one media type: an error here, at start-up
let result: MessageHandlingResult = await dispatcher.dispatch(message)   // never throws; result.kind, result.deletesMessage
// end README: handlers
    _ = result
}
