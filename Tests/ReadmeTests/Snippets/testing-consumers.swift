// The README.md block `swift testing-consumers`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubTesting
import XCTest

final class ReadmeTestingConsumersTests: XCTestCase {
    func testTestingConsumers() async throws {
// begin README: testing-consumers
let clock = ManualBrokerClock()                                   // import MicrocosmInMemoryBroker
let graph = try await Graph.pubsubTesting(name: "orders-worker", config: [
    "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
    "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker"],
], clock: clock)
_ = try await graph.snsProducer.produce(.created("Order"), ["uri": "http://orders/1"])
let messages = try await graph.sqsConsumer.consume()                 // the message, SNS-wrapped as on AWS

try graph.pubsubBroker.faults.fail(.receiveMessage, with: AWSError(code: .throttlingException,
                                   message: "Rate exceeded", statusCode: 400), times: 1)   // a failing AWS
clock.advance(by: .seconds(30))                                      // visibility timeouts end, long polls wake
// end README: testing-consumers
        XCTAssertEqual(messages.count, 1)
    }
}
