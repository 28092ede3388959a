import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// What the loop learns of its queue (GetQueueAttributes) and says once: its lease, its retry plan,
/// and a warning for each part of the plan that cannot happen before the dead-letter queue takes
/// a message or SQS drops it.
final class ConsumerLoopQueueTests: XCTestCase {
    /// A loop from the bed's graph, run until it has read the queue's attributes and said what it learned.
    private func plan(queueAttributes: [String: String], config: JSONObject = [:]) async throws -> (info: [String], warnings: [String]) {
        let bed = try await DaemonTestBed.make(queueAttributes: queueAttributes, deadLetterQueue: "things-dlq", config: config)
        bed.graph.assign(.sqsMessageHandlers, MessageHandlers())
        let loop = try ConsumerLoop(graph: bed.graph)
        let run = Task { await loop.run() }
        await eventually("the plan said") { bed.logs.messages.contains { $0.contains("retries: ") } }
        loop.triggerGracefulShutdown()
        _ = await run.value
        let queueLines = bed.logs.records.filter { $0.message.hasPrefix("queue '") }
        return (queueLines.map(\.message), bed.logs.records.filter { $0.level == .warning }.map(\.message))
    }

    private func redrive(_ maxReceiveCount: Int) -> String {
        #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:things-dlq", "maxReceiveCount": \#(maxReceiveCount)}"#
    }

    func testRun_readsTheQueue_andSaysItsLeaseAndRetryPlan_onceInOneLine() async throws {
        let said = try await plan(queueAttributes: ["VisibilityTimeout": "40", "RedrivePolicy": redrive(5)])
        XCTAssertEqual(said.info, ["queue 'memory://sqs.us-east-1/123456789012/things-worker': messages leased for 40 s (the queue's "
                                       + "VisibilityTimeout), renewed every 4 s; retries: up to 5 receives, then dead-letter queue "
                                       + "arn:aws:sqs:us-east-1:123456789012:things-dlq; backoff NaiveBackoffPolicy(5 s)"])
        XCTAssertEqual(said.warnings, [])
    }

    func testRun_whenMaxProcessingAttemptsCannotHappenBeforeTheDeadLetterQueue_warnsOnce() async throws {
        let said = try await plan(queueAttributes: ["RedrivePolicy": redrive(3)],
                                  config: ["sqs_message_dispatcher": ["message_max_processing_attempts": 5]])
        XCTAssertTrue(said.info.first?.contains("retries: up to 3 receives, then dead-letter queue") ?? false, "\(said.info)")
        XCTAssertEqual(said.warnings, ["sqs_message_dispatcher.message_max_processing_attempts is 5, but queue "
                                           + "'memory://sqs.us-east-1/123456789012/things-worker' moves a message to dead-letter queue "
                                           + "arn:aws:sqs:us-east-1:123456789012:things-dlq after 3 receives (RedrivePolicy "
                                           + "maxReceiveCount), so the dispatcher's limit never applies"])
    }

    func testRun_whenMaxProcessingAttemptsComesFirst_saysMessagesAreSkipped_withoutAWarning() async throws {
        let said = try await plan(queueAttributes: ["RedrivePolicy": redrive(5)],
                                  config: ["sqs_message_dispatcher": ["message_max_processing_attempts": 3]])
        XCTAssertTrue(said.info.first?.contains("retries: up to 3 receives, then SKIPPED and deleted "
                                                   + "(sqs_message_dispatcher.message_max_processing_attempts)") ?? false, "\(said.info)")
        XCTAssertEqual(said.warnings, [])
    }

    func testRun_whenTheBackoffOutlastsTheRetentionPeriod_warnsThatSQSMayDropTheMessageFirst() async throws {
        let said = try await plan(queueAttributes: ["RedrivePolicy": redrive(10), "MessageRetentionPeriod": "600"],
                                  config: ["sqs_consumer": ["backoff_policy": "ExponentialBackoffPolicy"]])
        // 1 + 3 + 7 + ... + 1023 = 2036 s at most over 10 receives, against 600 s of retention.
        XCTAssertEqual(said.warnings, ["the backoff (ExponentialBackoffPolicy) can keep a failing message away for 2036 s over its 10 "
                                           + "receives, longer than queue 'memory://sqs.us-east-1/123456789012/things-worker' keeps "
                                           + "messages (MessageRetentionPeriod 600 s): SQS may drop it before the dead-letter queue gets it"])
    }

    func testRun_withoutARedrivePolicy_saysFailingMessagesAreRetriedUntilTheRetentionPeriodEnds() async throws {
        let said = try await plan(queueAttributes: [:])
        XCTAssertTrue(said.info.first?.contains("retries: until SQS drops the message after its retention period (345600 s); "
                                                   + "no dead-letter queue") ?? false, "\(said.info)")
        XCTAssertEqual(said.warnings, [])
    }

    func testQueueAttributes_readTheReplyAsSQSSendsIt() {
        let attributes = ConsumerQueueAttributes(attributes: [
            "VisibilityTimeout": "30", "MessageRetentionPeriod": "345600",
            "RedrivePolicy": #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"4"}"#,
        ])
        XCTAssertEqual(attributes, ConsumerQueueAttributes(visibilityTimeout: 30, maxReceiveCount: 4,
                                                           deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:dlq",
                                                           messageRetentionPeriod: 345_600))
        XCTAssertEqual(ConsumerQueueAttributes(attributes: ["RedrivePolicy": "not JSON", "VisibilityTimeout": "x"]),
                       ConsumerQueueAttributes())
    }
}
