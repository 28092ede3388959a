import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Bad requests fail with `RequestValidationError` before the broker does anything, as with the
/// real clients.
final class ValidationTests: XCTestCase {
    func testSQSValidation_rejectsBeforeActing() async throws {
        let harness = BrokerHarness()
        let url = try await harness.queue()
        let sqs = harness.sqs
        await assertValidationError("MaxNumberOfMessages") { try await harness.receive(url, max: 0) }
        await assertValidationError("WaitTimeSeconds") { try await harness.receive(url, wait: 21) }
        await assertValidationError("VisibilityTimeout") { try await harness.receive(url, visibility: 43_201) }
        await assertValidationError("QueueUrl") { try await harness.receive("orders") }
        await assertValidationError("MessageBody") { try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "")) }
        await assertValidationError("DelaySeconds") {
            try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m", delaySeconds: 901))
        }
        await assertValidationError("message attribute 'k'") {
            try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: "m",
                                                         messageAttributes: ["k": MessageAttributeValue(dataType: "Colour", stringValue: "x")]))
        }
        await assertValidationError("entries") { try await sqs.sendMessageBatch(queueURL: url, entries: []) }
        await assertValidationError("entry id") {
            try await sqs.sendMessageBatch(queueURL: url, entries: [SendMessageBatchEntry(id: "a", messageBody: "1"),
                                                                   SendMessageBatchEntry(id: "a", messageBody: "2")])
        }
        await assertValidationError("ReceiptHandle") { try await sqs.deleteMessage(queueURL: url, receiptHandle: "") }
        await assertValidationError("VisibilityTimeout") {
            try await sqs.changeMessageVisibility(queueURL: url, receiptHandle: "h", visibilityTimeout: -1)
        }
        await assertValidationError("QueueName") { try await sqs.createQueue(name: "bad name", attributes: [:]) }
        await assertValidationError("QueueName") { try await sqs.getQueueURL(queueName: "") }
        await assertValidationError("Attributes") { try await sqs.setQueueAttributes(queueURL: url, attributes: [:]) }
        let contents = try await harness.broker.messages(in: url)
        XCTAssertEqual(contents, [], "nothing was sent by the rejected calls")
    }

    func testSNSValidation_rejectsBeforeActing() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue()
        let sns = harness.sns
        await assertValidationError("TopicArn") { try await sns.publish(PublishRequest(topicArn: "things", message: "m")) }
        await assertValidationError("Message") { try await sns.publish(PublishRequest(topicArn: topicArn, message: "")) }
        await assertValidationError("Message") {
            try await sns.publish(PublishRequest(topicArn: topicArn, message: String(repeating: "x", count: 262_145)))
        }
        await assertValidationError("entries") { try await sns.publishBatch(topicArn: topicArn, entries: []) }
        await assertValidationError("Name") { try await sns.createTopic(name: "bad name", attributes: [:]) }
        await assertValidationError("FifoTopic") { try await sns.createTopic(name: "things", attributes: ["FifoTopic": "true"]) }
        await assertValidationError("Endpoint") {
            try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: url, attributes: [:])
        }
        await assertValidationError("SubscriptionArn") { try await sns.unsubscribe(subscriptionArn: "nope") }
        let published = await harness.broker.publications
        XCTAssertEqual(published, [])
        let contents = try await harness.broker.messages(in: url)
        XCTAssertEqual(contents, [])
    }
}
