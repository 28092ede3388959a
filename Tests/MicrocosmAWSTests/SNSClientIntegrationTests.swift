import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import XCTest

/// SNSClient against a real moto server (`MOTO_ENDPOINT_URL`, started by `scripts/test`); skipped,
/// saying why, when there is none. Each test makes its own uniquely named topics and deletes them.
final class SNSClientIntegrationTests: XCTestCase {
    private var sns: SNSClient!

    override func setUp() async throws {
        let endpoint = try Moto.requireEndpoint()
        let settings = AWSServiceSettings(service: "sns", region: Moto.region, endpoint: endpoint,
                                          credentialProvider: StaticCredentialProvider(Moto.credentials))
        sns = try SNSClient(settings: settings, transport: CurlTransport(), logger: Logger(label: "sns-it", level: .warning))
    }

    /// A new topic named `prefix-<random>` (`.fifo` kept at the end), deleted when the test ends.
    private func makeTopic(_ prefix: String, fifo: Bool = false, attributes: [String: String] = [:]) async throws -> String {
        let name = Moto.uniqueName(prefix) + (fifo ? ".fifo" : "")
        let arn = try await sns.createTopic(name: name, attributes: attributes)
        let sns = sns!
        addTeardownBlock { try await sns.deleteTopic(topicArn: arn) }
        return arn
    }

    /// A queue ARN in moto's account; moto lets SNS subscribe queues that do not exist.
    private func queueArn(_ name: String) -> String { "arn:aws:sqs:\(Moto.region):\(Moto.account):\(name)" }

    // MARK: Topics

    func testCreateTopic_getAttributesThenDelete_topicIsGone() async throws {
        let name = Moto.uniqueName("sns-it-topic")
        let arn = try await sns.createTopic(name: name, attributes: ["DisplayName": "Orders & more"])
        XCTAssertEqual(arn, "arn:aws:sns:\(Moto.region):\(Moto.account):\(name)")
        let again = try await sns.createTopic(name: name, attributes: ["DisplayName": "Orders & more"])
        XCTAssertEqual(again, arn, "CreateTopic is idempotent for the same name and attributes")

        let attributes = try await sns.getTopicAttributes(topicArn: arn)
        XCTAssertEqual(attributes["TopicArn"], arn)
        XCTAssertEqual(attributes["DisplayName"], "Orders & more")
        XCTAssertEqual(attributes["Owner"], Moto.account)
        XCTAssertNil(attributes["FifoTopic"])

        try await sns.deleteTopic(topicArn: arn)
        do {
            _ = try await sns.getTopicAttributes(topicArn: arn)
            XCTFail("expected NotFound after DeleteTopic")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
        }
    }

    func testCreateTopic_fifoName_makesAFifoTopicThatTakesGroupedMessages() async throws {
        let arn = try await makeTopic("sns-it-fifo", fifo: true, attributes: ["ContentBasedDeduplication": "true"])
        XCTAssertTrue(arn.hasSuffix(".fifo"))
        let attributes = try await sns.getTopicAttributes(topicArn: arn)
        XCTAssertEqual(attributes["FifoTopic"], "true")
        XCTAssertEqual(attributes["ContentBasedDeduplication"], "true")
        let result = try await sns.publish(PublishRequest(topicArn: arn, message: "first", messageGroupId: "group-1"))
        XCTAssertNotNil(UUID(uuidString: result.messageId), result.messageId)
    }

    // MARK: Publish

    func testPublish_subjectAndEveryAttributeType_returnsAMessageId() async throws {
        let arn = try await makeTopic("sns-it-publish")
        let result = try await sns.publish(PublishRequest(
            topicArn: arn, message: #"{"mediaType": "application/vnd.globality.pubsub._.created.foo", "uri": "http://x/1"}"#,
            subject: "Greetings, all",
            messageAttributes: ["media_type": .string("application/vnd.globality.pubsub._.created.foo"), "count": .number("42"),
                                "blob": .binary([0, 1, 254, 255])]))
        XCTAssertNotNil(UUID(uuidString: result.messageId), result.messageId)
    }

