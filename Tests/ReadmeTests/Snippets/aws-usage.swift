// The README.md block `swift aws-usage`: the lines between the markers are its text; what is around them
// is what it needs to compile (see README "Development").
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

final class ReadmeAWSUsageTests: XCTestCase {
    func testAWSUsage() async throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"]])
        for index in 1...2 { _ = try await graph.snsProducer.produce(.created("Order"), uri: "http://orders/\(index)") }
// begin README: aws-usage
let usage = try graph.awsUsageMeter.usage                       // what this graph's SNS and SQS clients sent
print(usage)                                                    // the line a daemon logs when it stops
let callsPerMessage = usage.callsPerMessage                     // nil before the first message
let dollars = usage.costPerMillionMessages(prices: .published)  // or AWSRequestPrices of your region and date
// end README: aws-usage
        XCTAssertEqual(callsPerMessage, 1, "one Publish per message produced")
        XCTAssertEqual(try XCTUnwrap(dollars), 0.50, accuracy: 1e-9)
    }
}
