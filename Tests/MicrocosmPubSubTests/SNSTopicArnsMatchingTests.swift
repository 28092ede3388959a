import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// `configuredTopicArns` and `topicArns(matching:)`: which topics a pattern's media types go to.
final class SNSTopicArnsMatchingTests: XCTestCase {
    private let events = "arn:aws:sns:us-east-1:123456789012:events"
    private let orders = "arn:aws:sns:us-east-1:123456789012:orders"
    private let invoices = "arn:aws:sns:us-east-1:123456789012:invoices"

    private func topics(_ section: JSONObject) throws -> SNSTopicArns {
        try SNSTopicArns(config: Configuration(section))
    }

    func testConfiguredTopicArns_everyTopicOnceSorted_withoutEmptyValues() throws {
        let topics = try topics(["default": .string(events), "mappings": [MediaType.deleted("Order").rawValue: .string(orders)],
                                 "created": ["order": .string(orders), "invoice": .string(invoices), "nothing": ""]])
        XCTAssertEqual(topics.configuredTopicArns, [events, invoices, orders])
    }

    func testMappedMediaTypes_areTheMappingsNotNullAndTheLifecycleSections_notTheDefault() throws {
        let topics = try topics(["default": .string(events), "mappings": ["application/vnd.acme.b": .string(orders), "application/vnd.acme.none": .null],
                                 "created": ["order": .string(orders), "line": ["item": .string(invoices)]]])
        XCTAssertEqual(topics.mappedMediaTypes, ["application/vnd.acme.b", .created("line.item"), .created("Order")])
    }

    func testTopicArnsMatching_aMediaType_isItsTopic_aPatternEveryTopicItMayGoTo_andStarEveryTopic() throws {
        let topics = try topics(["default": .string(events), "created": ["order": .string(orders)], "deleted": ["invoice": .string(invoices)]])
        XCTAssertEqual(topics.topicArns(matching: .created("Order")), [orders])
        XCTAssertEqual(topics.topicArns(matching: .created("Thing")), [events])
        XCTAssertEqual(topics.topicArns(matching: "application/vnd.globality.pubsub._.created.*"), [events, orders])
        XCTAssertEqual(topics.topicArns(matching: "application/vnd.globality.pubsub._.deleted.*"), [events, invoices])
        XCTAssertEqual(topics.topicArns(matching: "*"), [events, invoices, orders])
        XCTAssertEqual(try self.topics([:]).topicArns(matching: .created("Order")), [])
        XCTAssertEqual(try self.topics(["default": ""]).topicArns(matching: .created("Order")), [], "an empty ARN names no topic")
    }
}
