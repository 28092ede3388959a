import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import XCTest

/// SNS -> SQS fan-out through SNSClient and SQSClient against a real emulator, moto or LocalStack
/// (started by `scripts/test`); skipped, saying why, when there is none. Each test makes its own
/// uniquely named topics and queues and deletes them. Delivery is asynchronous on LocalStack (as on
/// AWS) and synchronous on moto: tests poll until what AWS guarantees has arrived.
final class SNSToSQSFanOutIntegrationTests: XCTestCase {
    private var sns: SNSClient!
    private var sqs: SQSClient!

    /// The media type and message of the first golden fixture (`../shared/wire/microcosm-pubsub-3.0.0-via-moto.json`).
    private let mediaType = "application/vnd.globality.pubsub._.created.foo_bar"
    private let message = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123", "#
        + #""x-request-published": "1795960765.3579443"}, "uri": "http://example.com/foo_bars/1"}"#
    /// The envelope fields of that fixture's SQS body (no Subject: microcosm-pubsub publishes none).
    private let fixtureEnvelopeKeys: Set<String> = ["Message", "MessageAttributes", "MessageId", "Signature", "SignatureVersion",
                                                    "SigningCertURL", "Timestamp", "TopicArn", "Type", "UnsubscribeURL"]

    override func setUp() async throws {
        let endpoint = try Emulator.requireEndpoint()
        let transport = CurlTransport()
        let logger = Logger(label: "fan-out-it", level: .warning)
        let credentials = StaticCredentialProvider(Emulator.credentials)
        sns = try SNSClient(settings: AWSServiceSettings(service: "sns", region: Emulator.region, endpoint: endpoint,
                                                         credentialProvider: credentials),
                            transport: transport, logger: logger)
        sqs = try SQSClient(settings: AWSServiceSettings(service: "sqs", region: Emulator.region, endpoint: endpoint,
                                                         credentialProvider: credentials),
                            transport: transport, logger: logger)
    }

    // MARK: Helpers

    /// A new topic, deleted when the test ends.
    private func makeTopic(_ prefix: String, fifo: Bool = false, attributes: [String: String] = [:]) async throws -> String {
        let arn = try await sns.createTopic(name: Emulator.uniqueName(prefix) + (fifo ? ".fifo" : ""), attributes: attributes)
        let sns = sns!
        addTeardownBlock { try await sns.deleteTopic(topicArn: arn) }
        return arn
    }

