// The README.md block `swift opaque-values`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub

func readmeOpaqueValues(graph: Graph) async throws {
// begin README: opaque-values
let requestId = "req-1"
try await graph.opaque.withValues(["X-Request-Id": requestId, "attempt": 2]) {
    let id = graph.opaque["x-request-id"]          // "req-1": the string subscript, for the common case
    let text = graph.opaque["attempt"]             // "2": other values read as their compact JSON text
    let attempt = graph.opaque[json: "attempt"]    // .int(2): the value itself
    graph.logger.info("working on \(id ?? "-"), \(text ?? "-"), \(attempt ?? .null)")   // the record's metadata carries x-request-id
    try await graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")    // opaqueData carries both, typed
}
// end README: opaque-values
}
