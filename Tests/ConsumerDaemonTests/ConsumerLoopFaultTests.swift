import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// Each fault class a real SQS endpoint shows, injected into the in-memory broker: a connection
/// reset before the server handles a request, a reset after it applied it, 500 and 503, throttling,
/// a reply slower than the read timeout, a body cut half-way, and the endpoint refusing
/// connections for a while (at start-up and mid-run). For each: nothing is lost, nothing is
/// handled twice while no outage outlasts the visibility timeout, the loop keeps running, and each
/// failure is one clear log line.
///
/// Time is the broker's manual clock, which the loop also runs on. A test moves it a second (or a
/// backoff) at a time and waits for the loop's reaction to each moment before moving it again, as
/// time passes for a running loop; no test sleeps for real or measures time. Backoffs are 0.1 to
/// 0.2 s, so a retry is due by the next second.
final class ConsumerLoopFaultTests: XCTestCase {
    private enum Fault {
        static let url = "https://sqs.us-east-1.amazonaws.com/"
        static let reset = HTTPTransportError(.connectionClosed, url: url, detail: "Connection reset by peer")
        static let cutBody = HTTPTransportError(.connectionClosed, url: url, detail: "transfer closed with 187 bytes remaining to read")
        static let readTimeout = HTTPTransportError(.timedOut, url: url, detail: "Operation timed out after 60000 milliseconds")
        static let internalError = AWSError(code: "InternalError", message: "We encountered an internal error.", statusCode: 500)
        static let unavailable = AWSError(code: "ServiceUnavailable", message: "Service Unavailable", statusCode: 503)
        static let throttled = AWSError(code: "ThrottlingException", message: "Rate exceeded", statusCode: 400)
    }

    private let extend = "ChangeMessageVisibilityBatch"
    private let delete = "DeleteMessageBatch"

    /// A bed whose queue keeps messages invisible `visibility` seconds, with short backoffs.
    private func bed(visibility: Int = 10, config: JSONObject = [:]) async throws -> DaemonTestBed {
        try await DaemonTestBed.make(queueAttributes: ["VisibilityTimeout": String(visibility)],
                                     config: Configuration.merge(["consumer_daemon": ["error_backoff_seconds": 0.2,
                                                                                      "max_error_backoff_seconds": 0.2]], config))
    }

