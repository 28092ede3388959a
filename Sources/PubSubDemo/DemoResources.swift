import Foundation
import MicrocosmAWS
import MicrocosmPubSub

/// The topic, the worker's queue with its dead-letter queue, and the subscription between topic
/// and queue that `pubsub demo` creates, and deletes again on a real endpoint.
///
/// The queue's RedrivePolicy sends a message to the dead-letter queue once it has been received
/// ``maxReceiveCount`` times without being deleted; the subscription wraps each message in the
/// SNS notification envelope, as on AWS.
struct DemoResources: Sendable {
    /// Receives before SQS moves a message to the dead-letter queue.
    static let maxReceiveCount = 3
    /// How long a received message stays invisible (seconds).
    static let visibilityTimeout = 30

    let topicName: String
    let queueName: String
    let deadLetterQueueName: String

    private(set) var topicArn: String?
    private(set) var queueURL: String?
    private(set) var deadLetterQueueURL: String?
    private(set) var subscriptionArn: String?

    /// Names ending in `suffix` (nil: the plain names, for the embedded broker).
    init(suffix: String?) {
        let end = suffix.map { "-" + $0 } ?? ""
        topicName = "demo-orders" + end
        queueName = "demo-orders-worker" + end
        deadLetterQueueName = "demo-orders-worker-dlq" + end
    }

    /// A random suffix, so that runs against a shared endpoint never meet.
    static func uniqueSuffix() -> String {
        String(UUID().uuidString.lowercased().prefix(8))
    }

    /// Creates the dead-letter queue, the queue (RedrivePolicy to it), the topic and the
    /// subscription, remembering each as it comes, so that ``delete(sns:sqs:)`` removes what was
    /// made even when a later step fails.
    mutating func create(sns: any SNSAPI, sqs: any SQSAPI) async throws {
        let deadLetterQueueURL = try await sqs.createQueue(name: deadLetterQueueName, attributes: [:])
        self.deadLetterQueueURL = deadLetterQueueURL
        guard let deadLetterArn = try await sqs.getQueueAttributes(queueURL: deadLetterQueueURL, names: ["QueueArn"])["QueueArn"] else {
            throw DemoError("the dead-letter queue \(deadLetterQueueURL) has no QueueArn")
        }
        let redrivePolicy = #"{"deadLetterTargetArn": "\#(deadLetterArn)", "maxReceiveCount": "\#(Self.maxReceiveCount)"}"#
        let queueURL = try await sqs.createQueue(name: queueName, attributes: [
            "VisibilityTimeout": String(Self.visibilityTimeout), "RedrivePolicy": redrivePolicy,
        ])
        self.queueURL = queueURL
        guard let queueArn = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"] else {
            throw DemoError("the queue \(queueURL) has no QueueArn")
        }
        let topicArn = try await sns.createTopic(name: topicName, attributes: [:])
        self.topicArn = topicArn
        subscriptionArn = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn, attributes: [:])
    }

    /// True when nothing has been created.
    var isEmpty: Bool {
        topicArn == nil && queueURL == nil && deadLetterQueueURL == nil && subscriptionArn == nil
    }

    /// Deletes what ``create(sns:sqs:)`` made; returns a line for each deletion that failed.
    func delete(sns: any SNSAPI, sqs: any SQSAPI) async -> [String] {
        var problems: [String] = []
        func attempt(_ what: String, _ body: () async throws -> Void) async {
            do {
                try await body()
            } catch {
                problems.append("could not delete \(what): \(error)")
            }
        }
        if let subscriptionArn { await attempt("subscription \(subscriptionArn)") { try await sns.unsubscribe(subscriptionArn: subscriptionArn) } }
        if let topicArn { await attempt("topic \(topicArn)") { try await sns.deleteTopic(topicArn: topicArn) } }
        if let queueURL { await attempt("queue \(queueURL)") { try await sqs.deleteQueue(queueURL: queueURL) } }
        if let deadLetterQueueURL {
            await attempt("queue \(deadLetterQueueURL)") { try await sqs.deleteQueue(queueURL: deadLetterQueueURL) }
        }
        return problems
    }
}
