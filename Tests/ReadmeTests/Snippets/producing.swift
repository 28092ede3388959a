// The README.md block `swift producing`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Foundation
import Microcosm
import MicrocosmPubSub

func readmeProducing(graph: Graph) async throws {
// begin README: producing
let producer = try graph.snsProducer
try await producer.produce(.created("Thing"), uri: "http://things/1")                 // returns SNS's message id
try await producer.produce(.changed("Thing"), ["field_name": "state", "new_value": "done"], uri: "http://things/1")
try await producer.produce(.deleted("Thing"), ["id": "1"], opaqueData: ["X-Request-Id": "req-1"])
try await producer.produce(OrderShipped(uri: "http://orders/1", shippedAt: .now))    // typed: its own media type
// end README: producing
}
