// The README.md block `swift producing-fifo`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmPubSub

func readmeProducingFifo(producer: SNSProducer) async throws {
// begin README: producing-fifo
try await producer.produce(.created("Thing"), uri: "http://things/1")   // group "http://things/1", deduplication: SHA-256 of the message
try await producer.produce(.created("Thing"), uri: "http://things/1", messageGroupId: "tenant-7", deduplicationId: "create-1")
try await producer.deferredBatch { batch in                                  // PublishBatch entries carry their ids
    try batch.produce(.changed("Thing"), ["field_name": "state", "new_value": "done"], uri: "http://things/1")
}
// end README: producing-fifo
}
