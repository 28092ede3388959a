import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import XCTest

/// Failing receives and acknowledgements: logged, tried again with backoff (only the entries that
/// failed, only when that may help), never dropped silently; the loop keeps running. These beds
/// run on the wall clock with millisecond backoff.
final class ConsumerLoopErrorTests: XCTestCase {
    private let unavailable = AWSError(code: "ServiceUnavailable", message: "try later", statusCode: 503)

    func testRun_whenReceivesFailTransiently_logsEachAndKeepsReceiving() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false)
        bed.broker.faults.fail(.receiveMessage, with: unavailable, times: 3)
        let id = try await bed.sendThing("http://things/1")
        let loop = try bed.loop { _ in result(.succeeded) }
        let report = await bed.runUntilEmpty(loop)

        XCTAssertEqual(report.deletedIds, [id])
        let failures = bed.logs.records.filter { $0.message.contains("failed") && $0.message.contains("ServiceUnavailable") }
        XCTAssertEqual(failures.map(\.level), [.warning, .warning, .warning])
        XCTAssertTrue(failures[2].message.contains("(3 in a row)"), failures[2].message)
    }

    func testRun_whenAReceiveFailsForAReasonRetryingMayNotFix_logsAnErrorAndStillKeepsReceiving() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false)
        bed.broker.faults.fail(.receiveMessage, with: AWSError(code: "AccessDenied", message: "no", statusCode: 403), times: 1)
        let id = try await bed.sendThing("http://things/1")
        let loop = try bed.loop { _ in result(.succeeded) }
        let report = await bed.runUntilEmpty(loop)

        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(bed.logs.records.filter { $0.message.contains("AccessDenied") }.map(\.level), [.error])
    }

    func testRun_whenADeleteBatchEntryFailsRetryably_triesThatEntryAgain_andOnlyIt() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false)
        bed.sqs.failEntries("DeleteMessageBatch", call: 0, positions: [0],
                            with: BatchResultError(id: "", code: "InternalError", message: "oops", senderFault: false))
        for index in 0..<3 { try await bed.sendThing("http://things/\(index)") }
        let loop = try bed.loop { _ in result(.succeeded) }
        let report = await bed.runUntilEmpty(loop)

        let deletes = bed.sqs.batchCalls.filter { $0.action == "DeleteMessageBatch" }
        let first = deletes[0].receiptHandles
        let failed = first[0]
        let retries = deletes.dropFirst().filter { $0.receiptHandles.contains(failed) }
        XCTAssertEqual(retries.count, 1, "the failed entry tried again once")
        XCTAssertTrue(Set(retries.first?.receiptHandles ?? []).isDisjoint(with: first.dropFirst()),
                      "the retry holds none of the entries that succeeded")
        XCTAssertEqual(deletes.flatMap(\.receiptHandles).count, 4, "the others deleted once each")
        XCTAssertEqual(report.deletedIds.count, 3)
        XCTAssertTrue(report.unacknowledgedIds.isEmpty)
        XCTAssertTrue(bed.logs.records.contains { $0.level == .warning && $0.message.contains("InternalError") })
    }

    func testRun_whenSQSRefusesADeleteEntry_logsAnErrorNamingTheMessage_doesNotRetryIt_andReportsItUnacknowledged() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false)
        bed.sqs.failEntries("DeleteMessageBatch", call: 0, positions: [0],
                            with: BatchResultError(id: "", code: "ReceiptHandleIsInvalid", message: "bad handle", senderFault: true))
        let id = try await bed.sendThing("http://things/1")
        let handled = Recorder<String>()
        let loop = try bed.loop { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the refusal logged") { bed.logs.records.contains { $0.level == .error } }
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(report.unacknowledgedIds, [id])
        XCTAssertTrue(report.deletedIds.isEmpty)
        XCTAssertEqual(bed.sqs.batchCalls.filter { $0.action == "DeleteMessageBatch" }.count, 1, "not retried")
        let error = try XCTUnwrap(bed.logs.records.first { $0.level == .error })
        XCTAssertTrue(error.message.contains(id) && error.message.contains("ReceiptHandleIsInvalid"), error.message)
        XCTAssertEqual(error.metadata["pubsub.message_id"], id)
        let remaining = try await bed.remaining()
        XCTAssertEqual(remaining.map(\.messageId), [id], "still in the queue: SQS delivers it again")
    }

    func testRun_whenAVisibilityChangeKeepsFailing_givesUpAfterTheConfiguredAttempts_andLogsAnError() async throws {
        let bed = try await DaemonTestBed.make(manualClock: false, config: ["consumer_daemon": ["acknowledgement_attempts": 3]])
        for call in 0..<3 {
            bed.sqs.failEntries("ChangeMessageVisibilityBatch", call: call, positions: [0],
                                with: BatchResultError(id: "", code: "ServiceUnavailable", senderFault: false))
        }
        let id = try await bed.sendThing("http://things/1")
        let loop = try bed.loop { _ in result(.retried, retryAfter: 60) }
        let run = Task { await loop.run() }
        await eventually("given up") { bed.logs.records.contains { $0.level == .error } }
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(bed.sqs.batchCalls.filter { $0.action == "ChangeMessageVisibilityBatch" }.count, 3)
        XCTAssertEqual(report.unacknowledgedIds, [id])
        let error = try XCTUnwrap(bed.logs.records.first { $0.level == .error })
        XCTAssertTrue(error.message.contains("attempt 3"), error.message)
    }
}
