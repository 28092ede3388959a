import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Publish and PublishBatch fan-out: the wrapped envelope in moto's exact layout, raw delivery,
/// several subscriptions, system attributes of delivered messages.
final class FanOutTests: XCTestCase {
    /// The golden fixtures: real SQS messages microcosm-pubsub 3.0.0 published through moto.
    private func wireFixtures() throws -> [JSONValue] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.deletingLastPathComponent().appendingPathComponent("shared/wire")
        let names = ["microcosm-pubsub-3.0.0-via-moto.json", "microcosm-pubsub-3.0.0-batch-via-moto.json"]
        var messages: [JSONValue] = []
        for name in names {
            let file = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw XCTSkip("wire fixture not found at \(file.path) (it lives in ../shared beside the repository)")
            }
            messages += try JSONParser.parse(Array(data))["messages"]?.arrayValue ?? []
        }
        XCTAssertEqual(messages.count, 4)
        return messages
    }

    func testWrappedDelivery_matchesMotoEnvelopeByteForByte() async throws {
        for fixture in try wireFixtures() {
            let fixtureBody = try XCTUnwrap(fixture["Body"]?.stringValue)
            let expected = try fixtureBody.json
            // The serializer reproduces moto's bytes, so "our body is what it writes" means "moto's layout".
            XCTAssertEqual(JSONSerializer.pythonIndented.string(expected), fixtureBody)

            let topicArn = try XCTUnwrap(expected["TopicArn"]?.stringValue)
            let topicName = String(topicArn.split(separator: ":").last!)
            let mediaType = try XCTUnwrap(expected["MessageAttributes"]?["media_type"]?["Value"]?.stringValue)
            let harness = BrokerHarness()
            let (arn, queueURL) = try await harness.topicAndQueue(topic: topicName, topicAttributes: ["SignatureVersion": "2"])
            XCTAssertEqual(arn, topicArn)
            let published = try await harness.sns.publish(PublishRequest(
                topicArn: arn, message: try XCTUnwrap(expected["Message"]?.stringValue),
                messageAttributes: ["media_type": .string(mediaType)]))
            let subscriptionArn = try await harness.sns.listSubscriptionsByTopic(topicArn: arn)[0].subscriptionArn

            let received = try await harness.receive(queueURL)
            XCTAssertEqual(received.count, 1)
            let body = received[0].body
            let ours = try body.json

            // Every member moto writes, nothing else; the variable ones have the right values and forms.
            XCTAssertEqual(ours.objectValue?.keys.sorted(), expected.objectValue?.keys.sorted())
            XCTAssertEqual(ours["MessageId"]?.stringValue, published.messageId)
            XCTAssertEqual(ours["Timestamp"]?.stringValue, "2026-01-01T00:00:00.000Z")
            XCTAssertEqual(ours["UnsubscribeURL"]?.stringValue,
                           "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn)
            XCTAssertEqual(Data(base64Encoded: try XCTUnwrap(ours["Signature"]?.stringValue))?.count, 256)
            let certURL = try XCTUnwrap(ours["SigningCertURL"]?.stringValue)
            XCTAssertNotNil(certURL.range(of: #"^https://sns\.us-east-1\.amazonaws\.com/SimpleNotificationService-[0-9a-f]{32}\.pem$"#,
                                          options: .regularExpression), certURL)

            // With those five values put into moto's envelope, the bytes are identical.
            var substituted = try XCTUnwrap(expected.objectValue)
            for key in ["MessageId", "Timestamp", "UnsubscribeURL", "Signature", "SigningCertURL"] { substituted[key] = ours[key] }
            XCTAssertEqual(body, JSONSerializer.pythonIndented.string(.object(substituted)))

            XCTAssertEqual(received[0].md5OfBody, MD5.hash(body.utf8).hex)
            XCTAssertEqual(received[0].attributes["SenderId"], fixture["Attributes"]?["SenderId"]?.stringValue)
            XCTAssertEqual(received[0].messageAttributes, [:])
            XCTAssertNil(received[0].md5OfMessageAttributes)
            XCTAssertNoThrow(try received[0].verifyChecksums(queueURL: queueURL))
        }
    }

    func testWrappedDelivery_subjectAttributesAndNonASCII_writtenAsPythonWould() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue()
        let message = #"{"name": "Zoë \"quoted\"", "path": "a/b"}"# + "\n\u{7f}"
        let published = try await harness.sns.publish(PublishRequest(
            topicArn: topicArn, message: message, subject: "Créé",
            messageAttributes: ["zeta": .string("last"), "b": .binary([0, 1, 2, 255]), "amount": .number("12.5"),
                                "tags": MessageAttributeValue(dataType: "String.Array", stringValue: #"["x", "y"]"#),
                                "Émoji": .string("🙂")]))
        let body = try await harness.receive(queueURL)[0].body
        let subscriptionArn = try await harness.sns.listSubscriptionsByTopic(topicArn: topicArn)[0].subscriptionArn
        let parsed = try body.json
        let expected: JSONValue = [
            "Type": "Notification",
            "MessageId": .string(published.messageId),
            "TopicArn": .string(topicArn),
            "Subject": "Créé",
            "Message": .string(message),
            "Timestamp": "2026-01-01T00:00:00.000Z",
            "SignatureVersion": "1",
            "Signature": parsed["Signature"]!,
            "SigningCertURL": parsed["SigningCertURL"]!,
            "UnsubscribeURL": .string("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn),
            "MessageAttributes": [
                "zeta": ["Type": "String", "Value": "last"],
                "b": ["Type": "Binary", "Value": "AAEC/w=="],
                "amount": ["Type": "Number", "Value": "12.5"],
                "tags": ["Type": "String.Array", "Value": #"["x", "y"]"#],
                "Émoji": ["Type": "String", "Value": "🙂"],
            ],
        ]
        XCTAssertEqual(body, JSONSerializer.pythonIndented.string(expected))
        XCTAssertTrue(body.contains(#""Subject": "Cr\u00e9\u00e9""#))
        XCTAssertTrue(body.contains(#""\u00c9moji": {"#))
    }

    func testWrappedDelivery_withoutAttributes_omitsMessageAttributes() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue()
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "plain"))
        let parsed = try await harness.receive(queueURL)[0].body.json
        XCTAssertNil(parsed["MessageAttributes"])
        XCTAssertNil(parsed["Subject"])
        XCTAssertEqual(parsed["Message"], "plain")
    }

    func testRawDelivery_bodyIsMessageAndAttributesAreSQSAttributes() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let attributes: [String: MessageAttributeValue] = ["media_type": .string("application/vnd.globality.pubsub._.created.foo"),
                                                           "count": .number("3"), "blob": .binary([1, 2, 3])]
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: #"{"uri": "http://x/1"}"#, subject: "ignored",
                                                         messageAttributes: attributes))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received[0].body, #"{"uri": "http://x/1"}"#)
        XCTAssertEqual(received[0].messageAttributes, attributes)
        XCTAssertEqual(received[0].md5OfMessageAttributes, SQSMessageDigest.md5OfMessageAttributes(attributes))
        XCTAssertEqual(received[0].md5OfBody, SQSMessageDigest.md5OfBody(#"{"uri": "http://x/1"}"#))
        XCTAssertEqual(received[0].attributes["SenderId"], "AIDAIT2UOQQY3AUEKVGXU")
        XCTAssertNoThrow(try received[0].verifyChecksums(queueURL: queueURL))
    }

    func testRawDelivery_moreThanTenAttributes_isNotDelivered() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let many = Dictionary(uniqueKeysWithValues: (0..<11).map { ("a\($0)", MessageAttributeValue.string("v")) })
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m", messageAttributes: many))
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received, [])
    }

    func testPublish_fansOutToEverySubscribedQueue_wrappedAndRaw() async throws {
        let harness = BrokerHarness()
        let (topicArn, wrappedURL) = try await harness.topicAndQueue(queue: "wrapped")
        let rawURL = try await harness.queue("raw")
        _ = try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: harness.broker.queueArn(named: "raw"),
                                            attributes: ["RawMessageDelivery": "true"])
        let otherURL = try await harness.queue("other")
        let published = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "hello"))

        let wrapped = try await harness.receive(wrappedURL)
        let raw = try await harness.receive(rawURL)
        let other = try await harness.receive(otherURL)
        XCTAssertEqual(try wrapped.map { try $0.body.json["MessageId"] }, [.string(published.messageId)])
        XCTAssertEqual(raw.map(\.body), ["hello"])
        XCTAssertEqual(other, [])
        XCTAssertNotEqual(wrapped[0].messageId, raw[0].messageId, "each queue gives its own SQS message id")
    }

    func testPublish_twoWrappedSubscriptions_differOnlyInUnsubscribeURL() async throws {
        let harness = BrokerHarness()
        let (topicArn, firstURL) = try await harness.topicAndQueue(queue: "first")
        let secondURL = try await harness.queue("second")
        _ = try await harness.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: harness.broker.queueArn(named: "second"),
                                            attributes: [:])
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "hello", messageAttributes: ["k": .string("v")]))
        let firstReceived = try await harness.receive(firstURL)
        let secondReceived = try await harness.receive(secondURL)
        var first = try XCTUnwrap(firstReceived.first?.body.json.objectValue)
        var second = try XCTUnwrap(secondReceived.first?.body.json.objectValue)
        XCTAssertNotEqual(first["UnsubscribeURL"], second["UnsubscribeURL"])
        first["UnsubscribeURL"] = nil
        second["UnsubscribeURL"] = nil
        XCTAssertEqual(first, second)
    }

    func testPublishBatch_deliversEveryEntryAndReportsIds() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let entries = (0..<10).map { PublishBatchEntry(id: "e\($0)", message: "m\($0)") }
        let result = try await harness.sns.publishBatch(topicArn: topicArn, entries: entries)
        XCTAssertEqual(result.successful.map(\.id), entries.map(\.id))
        XCTAssertTrue(result.failed.isEmpty)
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received.map(\.body), entries.map(\.message))
        let recorded = await harness.broker.publications(to: topicArn)
        XCTAssertEqual(recorded.map(\.messageId), result.successful.map(\.messageId))
    }

    func testPublishBatch_badEntry_failsAloneWithItsCode() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let result = try await harness.sns.publishBatch(topicArn: topicArn, entries: [
            PublishBatchEntry(id: "good", message: "m"),
            PublishBatchEntry(id: "bad", message: "m", messageDeduplicationId: "d"),
        ])
        XCTAssertEqual(result.successful.map(\.id), ["good"])
        XCTAssertEqual(result.failed.map(\.id), ["bad"])
        XCTAssertEqual(result.failed.first?.code, "InvalidParameter")
        XCTAssertEqual(result.failed.first?.senderFault, true)
        let received = try await harness.receive(queueURL)
        XCTAssertEqual(received.count, 1)
    }

    func testReceive_systemAttributes_describeTheDelivery() async throws {
        let harness = BrokerHarness()
        let (topicArn, queueURL) = try await harness.topicAndQueue()
        _ = try await harness.sns.publish(PublishRequest(topicArn: topicArn, message: "m"))
        let sent = BrokerTimestampText.milliseconds(harness.clock.now)
        harness.clock.advance(by: .milliseconds(1500))
        let message = try await harness.receive(queueURL)[0]
        XCTAssertEqual(message.attributes["SentTimestamp"], sent)
        XCTAssertEqual(message.attributes["ApproximateFirstReceiveTimestamp"], BrokerTimestampText.milliseconds(harness.clock.now))
        XCTAssertEqual(message.attributes["ApproximateReceiveCount"], "1")
        XCTAssertEqual(message.receiveCount, 1)
        XCTAssertEqual(message.attributes["SenderId"], "AIDAIT2UOQQY3AUEKVGXU")
        XCTAssertNil(message.attributes["MessageGroupId"])
    }

    func testReceive_attributeNamesSelectWhatIsReturned() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        _ = try await harness.sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m",
                                                             messageAttributes: ["media_type": .string("t"), "trace.id": .string("1"),
                                                                                 "trace.span": .string("2")]))
        let message = try await harness.sqs.receiveMessage(ReceiveMessageRequest(
            queueURL: url, attributeNames: ["ApproximateReceiveCount"], messageAttributeNames: ["trace.*"]))[0]
        XCTAssertEqual(message.attributes, ["ApproximateReceiveCount": "1"])
        XCTAssertEqual(Set(message.messageAttributes.keys), ["trace.id", "trace.span"])
        XCTAssertEqual(message.md5OfMessageAttributes, SQSMessageDigest.md5OfMessageAttributes(message.messageAttributes))
        try await harness.sqs.changeMessageVisibility(queueURL: url, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        let bare = try await harness.sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, attributeNames: [],
                                                                              messageAttributeNames: []))[0]
        XCTAssertEqual(bare.attributes, [:])
        XCTAssertEqual(bare.messageAttributes, [:])
        XCTAssertNil(bare.md5OfMessageAttributes)
    }
}

/// Epoch milliseconds as SQS writes them, for comparing with `SentTimestamp`.
enum BrokerTimestampText {
    static func milliseconds(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
