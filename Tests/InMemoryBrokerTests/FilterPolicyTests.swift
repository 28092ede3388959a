import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Subscription filter policies on message attributes.
final class FilterPolicyTests: XCTestCase {
    /// Publishes one message per attribute set to a topic whose only subscription has `policy`,
    /// and returns the bodies (the message names) that reached the queue.
    private func delivered(policy: String, messages: [(String, [String: MessageAttributeValue])]) async throws -> [String] {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true",
                                                                                            "FilterPolicy": policy])
        for (name, attributes) in messages {
            _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: name, messageAttributes: attributes))
        }
        return try await harness.receive(queueURL).map(\.body)
    }

    func testFilterPolicy_exactStrings_matchAnyListedValue() async throws {
        let bodies = try await delivered(policy: #"{"media_type": ["created", "changed"]}"#, messages: [
            ("created", ["media_type": .string("created")]),
            ("changed", ["media_type": .string("changed")]),
            ("deleted", ["media_type": .string("deleted")]),
            ("missing", [:]),
            ("number", ["media_type": .number("1")]),
        ])
        XCTAssertEqual(bodies, ["created", "changed"])
    }

    func testFilterPolicy_severalAttributes_allMustMatch() async throws {
        let bodies = try await delivered(policy: #"{"media_type": ["created"], "region": ["eu"]}"#, messages: [
            ("both", ["media_type": .string("created"), "region": .string("eu")]),
            ("one", ["media_type": .string("created"), "region": .string("us")]),
            ("other", ["media_type": .string("created")]),
        ])
        XCTAssertEqual(bodies, ["both"])
    }

    func testFilterPolicy_numbers_matchNumberAttributesByValue() async throws {
        let bodies = try await delivered(policy: #"{"count": [3, 4.5]}"#, messages: [
            ("three", ["count": .number("3.0")]),
            ("four-and-a-half", ["count": .number("4.5")]),
            ("five", ["count": .number("5")]),
            ("text", ["count": .string("3")]),
        ])
        XCTAssertEqual(bodies, ["three", "four-and-a-half"])
    }

    func testFilterPolicy_anythingBut_matchesPresentOtherValues() async throws {
        let bodies = try await delivered(policy: #"{"media_type": [{"anything-but": ["deleted", "archived"]}]}"#, messages: [
            ("created", ["media_type": .string("created")]),
            ("deleted", ["media_type": .string("deleted")]),
            ("archived", ["media_type": .string("archived")]),
            ("missing", [:]),
        ])
        XCTAssertEqual(bodies, ["created"])
        let single = try await delivered(policy: #"{"media_type": [{"anything-but": "deleted"}]}"#, messages: [
            ("created", ["media_type": .string("created")]),
            ("deleted", ["media_type": .string("deleted")]),
        ])
        XCTAssertEqual(single, ["created"])
    }

    func testFilterPolicy_anythingButPrefix_excludesThePrefix() async throws {
        let bodies = try await delivered(policy: #"{"media_type": [{"anything-but": {"prefix": "internal."}}]}"#, messages: [
            ("public", ["media_type": .string("public.created")]),
            ("internal", ["media_type": .string("internal.created")]),
        ])
        XCTAssertEqual(bodies, ["public"])
    }

    func testFilterPolicy_prefix_matchesStringsStartingWithIt() async throws {
        let bodies = try await delivered(policy: #"{"media_type": [{"prefix": "application/vnd.globality.pubsub._.created."}]}"#, messages: [
            ("foo", ["media_type": .string("application/vnd.globality.pubsub._.created.foo")]),
            ("bar", ["media_type": .string("application/vnd.globality.pubsub._.changed.bar")]),
        ])
        XCTAssertEqual(bodies, ["foo"])
    }

    func testFilterPolicy_exists_checksPresenceOrAbsence() async throws {
        let present = try await delivered(policy: #"{"trace": [{"exists": true}]}"#, messages: [
            ("with", ["trace": .string("1")]),
            ("without", [:]),
        ])
        XCTAssertEqual(present, ["with"])
        let absent = try await delivered(policy: #"{"trace": [{"exists": false}]}"#, messages: [
            ("with", ["trace": .string("1")]),
            ("without", [:]),
        ])
        XCTAssertEqual(absent, ["without"])
    }

    func testFilterPolicy_stringArrayAttribute_matchesWhenAnElementDoes() async throws {
        let bodies = try await delivered(policy: #"{"tags": ["red"]}"#, messages: [
            ("has-red", ["tags": MessageAttributeValue(dataType: "String.Array", stringValue: #"["blue", "red"]"#)]),
            ("no-red", ["tags": MessageAttributeValue(dataType: "String.Array", stringValue: #"["blue"]"#)]),
        ])
        XCTAssertEqual(bodies, ["has-red"])
    }

    func testFilterPolicy_onWrappedSubscription_filtersToo() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["FilterPolicy": #"{"k": ["yes"]}"#])
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "no", messageAttributes: ["k": .string("no")]))
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "yes", messageAttributes: ["k": .string("yes")]))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(try received.map { try $0.body.json["Message"] }, ["yes"])
    }

    func testFilterPolicy_notUnderstood_isRejectedAtSubscribe() async throws {
        let harness = BrokerHarness()
        let topicArn = try await harness.sns.createTopic(name: "things", attributes: [:])
        let endpoint = harness.broker.queueArn(named: "q")
        let rejected = [
            (#"{"price": [{"numeric": [">", 10]}]}"#, "numeric"),
            (#"{"name": [{"suffix": ".png"}]}"#, "suffix"),
            (#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#, "$or"),
            (#"{"detail": {"nested": ["x"]}}"#, "detail"),
            (#"{"flag": [true]}"#, "flag"),
            (#"{"name": []}"#, "no conditions"),
            (#"["not", "an", "object"]"#, "JSON object"),
            (#"{"name": ["unterminated"#, "not valid JSON"),
        ]
        for (policy, mentioned) in rejected {
            await assertAWSError("InvalidParameter", mentioning: mentioned) {
                try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: endpoint, attributes: ["FilterPolicy": policy])
            }
        }
        let subscriptions = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)
        XCTAssertEqual(subscriptions, [])
    }
}
