@testable import MicrocosmPubSubDaemon
import MicrocosmJSON
import XCTest

/// Whether a queue policy lets a topic send, and the statement topology adds.
final class TopologyQueuePolicyTests: XCTestCase {
    private let topic = "arn:aws:sns:us-east-1:123456789012:orders"
    private let queue = "arn:aws:sqs:us-east-1:123456789012:orders-daemon"

    private func policy(_ statement: String) -> TopologyQueuePolicy {
        TopologyQueuePolicy(#"{"Version":"2012-10-17","Statement":["# + statement + "]}")
    }

    func testAllows_theDocumentedStatement_andArnLikeWildcards_andEveryone() {
        XCTAssertTrue(policy(#"{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","#
                                 + #""Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"\#(topic)"}}}"#).allows(topicArn: topic))
        XCTAssertTrue(policy(#"{"Effect":"Allow","Principal":{"Service":["sns.amazonaws.com"]},"Action":["sqs:*"],"#
                                 + #""Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:123456789012:ord*"}}}"#).allows(topicArn: topic))
        XCTAssertTrue(policy(#"{"Effect":"Allow","Principal":"*","Action":"SQS:SendMessage"}"#).allows(topicArn: topic))
    }

    func testDoesNotAllow_otherTopics_deny_otherActions_orConditionsItDoesNotKnow() {
        let statements = [
            #"{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","#
                + #""Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:other"}}}"#,
            #"{"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage"}"#,
            #"{"Effect":"Allow","Principal":"*","Action":"sqs:ReceiveMessage"}"#,
            #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sqs:SendMessage"}"#,
            #"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}"#,
        ]
        for statement in statements {
            XCTAssertFalse(policy(statement).allows(topicArn: topic), statement)
        }
        XCTAssertFalse(TopologyQueuePolicy(nil).allows(topicArn: topic))
        XCTAssertFalse(TopologyQueuePolicy("not json").allows(topicArn: topic))
    }

    func testAdding_keepsOtherStatements_andMergesTheTopicsItAllowedBefore() throws {
        let other = #"{"Sid":"ops","Effect":"Allow","Principal":"*","Action":"sqs:ReceiveMessage"}"#
        let first = policy(other).adding(topicArns: [topic], queueArn: queue)
        let second = TopologyQueuePolicy(first).adding(topicArns: ["arn:aws:sns:us-east-1:123456789012:invoices"], queueArn: queue)
        let statements = try XCTUnwrap(JSONParser.parse(second).objectValue?["Statement"]?.arrayValue)
        XCTAssertEqual(statements.count, 2)
        XCTAssertEqual(statements[0], try JSONParser.parse(other))
        let ours = try XCTUnwrap(statements[1].objectValue)
        XCTAssertEqual(ours["Sid"], "microcosm-pubsub-topics")
        XCTAssertEqual(ours["Condition"], .object(["ArnEquals": .object(["aws:SourceArn": [
            "arn:aws:sns:us-east-1:123456789012:invoices", .string(topic),
        ]])]))
        XCTAssertTrue(TopologyQueuePolicy(second).allows(topicArn: topic))
    }

    func testGlob() {
        XCTAssertTrue(TopologyQueuePolicy.glob("a*c", matches: "abbbc"))
        XCTAssertTrue(TopologyQueuePolicy.glob("a?c", matches: "abc"))
        XCTAssertTrue(TopologyQueuePolicy.glob("*", matches: ""))
        XCTAssertFalse(TopologyQueuePolicy.glob("a*c", matches: "abd"))
        XCTAssertFalse(TopologyQueuePolicy.glob("a?c", matches: "ac"))
    }
}