    func testPublishBatch_tenValidEntries_allSucceedInTheOrderSent() async throws {
        let arn = try await makeTopic("sns-it-batch")
        let ids = (0..<10).map { "entry-\($0)" }
        let result = try await sns.publishBatch(topicArn: arn, entries: ids.map {
            PublishBatchEntry(id: $0, message: "message \($0)", messageAttributes: ["media_type": .string("test")])
        })
        XCTAssertEqual(result.failed, [])
        XCTAssertEqual(result.successful.map(\.id), ids)
        XCTAssertEqual(Set(result.successful.map(\.messageId)).count, 10)
    }

    /// moto fails a FIFO entry that has no deduplication id (the topic lacks content-based deduplication)
    /// per entry, as AWS does, and publishes the rest.
    func testPublishBatch_oneEntryWithoutDeduplicationId_failsThatEntryOnly() async throws {
        let arn = try await makeTopic("sns-it-batch-fifo", fifo: true)
        let result = try await sns.publishBatch(topicArn: arn, entries: [
            PublishBatchEntry(id: "good", message: "one", messageGroupId: "g", messageDeduplicationId: "d-1"),
            PublishBatchEntry(id: "bad", message: "two", messageGroupId: "g"),
        ])
        XCTAssertEqual(result.successful.map(\.id), ["good"])
        let failure = try XCTUnwrap(result.failed.first)
        XCTAssertEqual(result.failed.count, 1)
        XCTAssertEqual(failure.id, "bad")
        XCTAssertEqual(failure.code, "InvalidParameter")
        XCTAssertTrue(failure.senderFault)
        XCTAssertTrue(failure.message?.contains("MessageDeduplicationId") == true, failure.message ?? "no message")
    }

    /// moto 5.2 leaves an entry whose subject is over 100 characters out of both lists (AWS rejects
    /// it); the client reports it failed rather than losing it.
    func testPublishBatch_entryTheReplyLeavesOut_isReportedFailed() async throws {
        let arn = try await makeTopic("sns-it-batch-drop")
        let result = try await sns.publishBatch(topicArn: arn, entries: [
            PublishBatchEntry(id: "kept", message: "one"),
            PublishBatchEntry(id: "long-subject", message: "two", subject: String(repeating: "s", count: 101)),
        ])
        XCTAssertEqual(result.successful.map(\.id), ["kept"])
        XCTAssertEqual(result.failed.map(\.id), ["long-subject"])
        if let failure = result.failed.first, failure.code == SNSClient.missingFromReplyCode {
            XCTAssertTrue(failure.message?.contains("neither successful nor failed") == true)
        }
    }

    // MARK: Subscriptions

