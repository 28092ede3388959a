// The README.md block `swift producing`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
import Microcosm
import MicrocosmPubSub

func readmeProducing(graph: Graph) async throws {
// begin README: producing
let producer = try graph.snsProducer
let uri = "http://orders/1", status = "shipped", amount = 12.5
try await producer.produce(.created("Order"), uri: uri)                                  // returns SNS's message id
try await producer.produce(.changed("Order"), ["field_name": "status", "new_value": status], uri: uri)
try await producer.produce(.created("Payment"), ["amount": amount, "paid_at": Date.now], uri: uri)
try await producer.produce(.deleted("Order"), ["id": "1"], opaqueData: ["X-Request-Id": "req-1"])
try await producer.produce(OrderShipped(uri: uri, carrier: "ups", shippedAt: .now))    // typed: its own media type
// end README: producing
}