    /// A new queue subscribed to `topicArn` with `attributes`; its URL. Queue and subscription go when the test ends.
    private func subscribedQueue(_ prefix: String, to topicArn: String, fifo: Bool = false,
                                 attributes: [String: String] = [:]) async throws -> String {
        let url = try await sqs.createQueue(name: Emulator.uniqueName(prefix) + (fifo ? ".fifo" : ""),
                                            attributes: fifo ? ["FifoQueue": "true"] : [:])
        let (sns, sqs) = (sns!, sqs!)
        addTeardownBlock { try await sqs.deleteQueue(queueURL: url) }
        let queueAttributes = try await sqs.getQueueAttributes(queueURL: url, names: ["QueueArn"])
        let queueArn = try XCTUnwrap(queueAttributes["QueueArn"])
        let subscription = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn, attributes: attributes)
        addTeardownBlock { try await sns.unsubscribe(subscriptionArn: subscription) }
        return url
    }

    /// Receives until `count` messages came or five long polls of one second came back short.
    private func receive(_ queueURL: String, count: Int) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        for _ in 0..<5 where messages.count < count {
            messages += try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1))
        }
        return messages
    }

    /// Receives and deletes until `count` messages came or five long polls of one second came back
    /// short: a FIFO queue returns no more of a message group while one of its messages is in flight.
    private func receiveAndDelete(_ queueURL: String, count: Int) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        for _ in 0..<5 where messages.count < count {
            let received = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 1))
            for message in received { try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle) }
            messages += received
        }
        return messages
    }

    /// The SQS body parsed as SNS's notification envelope.
    private func envelope(_ message: SQSMessage) throws -> JSONObject {
        try XCTUnwrap(try JSONParser.parse(message.body).objectValue, "not a JSON object: \(message.body)")
    }

    /// `MessageAttributes.<name>` of an envelope as `Type` and `Value`.
    private func envelopeAttribute(_ envelope: JSONObject, _ name: String) -> (type: String?, value: String?)? {
        guard let attribute = envelope["MessageAttributes"]?.objectValue?[name]?.objectValue else { return nil }
        return (attribute["Type"]?.stringValue, attribute["Value"]?.stringValue)
    }

    // MARK: Wrapped delivery

    func testWrappedDelivery_sqsBodyIsTheNotificationEnvelopeOfTheGoldenFixture() async throws {
        let topicArn = try await makeTopic("fan-wrapped")
        let queueURL = try await subscribedQueue("fan-wrapped", to: topicArn)
        let published = try await sns.publish(PublishRequest(topicArn: topicArn, message: message,
                                                             messageAttributes: ["media_type": .string(mediaType)]))

        let received = try await receive(queueURL, count: 1)
        XCTAssertEqual(received.count, 1)
        let body = try envelope(try XCTUnwrap(received.first))
        XCTAssertEqual(Set(body.keys), fixtureEnvelopeKeys)
        XCTAssertEqual(body["Type"]?.stringValue, "Notification")
        XCTAssertEqual(body["MessageId"]?.stringValue, published.messageId)
        XCTAssertEqual(body["TopicArn"]?.stringValue, topicArn)
        XCTAssertEqual(body["Message"]?.stringValue, message)
        let attribute = try XCTUnwrap(envelopeAttribute(body, "media_type"))
        XCTAssertEqual(attribute.type, "String")
        XCTAssertEqual(attribute.value, mediaType)
        let timestamp = try XCTUnwrap(body["Timestamp"]?.stringValue)
        XCTAssertNotNil(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/), "ISO-8601 UTC with milliseconds: \(timestamp)")
        XCTAssertEqual(received.first?.messageAttributes, [:], "wrapped delivery carries the attributes inside the envelope only")
    }

    func testWrappedDelivery_subjectNumberAndBinaryAttributes_appearInTheEnvelope() async throws {
        let topicArn = try await makeTopic("fan-wrapped-types")
        let queueURL = try await subscribedQueue("fan-wrapped-types", to: topicArn)
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "typed", subject: "Greetings, all",
                                                 messageAttributes: ["count": .number("42"), "blob": .binary([0, 1, 254, 255])]))

        let received = try await receive(queueURL, count: 1)
        XCTAssertEqual(received.count, 1)
        let body = try envelope(try XCTUnwrap(received.first))
        XCTAssertEqual(body["Subject"]?.stringValue, "Greetings, all")
        XCTAssertEqual(body["Message"]?.stringValue, "typed")
        let count = try XCTUnwrap(envelopeAttribute(body, "count"))
        XCTAssertEqual(count.type, "Number")
        XCTAssertEqual(count.value, "42")
        let blob = try XCTUnwrap(envelopeAttribute(body, "blob"))
        XCTAssertEqual(blob.type, "Binary")
        XCTAssertEqual(blob.value, Data([0, 1, 254, 255]).base64EncodedString())
    }

    func testPublishBatch_everyEntryReachesTheQueueWithItsMessageId() async throws {
        let topicArn = try await makeTopic("fan-batch")
        let queueURL = try await subscribedQueue("fan-batch", to: topicArn)
        let result = try await sns.publishBatch(topicArn: topicArn, entries: (1...3).map {
            PublishBatchEntry(id: "entry-\($0)", message: "message \($0)", messageAttributes: ["media_type": .string(mediaType)])
        })
        XCTAssertEqual(result.failed, [])

        let received = try await receive(queueURL, count: 3)
        let bodies = try received.map(envelope)
        XCTAssertEqual(Set(bodies.compactMap { $0["MessageId"]?.stringValue }), Set(result.successful.map(\.messageId)))
        XCTAssertEqual(Set(bodies.compactMap { $0["Message"]?.stringValue }), ["message 1", "message 2", "message 3"])
    }

    // MARK: Raw delivery

    /// String and Number attributes only: moto 5.2 cannot receive a raw-delivered Binary attribute
    /// (ReceiveMessage fails hashing it), which real SNS delivers.
    func testRawDelivery_bodyIsTheMessageAndAttributesArriveAsSQSMessageAttributes() async throws {
        let topicArn = try await makeTopic("fan-raw")
        let queueURL = try await subscribedQueue("fan-raw", to: topicArn, attributes: ["RawMessageDelivery": "true"])
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: message, subject: "ignored by raw delivery",
                                                 messageAttributes: ["media_type": .string(mediaType), "count": .number("42")]))

        let received = try await receive(queueURL, count: 1)
        XCTAssertEqual(received.count, 1)
        let delivered = try XCTUnwrap(received.first)
        XCTAssertEqual(delivered.body, message)
        XCTAssertEqual(delivered.messageAttributes, ["media_type": .string(mediaType), "count": .number("42")])
    }

    /// Explicit deduplication ids: moto 5.2 does not hand the FIFO queue a content-based one, so a
    /// queue without ContentBasedDeduplication makes Publish fail there (AWS passes SNS's id on).
    /// What AWS guarantees: a group's messages arrive once each, in order; while one of them is in
    /// flight the queue returns no later one of that group, so the consumer deletes as it goes.
    /// (LocalStack delivers asynchronously: a first receive may find only the first message, and
    /// without the deletes the other two stay behind it for the visibility timeout.)
    func testRawDelivery_fifoTopicToFifoQueue_keepsOrderAndTheMessageGroup() async throws {
        let topicArn = try await makeTopic("fan-fifo", fifo: true, attributes: ["ContentBasedDeduplication": "true"])
        let queueURL = try await subscribedQueue("fan-fifo", to: topicArn, fifo: true, attributes: ["RawMessageDelivery": "true"])
        for index in 1...3 {
            _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "ordered \(index)", messageGroupId: "group-1",
                                                     messageDeduplicationId: "dedup-\(index)"))
        }

        let received = try await receiveAndDelete(queueURL, count: 3)
        XCTAssertEqual(received.map(\.body), ["ordered 1", "ordered 2", "ordered 3"])
        XCTAssertEqual(received.map(\.messageGroupId), ["group-1", "group-1", "group-1"])
        XCTAssertEqual(received.map { $0.attributes["MessageDeduplicationId"] }, ["dedup-1", "dedup-2", "dedup-3"],
                       "the queue got the publisher's deduplication ids")
    }

    // MARK: Filter policies

    func testFilterPolicy_onMediaType_deliversOnlyMatchingMessagesToThatQueue() async throws {
        let topicArn = try await makeTopic("fan-filter")
        let filtered = try await subscribedQueue("fan-filtered", to: topicArn, attributes: [
            "RawMessageDelivery": "true", "FilterPolicy": #"{"media_type": ["\#(mediaType)"]}"#,
        ])
        let everything = try await subscribedQueue("fan-everything", to: topicArn, attributes: ["RawMessageDelivery": "true"])
        let other = "application/vnd.globality.pubsub._.deleted.foo_bar"
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "wanted", messageAttributes: ["media_type": .string(mediaType)]))
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "unwanted", messageAttributes: ["media_type": .string(other)]))
        _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "no attributes"))

        let all = try await receive(everything, count: 3)
        XCTAssertEqual(Set(all.map(\.body)), ["wanted", "unwanted", "no attributes"])
        let matching = try await receive(filtered, count: 2)
        XCTAssertEqual(matching.map(\.body), ["wanted"], "only the message whose media_type matches the policy")
    }
}
