import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// A broker on a manual clock, with helpers for the common set-ups.
struct BrokerHarness {
    let broker: InMemoryBroker
    let clock: ManualBrokerClock

    init(recordsPublications: Bool = true) {
        clock = ManualBrokerClock()
        broker = InMemoryBroker(clock: clock, recordsPublications: recordsPublications)
    }

    var sns: InMemorySNS { broker.sns }
    var sqs: InMemorySQS { broker.sqs }

    /// A queue named `name`.
    func queue(_ name: String = "things-worker", attributes: [String: String] = [:]) async throws -> String {
        try await sqs.createQueue(name: name, attributes: attributes)
    }

    /// A topic, a queue and an sqs subscription between them.
    func topicAndQueue(topic: String = "things", queue: String = "things-worker", topicAttributes: [String: String] = [:],
                       queueAttributes: [String: String] = [:],
                       subscriptionAttributes: [String: String] = [:]) async throws -> (topicArn: String, queueURL: String) {
        let topicArn = try await sns.createTopic(name: topic, attributes: topicAttributes)
        let queueURL = try await self.queue(queue, attributes: queueAttributes)
        _ = try await sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: queue),
                                    attributes: subscriptionAttributes)
        return (topicArn, queueURL)
    }

    /// A queue whose messages go to `<name>-dlq` after `maxReceiveCount` receives.
    func queueWithDeadLetterQueue(_ name: String = "things-worker", maxReceiveCount: Int = 3,
                                  attributes: [String: String] = [:]) async throws -> (queueURL: String, deadLetterQueueURL: String) {
        let fifo = name.hasSuffix(".fifo")
        let deadLetterName = fifo ? String(name.dropLast(5)) + "-dlq.fifo" : name + "-dlq"
        let deadLetterURL = try await queue(deadLetterName, attributes: fifo ? ["FifoQueue": "true"] : [:])
        var attributes = attributes
        attributes["RedrivePolicy"] = #"{"deadLetterTargetArn": "\#(broker.queueArn(named: deadLetterName))", "maxReceiveCount": \#(maxReceiveCount)}"#
        return (try await queue(name, attributes: attributes), deadLetterURL)
    }

    /// Sends `bodies` one by one; returns the message ids.
    @discardableResult
    func send(_ bodies: [String], to queueURL: String) async throws -> [String] {
        var ids: [String] = []
        for body in bodies { ids.append(try await sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body)).messageId) }
        return ids
    }

    /// One receive of up to `max` messages, no waiting unless asked.
    func receive(_ queueURL: String, max: Int = 10, wait: Int = 0, visibility: Int? = nil) async throws -> [SQSMessage] {
        try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: max, waitTimeSeconds: wait,
                                                           visibilityTimeout: visibility))
    }

    /// A long poll running in its own task.
    func longPoll(_ queueURL: String, max: Int = 10, wait: Int = 20) -> Task<[SQSMessage], any Error> {
        let sqs = self.sqs
        return Task {
            try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: max, waitTimeSeconds: wait))
        }
    }

    /// Returns once `count` long polls are parked on the queue.
    func waitUntilParked(_ queueURL: String, count: Int = 1, file: StaticString = #filePath, line: UInt = #line) async throws {
        let guardDeadline = ContinuousClock.now + hangGuard
        while try await broker.waitingReceiveCount(on: queueURL) < count {
            guard ContinuousClock.now < guardDeadline else {
                XCTFail("no long poll parked on \(queueURL) (hang guard)", file: file, line: line)
                throw CancellationError()
            }
            await Task.yield()
        }
    }
}

/// How long a test waits for something that should happen without the clock moving before it
/// gives up: a guard against hangs, never a measurement.
let hangGuard: Duration = .seconds(30)

/// The task's value, failing (instead of hanging) if it never comes.
func value<T: Sendable>(of task: Task<T, any Error>, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await task.value }
        group.addTask {
            try await Task.sleep(for: hangGuard)
            return nil
        }
        let first = try await group.next()!
        group.cancelAll()
        guard let first else {
            task.cancel()
            XCTFail("the task did not finish (hang guard)", file: file, line: line)
            throw CancellationError()
        }
        return first
    }
}

/// Runs `body` and checks it throws an `AWSError` with `code` (and a message containing `mentioning`).
func assertAWSError<T>(_ code: AWSError.Code, mentioning: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () async throws -> T) async {
    do {
        _ = try await body()
        XCTFail("expected AWSError \(code), nothing was thrown", file: file, line: line)
    } catch let error as AWSError {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        if let mentioning { XCTAssertTrue(error.message.contains(mentioning), "\(error.message) should mention \(mentioning)", file: file, line: line) }
    } catch {
        XCTFail("expected AWSError \(code), got \(error)", file: file, line: line)
    }
}

/// Runs `body` and checks it throws a `RequestValidationError` for `parameter`.
func assertValidationError<T>(_ parameter: String, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () async throws -> T) async {
    do {
        _ = try await body()
        XCTFail("expected a RequestValidationError for \(parameter), nothing was thrown", file: file, line: line)
    } catch let error as RequestValidationError {
        XCTAssertTrue(error.parameter.contains(parameter), "\(error)", file: file, line: line)
    } catch {
        XCTFail("expected a RequestValidationError for \(parameter), got \(error)", file: file, line: line)
    }
}

extension String {
    /// The string parsed as JSON.
    var json: JSONValue { get throws { try JSONParser.parse(self) } }
}
