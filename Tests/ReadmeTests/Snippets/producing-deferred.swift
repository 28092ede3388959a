// The README.md block `swift producing-deferred`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub

func readmeProducingDeferred(graph: Graph, thing: Thing, store: Things) async throws {
// begin README: producing-deferred
try await graph.snsProducer.deferred { producer in
    try producer.produce(.created("Thing"), uri: thing.uri)
    try await store.commit()
}
try await graph.snsProducer.deferredBatch { producer in /* ... */ }                // PublishBatch: by topic, 10 per call
try await graph.snsProducer.deferredBatch(.batchMessage) { producer in /* ... */ } // microcosm's created.batch_message
// end README: producing-deferred
}
