import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Many producers and consumers at once lose nothing and duplicate nothing.
final class ConcurrencyTests: XCTestCase {
    func testConcurrentPublishersAndConsumers_everyMessageReceivedExactlyOnce() async throws {
        let harness = BrokerHarness()
        let (topicArn, url) = try await harness.topicAndQueue(subscriptionAttributes: ["RawMessageDelivery": "true"])
        let publishers = 10
        let perPublisher = 1000
        let total = publishers * perPublisher
        let sns = harness.sns
        let sqs = harness.sqs

        let received = try await withThrowingTaskGroup(of: [String].self) { group in
            for consumer in 0..<4 {
                group.addTask {
                    var bodies: [String] = []
                    while true {
                        let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: 10,
                                                                                          waitTimeSeconds: 20))
                        // A consumer ends at its first stop message and hands any other stop back to the rest.
                        let stops = messages.filter { $0.body == "stop" }
                        let kept = messages.filter { $0.body != "stop" } + stops.prefix(1)
                        if !kept.isEmpty {
                            let result = try await sqs.deleteMessageBatch(queueURL: url, entries: kept.enumerated().map {
                                DeleteMessageBatchEntry(id: "c\(consumer)e\($0.offset)", receiptHandle: $0.element.receiptHandle)
                            })
                            XCTAssertTrue(result.failed.isEmpty)
                        }
                        for extra in stops.dropFirst() {
                            try await sqs.changeMessageVisibility(queueURL: url, receiptHandle: extra.receiptHandle, visibilityTimeout: 0)
                        }
                        bodies += messages.map(\.body).filter { $0 != "stop" }
                        if !stops.isEmpty { return bodies }
                    }
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { producers in
                for publisher in 0..<publishers {
                    producers.addTask {
                        for index in 0..<perPublisher {
                            _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "p\(publisher)-\(index)"))
                        }
                    }
                }
                try await producers.waitForAll()
            }
            for _ in 0..<4 { _ = try await sns.publish(PublishRequest(topicArn: topicArn, message: "stop")) }
            var all: [String] = []
            for try await bodies in group { all += bodies }
            return all
        }

        XCTAssertEqual(received.count, total)
        XCTAssertEqual(Set(received).count, total, "no message was received twice")
        let expected = Set((0..<publishers).flatMap { publisher in (0..<perPublisher).map { "p\(publisher)-\($0)" } })
        XCTAssertEqual(Set(received), expected)
        let left = try await harness.broker.messages(in: url)
        XCTAssertEqual(left, [])
        let recorded = await harness.broker.publications
        XCTAssertEqual(recorded.count, total + 4)
    }
}