    /// Sends `count` things; returns their message ids.
    private func send(_ count: Int, to bed: DaemonTestBed) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count { ids.append(try await bed.sendThing("http://things/\(index)")) }
        return ids
    }

    private func warnings(_ bed: DaemonTestBed, containing text: String) -> [String] {
        bed.logs.records.filter { $0.level == .warning && $0.message.contains(text) }.map(\.message)
    }

    /// Shuts the loop down and returns its report; the run must end by itself (no grace period).
    private func stop(_ loop: ConsumerLoop, _ run: Task<ConsumerLoopReport, Never>) async -> ConsumerLoopReport {
        loop.triggerGracefulShutdown()
        return await run.value
    }

    // MARK: Connection reset before the server handles the request

    func testConnectionResetBeforeTheServerHandlesAReceiveOrADelete_nothingApplied_retried_eachMessageHandledOnce() async throws {
        let bed = try await bed()
        let ids = try await send(3, to: bed)
        bed.broker.faults.fail(.receiveMessage, with: Fault.reset, times: 2)
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.reset, times: 1)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the first receive reset") { bed.sqs.failedReceives.count == 1 }
        await bed.advance(by: 1, until: "the second receive reset") { bed.sqs.failedReceives.count == 2 }
        await bed.advance(by: 1, until: "all handled, the first delete reset") { handled.count == 3 && bed.calls(delete) >= 1 }
        await bed.advance(by: 1, until: "the queue empty") { await bed.isEmpty }
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all.sorted(), ids.sorted(), "each handled once")
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted())
        XCTAssertEqual(report.ending, .shutdown, "the loop kept running until shut down")
        XCTAssertEqual(warnings(bed, containing: "Connection reset by peer").count, 3, "one line per failure: two receives, one delete")
        XCTAssertTrue(warnings(bed, containing: "(2 in a row)").count == 1)
    }

    // MARK: Connection reset after the server applied the request

    func testConnectionResetAfterTheServerAppliedADelete_theRetryIsAccepted_andTheMessageIsHandledOnce() async throws {
        let bed = try await bed()
        let ids = try await send(3, to: bed)
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.reset, times: 1, afterApplying: true)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the reset logged") { !self.warnings(bed, containing: "Connection reset by peer").isEmpty }
        let applied = try await bed.remaining()
        XCTAssertTrue(applied.count < 3, "the reset call took effect")
        await bed.advance(by: 1, until: "the queue empty, each delete tried again") { await bed.isEmpty }
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all.sorted(), ids.sorted())
        XCTAssertEqual(report.deleted, 3)
        XCTAssertEqual(report.unacknowledged, 0, "deleting what is already gone with its handle succeeds, as on SQS")
        XCTAssertEqual(warnings(bed, containing: "Connection reset by peer").count, 1)
    }

    func testConnectionResetAfterTheServerTookMessagesForAReceive_theyComeBackAfterTheVisibilityTimeout_andAreHandledOnce() async throws {
        let bed = try await bed()
        let ids = try await send(2, to: bed)
        bed.broker.faults.fail(.receiveMessage, with: Fault.reset, times: 1, afterApplying: true)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the receive reset") { bed.sqs.failedReceives.count == 1 }
        let taken = try await bed.remaining()
        XCTAssertEqual(taken.map(\.state), [.inFlight, .inFlight], "the server took them; the loop never saw them")
        await bed.advance(by: 10, until: "both handled once they were visible again") { handled.count == 2 }
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all.sorted(), ids.sorted())
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted())
        XCTAssertEqual(warnings(bed, containing: "Connection reset by peer").count, 1)
    }

    // MARK: 500 and 503

    func testInternalErrorAndServiceUnavailable_onReceivesAndExtensions_retried_andASlowHandlersMessageIsHandledOnce() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/slow")
        bed.broker.faults.fail(.receiveMessage, with: Fault.internalError, times: 1)
        bed.broker.faults.fail(.changeMessageVisibilityBatch, with: Fault.unavailable, times: 3)
        let handled = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(visibilityTimeout: 10, heldAt(release, recordingIn: handled))
        let run = Task { await loop.run() }
        await eventually("the receive failed") { bed.sqs.failedReceives.count == 1 }
        await bed.advance(by: 1, until: "the handler started") { handled.count == 1 }
        for step in 1...15 {
            // Extensions are due every second: the first three fail (503), the rest renew the lease.
            await bed.advance(by: 1, until: "extension \(step)") { bed.calls(extend) == step }
        }
        await eventually("renewed past the first 10 s") { (await bed.visibleAt(id) ?? .distantPast) > bed.now.addingTimeInterval(8) }
        release.open()
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id], "handled once, 16 s after a receive with 10 s of visibility")
        XCTAssertEqual(bed.sqs.receives.map(\.count).reduce(0, +), 1)
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(report.leaseLost, 0)
        XCTAssertEqual(warnings(bed, containing: "InternalError").count, 1)
        XCTAssertEqual(warnings(bed, containing: "ServiceUnavailable").count, 3, "one line per failed call")
        XCTAssertTrue(warnings(bed, containing: "ServiceUnavailable").allSatisfy { $0.hasPrefix("visibility heartbeat: 1 extension(s) failed") })
    }

    // MARK: Throttling

    func testThrottling_ofReceivesAndDeletes_retried_theMessageHandledOnce() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.fail(.receiveMessage, with: Fault.throttled, times: 2)
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.throttled, times: 2)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the first receive throttled") { bed.sqs.failedReceives.count == 1 }
        await bed.advance(by: 1, until: "the second receive throttled") { bed.sqs.failedReceives.count == 2 }
        await bed.advance(by: 1, until: "handled, the first delete throttled") { handled.count == 1 && bed.calls(delete) == 1 }
        await bed.advance(by: 1, until: "the second delete throttled") { bed.calls(delete) == 2 }
        await bed.advance(by: 1, until: "the queue empty") { await bed.isEmpty }
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(warnings(bed, containing: "ThrottlingException").count, 4)
    }

    // MARK: A reply slower than the read timeout

    func testAReplySlowerThanTheReadTimeout_receiveNotApplied_deleteApplied_eachMessageHandledOnce() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.setLatency(.seconds(3), for: .deleteMessageBatch)
        bed.broker.faults.fail(.receiveMessage, with: Fault.readTimeout, times: 1)
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.readTimeout, times: 1, afterApplying: true)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the receive timed out") { bed.sqs.failedReceives.count == 1 }
        await bed.advance(by: 1, until: "handled, its delete waiting for a slow reply") { handled.count == 1 && bed.calls(delete) == 1 }
        await bed.advance(by: 1, until: "its lease renewed while the delete is out") { bed.calls(extend) == 1 }
        await bed.advance(by: 1, until: "renewed again") { bed.calls(extend) == 2 }
        await bed.advance(by: 1, until: "the delete's reply timed out") { self.warnings(bed, containing: "timed out").count == 2 }
        let gone = try await bed.remaining()
        XCTAssertTrue(gone.isEmpty, "the timed-out delete took effect")
        await bed.advance(by: 1, until: "the delete sent again") { bed.calls(delete) == 2 }
        bed.manualClock.advance(by: .seconds(3))
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(report.unacknowledged, 0)
        XCTAssertEqual(warnings(bed, containing: "timed out").count, 2, "the receive's and the delete's")
    }

    // MARK: A body cut half-way

    func testABodyCutHalfWay_afterAnExtensionAndADeleteWereApplied_retried_andTheMessageIsHandledOnce() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.fail(.changeMessageVisibilityBatch, with: Fault.cutBody, times: 1, afterApplying: true)
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.cutBody, times: 1, afterApplying: true)
        let handled = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(visibilityTimeout: 10, heldAt(release, recordingIn: handled))
        let run = Task { await loop.run() }
        await eventually("the handler started") { handled.count == 1 }
        let start = bed.now
        await bed.advance(by: 1, until: "the extension applied, its reply cut") { bed.calls(self.extend) == 1 }
        await eventually("applied") { await bed.visibleAt(id) == start.addingTimeInterval(11) }
        await bed.advance(by: 1, until: "extended again") { bed.calls(self.extend) == 2 }
        await eventually("applied again") { await bed.visibleAt(id) == start.addingTimeInterval(12) }
        release.open()
        await eventually("the delete applied, its reply cut") { bed.calls(self.delete) == 1 }
        await bed.advance(by: 1, until: "the delete sent again") { bed.calls(self.delete) == 2 }
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        let left = try await bed.remaining()
        XCTAssertTrue(left.isEmpty)
        XCTAssertEqual(warnings(bed, containing: "transfer closed").count, 2)
    }

    // MARK: The endpoint refusing connections

    func testAnOutageAtStartUp_longerThanTheQueuesVisibility_withAHandlerSlowerThanIt_handlesTheMessageOnce() async throws {
        let bed = try await bed(visibility: 5)
        let id = try await bed.sendThing("http://things/slow")
        bed.broker.faults.refuseConnections(for: .seconds(25))
        let handled = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(heldAt(release, recordingIn: handled))
        XCTAssertEqual(loop.visibilityTimeout, 30, "SQS's default until the queue's can be read; receives ask for it")
        let run = Task { await loop.run() }
        await eventually("the first receive refused") { bed.sqs.failedReceives.count == 1 }
        for second in 1..<25 {
            await bed.advance(by: 1, until: "receive \(second + 1) refused") { bed.sqs.failedReceives.count == second + 1 }
        }
        await bed.advance(by: 1, until: "the outage over: received, the queue's 5 s read") {
            handled.count == 1 && loop.visibilityTimeout == 5
        }
        for step in 1...8 {
            await bed.advance(by: 1, until: "extension \(step) (every second, by 5 s)") { bed.calls(self.extend) == step }
        }
        release.open()
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id], "an 8 s handler on a 5 s queue after a 25 s outage: handled once")
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(bed.sqs.receives.map(\.count).reduce(0, +), 1)
        XCTAssertEqual(warnings(bed, containing: "cannot read the attributes of queue").count, 1, "said once, then retried quietly")
        XCTAssertTrue(bed.logs.records.contains { $0.level == .info && $0.message.contains("messages leased for 5 s (the queue's VisibilityTimeout)") })
        XCTAssertEqual(warnings(bed, containing: "Connection refused").count, 26, "each refused receive, and the first attribute read")
    }

    func testACredentialsErrorAtStartUp_keepsTheHeartbeat_andASlowHandlersMessageIsHandledOnce() async throws {
        struct CredentialsUnavailable: Error, CustomStringConvertible {
            var description: String { "container credentials endpoint answered HTTP 500" }
        }
        let bed = try await bed(visibility: 5)
        let id = try await bed.sendThing("http://things/slow")
        bed.broker.faults.fail(.getQueueAttributes, with: CredentialsUnavailable(), times: 3)
        let handled = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(heldAt(release, recordingIn: handled))
        let run = Task { await loop.run() }
        await eventually("received with SQS's default 30 s, the first read failed") { handled.count == 1 && bed.sqs.attributeReads == 1 }
        XCTAssertEqual(loop.visibilityTimeout, 30)
        XCTAssertEqual(loop.heartbeatInterval, .seconds(3), "the heartbeat is never off for want of the attribute")
        await bed.advance(by: 1, until: "the second read failed") { bed.sqs.attributeReads == 2 }
        await bed.advance(by: 1, until: "the third read failed") { bed.sqs.attributeReads == 3 }
        await bed.advance(by: 1, until: "the queue's 5 s read, the lease renewed") { loop.visibilityTimeout == 5 && bed.calls(self.extend) == 1 }
        for second in 4...10 {
            await bed.advance(by: 1, until: "renewed at \(second) s") { bed.calls(self.extend) == second - 2 }
        }
        release.open()
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(warnings(bed, containing: "container credentials endpoint answered HTTP 500").count, 1)
    }

    func testAnOutageMidRun_shorterThanTheVisibilityTimeout_losesNoLease_andHandlesEachMessageOnce() async throws {
        let bed = try await bed()
        let ids = try await send(3, to: bed)
        let handled = Recorder<String>()
        let release = Gate()
        let loop = try bed.loop(visibilityTimeout: 10, heldAt(release, recordingIn: handled))
        let run = Task { await loop.run() }
        await eventually("three handlers running") { handled.count == 3 }
        await bed.advance(by: 1, until: "renewed") { bed.calls(self.extend) == 1 }
        await bed.advance(by: 1, until: "renewed") { bed.calls(self.extend) == 2 }
        bed.broker.faults.refuseConnections(for: .seconds(9))
        for second in 3...11 {
            await bed.advance(by: 1, until: "extension at \(second) s") { bed.calls(self.extend) == second }
        }
        await eventually("renewed after the outage") { (await bed.visibleAt(ids[0]) ?? .distantPast) > bed.now.addingTimeInterval(8) }
        release.open()
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all.sorted(), ids.sorted(), "a 9 s outage on a 10 s queue: each handled once")
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted())
        XCTAssertEqual(report.leaseLost, 0)
        XCTAssertEqual(warnings(bed, containing: "visibility heartbeat: 3 extension(s) failed").count, 8, "one line per failed call")
    }

    // MARK: Leases

    func testADeleteFailingForLongerThanTheVisibilityTimeout_keepsTheMessageExtended_andItIsHandledOnce() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.fail(.deleteMessageBatch, with: Fault.unavailable)
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            handled.append(message.messageId)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("handled, its delete failing") { handled.count == 1 && bed.calls(self.delete) == 1 }
        for second in 1...25 {
            await bed.advance(by: 1, until: "renewed at \(second) s, the delete tried again") {
                bed.calls(self.extend) == second && bed.calls(self.delete) == second + 1
            }
        }
        let held = try await bed.remaining()
        XCTAssertEqual(held.map(\.receiveCount), [1], "25 s after a receive with 10 s of visibility, still not delivered again")
        XCTAssertEqual(held.map(\.state), [.inFlight])
        bed.broker.faults.clearFailure(.deleteMessageBatch)
        await bed.advance(by: 1, until: "deleted once SQS took deletes again") { await bed.isEmpty }
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(report.unacknowledged, 0)
    }

    func testAnExtensionWhoseReplyIsHeldLongerThanTheLease_doesNotStopTheRenewals_andTheMessageIsHandledOnce() async throws {
        let bed = try await bed(visibility: 5)
        let id = try await bed.sendThing("http://things/1")
        // The first extension is applied, but its reply comes 20 s later, as a read timeout.
        bed.broker.faults.holdReplies(of: .changeMessageVisibilityBatch, for: .seconds(20), times: 1,
                                      thenFailWith: Fault.readTimeout)
        let release = Gate()
        let handled = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 5) { message in
            handled.append(message.messageId)
            await release.wait()
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the handler started") { handled.count == 1 }
        await bed.advance(by: 1, until: "the first renewal out, its reply held") { bed.calls(self.extend) == 1 }
        for second in 2...12 {
            await bed.advance(by: 1, until: "renewed at \(second) s beside the held call") { bed.calls(self.extend) == second }
        }
        let held = try await bed.remaining()
        XCTAssertEqual(held.map(\.receiveCount), [1], "12 s after a receive with 5 s of visibility, not delivered again")
        XCTAssertEqual(held.map(\.state), [.inFlight])
        release.open()
        await bed.advance(by: 1, until: "deleted") { await bed.isEmpty }
        bed.manualClock.advance(by: .seconds(10))   // the held reply comes back, a read timeout
        let report = await stop(loop, run)

        XCTAssertEqual(handled.all, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertTrue(bed.logs.records.filter { $0.level == .warning && $0.message.contains("lost") }.isEmpty)
    }

    func testWhenSQSSaysTheReceiptHandleIsNoLongerValid_onAnExtension_theHandlerIsCancelled_theMessageNotDeleted_loggedOnce() async throws {
        let refusals = [
            BatchResultError(id: "", code: "ReceiptHandleIsInvalid", message: "The input receipt handle is invalid.", senderFault: true),
            BatchResultError(id: "", code: "AWS.SimpleQueueService.MessageNotInflight", message: "The message is not in flight.",
                             senderFault: true),
            BatchResultError(id: "", code: "InvalidParameterValue", message: "Value AQEB for parameter ReceiptHandle is invalid. Reason: "
                                 + "Message does not exist or is not available for visibility timeout change.", senderFault: true),
        ]
        for refusal in refusals {
            let bed = try await bed()
            let id = try await bed.sendThing("http://things/1")
            bed.sqs.failEntries(extend, call: 0, positions: [0], with: refusal)
            let started = Recorder<String>()
            let sawCancellation = Recorder<Bool>()
            let loop = try bed.loop(visibilityTimeout: 10) { message in
                started.append(message.messageId)
                await untilCancelled()
                sawCancellation.append(Task.isCancelled)
                return result(.succeeded)
            }
            let run = Task { await loop.run() }
            await eventually("the handler started") { started.count == 1 }
            await bed.advance(by: 1, until: "\(refusal.code): the handler cancelled") { sawCancellation.count == 1 }
            let report = await stop(loop, run)

            XCTAssertEqual(sawCancellation.all, [true], refusal.code.rawValue)
            XCTAssertEqual(report.leaseLostIds, [id], refusal.code.rawValue)
            XCTAssertEqual(report.deletedIds, [], refusal.code.rawValue)
            XCTAssertEqual(bed.calls(delete), 0, refusal.code.rawValue)
            XCTAssertEqual(report.results[.succeeded], 1, "the result is counted, not acknowledged")
            let lost = warnings(bed, containing: "lease of message \(id) lost")
            XCTAssertEqual(lost.count, 1, refusal.code.rawValue)
            XCTAssertTrue(lost.first?.contains(refusal.code.rawValue) ?? false, lost.first ?? "")
            let left = try await bed.remaining()
            XCTAssertEqual(left.map(\.messageId), [id], "left for SQS to deliver again")
        }
    }

    func testWhenExtensionsFailUntilTheLeaseRunsOut_theHandlerIsCancelled_andSQSDeliversTheMessageAgain() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.fail(.changeMessageVisibilityBatch, with: Fault.unavailable, times: 9)
        let calls = Recorder<Bool>()
        let loop = try bed.loop(visibilityTimeout: 10) { _ in
            if calls.count == 0 {
                calls.append(false)
                await untilCancelled()
                calls.append(Task.isCancelled)
                return result(.succeeded)
            }
            calls.append(true)
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the handler started") { calls.count == 1 }
        for second in 1...9 {
            await bed.advance(by: 1, until: "extension \(second) failed") { bed.calls(self.extend) == second }
        }
        await bed.advance(by: 1, until: "the lease ran out: handler cancelled, the message delivered again and handled") {
            calls.count == 3
        }
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(calls.all, [false, true, true], "cancelled, then handled on its second delivery")
        XCTAssertEqual(report.leaseLostIds, [id])
        XCTAssertEqual(report.deletedIds, [id], "deleted after its second delivery, not after the first")
        XCTAssertEqual(warnings(bed, containing: "lease of message \(id) lost").count, 1)
    }

    func testWhenAFIFOGroupsLeasesRunOut_itsRunningAndWaitingMessagesAreLost_thenHandledAgainInOrder() async throws {
        let bed = try await DaemonTestBed.make(fifo: true, queueAttributes: ["VisibilityTimeout": "10"],
                                               config: ["consumer_daemon": ["error_backoff_seconds": 0.2, "max_error_backoff_seconds": 0.2]])
        var ids: [String] = []
        for index in 1...2 { ids.append(try await bed.sendThing("http://things/a/\(index)", group: "a")) }
        bed.broker.faults.fail(.changeMessageVisibilityBatch, with: Fault.unavailable, times: 9)
        let calls = Recorder<String>()
        let loop = try bed.loop(visibilityTimeout: 10) { message in
            calls.append(message.uri ?? "")
            if calls.count == 1 { await untilCancelled() }
            return result(.succeeded)
        }
        let run = Task { await loop.run() }
        await eventually("the group's first message running, the second waiting behind it") { calls.count == 1 }
        for second in 1...9 {
            await bed.advance(by: 1, until: "extension \(second) of both failed") { bed.calls(self.extend) == second }
        }
        await bed.advance(by: 1, until: "both leases lost, the group delivered again and handled in order") { calls.count == 3 }
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(calls.all, ["http://things/a/1", "http://things/a/1", "http://things/a/2"])
        XCTAssertEqual(report.leaseLostIds.sorted(), ids.sorted(), "the running one and the one waiting behind it")
        XCTAssertEqual(report.deletedIds.sorted(), ids.sorted(), "both deleted (their deletes may be in separate calls)")
    }

    func testAHandlerRunningTwelveHours_isExtendedNoFurtherThanSQSAllows_thenCancelled() async throws {
        let bed = try await bed(visibility: 3600)
        let id = try await bed.sendThing("http://things/endless")
        let started = Recorder<String>()
        let sawCancellation = Recorder<Bool>()
        let loop = try bed.loop(visibilityTimeout: 3600) { message in
            started.append(message.messageId)
            guard started.count == 1 else { return result(.succeeded) }
            await untilCancelled()
            sawCancellation.append(Task.isCancelled)
            return result(.succeeded)
        }
        XCTAssertEqual(loop.heartbeatInterval, .seconds(360))
        let run = Task { await loop.run() }
        await eventually("the handler started") { started.count == 1 }
        for step in 1...119 {
            await bed.advance(by: 360, until: "renewed at \(step * 360) s") { bed.calls(extend) == step }
        }
        let last = await bed.visibleAt(id)
        XCTAssertEqual(last, bed.start.addingTimeInterval(43_199), "the last extension stops short of 12 hours after the receive")
        await bed.advance(by: 360, until: "12 hours: the handler cancelled") { sawCancellation.count == 1 }
        await bed.waitUntilEmpty()
        let report = await stop(loop, run)

        XCTAssertEqual(started.all, [id, id], "SQS delivered it again, and it was handled then")
        XCTAssertEqual(report.leaseLostIds, [id])
        XCTAssertEqual(report.deletedIds, [id])
        XCTAssertEqual(bed.calls(extend), 119)
        XCTAssertEqual(warnings(bed, containing: "nears the 12 hours SQS keeps a message invisible").count, 1)
        XCTAssertEqual(warnings(bed, containing: "lease of message \(id) lost: SQS keeps a message invisible at most 12 hours").count, 1)
    }

    func testANackWaitsForAnExtensionOfTheSameMessageInFlight_soItIsNeverOvertaken() async throws {
        let bed = try await bed()
        let id = try await bed.sendThing("http://things/1")
        bed.broker.faults.setLatency(.seconds(2), for: .changeMessageVisibilityBatch)
        let release = Gate()
        let started = Recorder<String>()
        let done = Recorder<ConsumerLoopBatch>()
        let loop = try bed.loop(visibilityTimeout: 10, onBatch: { done.append($0) }) { message in
            started.append(message.messageId)
            await release.wait()
            return result(.failed)
        }
        let run = Task { await loop.run() }
        await eventually("the handler started") { started.count == 1 }
        let start = bed.now
        await bed.advance(by: 1, until: "an extension out, its reply 2 s away") { bed.calls(self.extend) == 1 }
        release.open()
        await eventually("the handler ended FAILED, its nack queued") { done.count == 1 }
        await bed.advance(by: 2, until: "the extension back, then the nack sent") { bed.calls(self.extend) == 2 }
        await bed.advance(by: 2, until: "the nack applied: visible 5 s after it") {
            await bed.visibleAt(id) == start.addingTimeInterval(3 + 2 + 5)
        }
        let report = await stop(loop, run)

        let changes = bed.sqs.batchCalls.filter { $0.action == extend }
        XCTAssertEqual(changes.map { $0.at.timeIntervalSince(start) }, [1, 3], "the nack went out once the extension was back")
        XCTAssertEqual(report.handedBackIds, [id])
    }
}
