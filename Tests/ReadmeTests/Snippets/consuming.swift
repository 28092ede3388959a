// The README.md block `swift consuming`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmPubSub

func readmeConsuming(things: Things) async throws {
// begin README: consuming
let graph = try Graph(name: "things", registry: .pubsub)  // THINGS__SQS_CONSUMER__SQS_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/123456789012/things-worker
let consumer = try graph.sqsConsumer
for message in try await consumer.consume() {              // 0...limit messages, long-polling wait_seconds
    guard message.content != nil else {                   // not JSON, no media type, schema or MD5 failure
        graph.logger.warning("\(message.error!)")        // names the message, media type and field
        try await message.nack()                          // the backoff policy picks the delay
        continue
    }
    try await message.process { content in                // ack on success; nack with backoff on error (rethrown)
        try await things.store(content.decode(URIMessage.self))
    }
}
// end README: consuming
}
