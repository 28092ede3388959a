// The README.md block `swift in-memory-broker`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import MicrocosmAWS
import MicrocosmInMemoryBroker
import XCTest

final class ReadmeInMemoryBrokerTests: XCTestCase {
    func testInMemoryBroker() async throws {
// begin README: in-memory-broker
let clock = ManualBrokerClock()                                   // import MicrocosmInMemoryBroker
let broker = InMemoryBroker(clock: clock)
let topicArn = try await broker.sns.createTopic(name: "things", attributes: [:])
let queueURL = try await broker.sqs.createQueue(name: "things-worker", attributes: ["VisibilityTimeout": "30"])
_ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: "things-worker"),
                                   attributes: ["FilterPolicy": #"{"media_type": [{"prefix": "application/vnd.globality.pubsub._.created."}]}"#])

// ... run the code under test ...

let published = await broker.publications(to: topicArn)            // what was published
let stuck = try await broker.inFlightMessages(in: queueURL)         // received, not acknowledged
clock.advance(by: .seconds(30))                                     // visibility ends, long polls wake
broker.faults.fail(.receiveMessage, with: AWSError(code: .throttlingException, message: "Rate exceeded",
                                                   statusCode: 400), times: 2)
let reset = HTTPTransportError(.connectionClosed, url: queueURL, detail: "Connection reset by peer")
broker.faults.fail(.deleteMessageBatch, with: reset, times: 1, afterApplying: true)   // deleted, yet the caller sees a reset
broker.faults.refuseConnections(for: .seconds(25))                  // an outage, on the broker's clock
broker.faults.setLatency(.milliseconds(10))                         // every call, like a real network
// end README: in-memory-broker
        XCTAssertEqual(published.count, 0)
        XCTAssertEqual(stuck.count, 0)
    }
}
