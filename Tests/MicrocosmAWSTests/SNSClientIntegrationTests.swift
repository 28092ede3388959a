import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import XCTest

/// SNSClient against a real emulator, moto or LocalStack (started by `scripts/test`); skipped, saying
/// why, when there is none. Each test makes its own uniquely named topics and deletes them. What is
/// asserted is what AWS documents: codes, HTTP status and fault side, never one emulator's wording or account.
final class SNSClientIntegrationTests: XCTestCase {
    private var sns: SNSClient!

    override func setUp() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let settings = AWSServiceSettings(service: "sns", region: Emulator.region, endpoint: endpoint,
                                          credentialProvider: StaticCredentialProvider(Emulator.credentials))
        sns = try SNSClient(settings: settings, transport: CurlTransport(), logger: Logger(label: "sns-it", level: .warning))
    }

    /// A new topic named `prefix-<random>` (`.fifo` kept at the end), deleted when the test ends.
    private func makeTopic(_ prefix: String, fifo: Bool = false, attributes: [String: String] = [:]) async throws -> String {
        let name = Emulator.uniqueName(prefix) + (fifo ? ".fifo" : "")
        let arn = try await sns.createTopic(name: name, attributes: attributes)
        let sns = sns!
        addTeardownBlock { try await sns.deleteTopic(topicArn: arn) }
        return arn
    }

    /// A queue ARN in the topic's account (as the emulators do, SNS subscribes queues that do not exist).
    private func queueArn(_ name: String, accountOf topicArn: String) -> String {
        "arn:aws:sqs:\(Emulator.region):\(Emulator.account(of: topicArn) ?? ""):\(name)"
    }

    /// The ARN of a topic that does not exist, in the emulator's account.
    private func missingTopicArn() async throws -> String {
        "arn:aws:sns:\(Emulator.region):\(try await Emulator.account()):\(Emulator.uniqueName("sns-it-missing"))"
    }

    // MARK: Topics

    func testCreateTopic_getAttributesThenDelete_topicIsGone() async throws {
        let name = Emulator.uniqueName("sns-it-topic")
        let arn = try await sns.createTopic(name: name, attributes: ["DisplayName": "Orders & more"])
        let account = try XCTUnwrap(Emulator.account(of: arn), arn)
        XCTAssertNotNil(account.wholeMatch(of: /\d{12}/), "a 12-digit account id: \(arn)")
        XCTAssertEqual(arn, "arn:aws:sns:\(Emulator.region):\(account):\(name)")
        let again = try await sns.createTopic(name: name, attributes: ["DisplayName": "Orders & more"])
        XCTAssertEqual(again, arn, "CreateTopic is idempotent for the same name and attributes")

        let attributes = try await sns.getTopicAttributes(topicArn: arn)
        XCTAssertEqual(attributes["TopicArn"], arn)
        XCTAssertEqual(attributes["DisplayName"], "Orders & more")
        XCTAssertEqual(attributes["Owner"], account)
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

    /// A FIFO entry without a deduplication id, on a topic without content-based deduplication, is
    /// refused as the sender's InvalidParameter and never reported published. Where the refusal
    /// shows differs: AWS (LocalStack's recorded snapshots) and LocalStack fail the whole call, moto
    /// fails the entry alone; EmulatorReplyTests keeps both replies.
    func testPublishBatch_fifoEntryWithoutDeduplicationId_isRefusedAsInvalidParameter() async throws {
        let arn = try await makeTopic("sns-it-batch-fifo", fifo: true)
        let entries = [PublishBatchEntry(id: "good", message: "one", messageGroupId: "g", messageDeduplicationId: "d-1"),
                       PublishBatchEntry(id: "bad", message: "two", messageGroupId: "g")]
        let refusal: (code: AWSError.Code, senderFault: Bool?, message: String?)
        do {
            let result = try await sns.publishBatch(topicArn: arn, entries: entries)
            XCTAssertEqual(result.successful.map(\.id), ["good"])
            XCTAssertEqual(result.failed.map(\.id), ["bad"])
            let failure = try XCTUnwrap(result.failed.first)
            refusal = (failure.code, failure.senderFault, failure.message)
        } catch let error as AWSError {
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.action, "PublishBatch")
            refusal = (error.code, error.senderFault, error.message)
        }
        XCTAssertEqual(refusal.code, .invalidParameter)
        XCTAssertEqual(refusal.senderFault, true)
        XCTAssertTrue(refusal.message?.contains("MessageDeduplicationId") == true, refusal.message ?? "no message")
    }

    // MARK: Subscriptions

    func testSubscribe_listThenUnsubscribe_subscriptionComesAndGoes() async throws {
        let arn = try await makeTopic("sns-it-subscribe")
        let queue = queueArn(Emulator.uniqueName("sns-it-queue"), accountOf: arn)
        let subscriptionArn = try await sns.subscribe(
            topicArn: arn, protocol: "sqs", endpoint: queue,
            attributes: ["RawMessageDelivery": "true", "FilterPolicy": #"{"media_type": ["application/vnd.globality.pubsub._.created.foo"]}"#])
        XCTAssertTrue(subscriptionArn.hasPrefix(arn + ":"), subscriptionArn)

        let listed = try await sns.listSubscriptionsByTopic(topicArn: arn)
        XCTAssertEqual(listed, [SNSSubscription(subscriptionArn: subscriptionArn, topicArn: arn, protocol: "sqs", endpoint: queue,
                                                owner: Emulator.account(of: arn))])
        let again = try await sns.subscribe(topicArn: arn, protocol: "sqs", endpoint: queue, attributes: [:])
        XCTAssertEqual(again, subscriptionArn, "subscribing the same endpoint again returns the existing subscription")

        try await sns.unsubscribe(subscriptionArn: subscriptionArn)
        let afterwards = try await sns.listSubscriptionsByTopic(topicArn: arn)
        XCTAssertEqual(afterwards, [])
    }

    /// SNS pages subscriptions 100 at a time (moto and LocalStack as AWS).
    func testListSubscriptionsByTopic_101Subscriptions_followsNextTokenToTheSecondPage() async throws {
        let arn = try await makeTopic("sns-it-pages")
        var endpoints: [String] = []
        for index in 0..<101 {
            let endpoint = queueArn("sns-it-page-\(index)", accountOf: arn)
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
        let missing = try await missingTopicArn()
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
        let missing = try await missingTopicArn()
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

    /// A FIFO publish without MessageGroupId is refused as the sender's fault with HTTP 400: AWS (as
    /// recorded in LocalStack's snapshots) and LocalStack say InvalidParameter, moto MissingParameter.
    /// A non-numeric Number attribute is left to EmulatorReplyTests: moto refuses it as AWS
    /// documents, LocalStack publishes it.
    func testPublish_fifoWithoutMessageGroupId_throwsASenderFaultFromTheServer() async throws {
        let fifo = try await makeTopic("sns-it-bad-fifo", fifo: true, attributes: ["ContentBasedDeduplication": "true"])
        do {
            _ = try await sns.publish(PublishRequest(topicArn: fifo, message: "no group"))
            XCTFail("expected an error for a FIFO publish without MessageGroupId")
        } catch let error as AWSError {
            XCTAssertTrue([.invalidParameter, "MissingParameter"].contains(error.code), "\(error.code)")
            XCTAssertEqual(error.statusCode, 400)
            XCTAssertEqual(error.senderFault, true)
        }
    }
}