    func testSubscribe_listThenUnsubscribe_subscriptionComesAndGoes() async throws {
        let arn = try await makeTopic("sns-it-subscribe")
        let queue = queueArn(Moto.uniqueName("sns-it-queue"))
        let subscriptionArn = try await sns.subscribe(
            topicArn: arn, protocol: "sqs", endpoint: queue,
            attributes: ["RawMessageDelivery": "true", "FilterPolicy": #"{"media_type": ["application/vnd.globality.pubsub._.created.foo"]}"#])
        XCTAssertTrue(subscriptionArn.hasPrefix(arn + ":"), subscriptionArn)

        let listed = try await sns.listSubscriptionsByTopic(topicArn: arn)
        XCTAssertEqual(listed, [SNSSubscription(subscriptionArn: subscriptionArn, topicArn: arn, protocol: "sqs", endpoint: queue,
                                                owner: Moto.account)])
        let again = try await sns.subscribe(topicArn: arn, protocol: "sqs", endpoint: queue, attributes: [:])
        XCTAssertEqual(again, subscriptionArn, "subscribing the same endpoint again returns the existing subscription")

        try await sns.unsubscribe(subscriptionArn: subscriptionArn)
        let afterwards = try await sns.listSubscriptionsByTopic(topicArn: arn)
        XCTAssertEqual(afterwards, [])
    }

    /// moto pages subscriptions 100 at a time.
    func testListSubscriptionsByTopic_101Subscriptions_followsNextTokenToTheSecondPage() async throws {
        let arn = try await makeTopic("sns-it-pages")
        var endpoints: [String] = []
        for index in 0..<101 {
            let endpoint = queueArn("sns-it-page-\(index)")
            _ = try await sns.subscribe(topicArn: arn, protocol: "sqs", endpoint: endpoint, attributes: [:])
            endpoints.append(endpoint)
        }
        let listed = try await sns.listSubscriptionsByTopic(topicArn: arn)
        XCTAssertEqual(listed.count, 101)
        XCTAssertEqual(Set(listed.map(\.endpoint)), Set(endpoints))
        XCTAssertEqual(Set(listed.map(\.subscriptionArn)).count, 101)
        for subscription in listed { try await sns.unsubscribe(subscriptionArn: subscription.subscriptionArn) }
    }

    // MARK: Errors

    func testPublish_missingTopic_throwsNotFoundNamingTheTopic() async throws {
        let missing = "arn:aws:sns:\(Moto.region):\(Moto.account):\(Moto.uniqueName("sns-it-missing"))"
        do {
            _ = try await sns.publish(PublishRequest(topicArn: missing, message: "hi"))
            XCTFail("expected NotFound")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NotFound")
            XCTAssertEqual(error.statusCode, 404)
            XCTAssertEqual(error.senderFault, true)
            XCTAssertEqual(error.service, "SNS")
            XCTAssertEqual(error.action, "Publish")
            XCTAssertNotNil(error.requestId)
            XCTAssertTrue(error.message.hasSuffix("(TopicArn '\(missing)')"), error.message)
        }
    }

    func testMissingTopic_everyTopicCall_throwsNotFound() async throws {
        let missing = "arn:aws:sns:\(Moto.region):\(Moto.account):\(Moto.uniqueName("sns-it-missing"))"
        let calls: [(String, () async throws -> Void)] = [
            ("PublishBatch", { _ = try await self.sns.publishBatch(topicArn: missing, entries: [PublishBatchEntry(id: "a", message: "m")]) }),
            ("GetTopicAttributes", { _ = try await self.sns.getTopicAttributes(topicArn: missing) }),
            ("ListSubscriptionsByTopic", { _ = try await self.sns.listSubscriptionsByTopic(topicArn: missing) }),
        ]
        for (action, call) in calls {
            do {
                try await call()
                XCTFail("\(action): expected NotFound")
            } catch let error as AWSError {
                XCTAssertEqual(error.code, "NotFound", action)
                XCTAssertEqual(error.action, action)
            }
        }
    }

    func testPublish_badParameters_throwSenderFaultsFromTheServer() async throws {
        let arn = try await makeTopic("sns-it-bad")
        do {
            _ = try await sns.publish(PublishRequest(topicArn: arn, message: "hi", messageAttributes: ["count": .number("not a number")]))
            XCTFail("expected an error for a non-numeric Number attribute")
        } catch let error as AWSError {
            XCTAssertTrue(["InvalidParameter", "ParameterValueInvalid"].contains(error.code), error.code)
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.senderFault, true)
        }
        let fifo = try await makeTopic("sns-it-bad-fifo", fifo: true, attributes: ["ContentBasedDeduplication": "true"])
        do {
            _ = try await sns.publish(PublishRequest(topicArn: fifo, message: "no group"))
            XCTFail("expected an error for a FIFO publish without MessageGroupId")
        } catch let error as AWSError {
            XCTAssertTrue(["MissingParameter", "InvalidParameter"].contains(error.code), error.code)
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.senderFault, true)
        }
    }
}
