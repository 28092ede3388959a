import Foundation
import Microcosm
import MicrocosmPubSub
import XCTest

/// The one log line per result (its level and metadata) and the metrics each dispatch reports.
final class DispatchReportingTests: XCTestCase {
    // MARK: Logging

    func testLog_succeeded_isOneInfoLineWithMediaTypeResultElapsedIdAndContext() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        let message = try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1"])
        _ = await dispatcher.dispatch(message)
        XCTAssertEqual(bed.resultRecords.count, 1)
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .info)
        XCTAssertEqual(record.message, "Result for media type: \(MediaType.created("Thing")) was : SUCCEEDED")
        XCTAssertEqual(record.metadata["pubsub.media_type"], MediaType.created("Thing").rawValue)
        XCTAssertEqual(record.metadata["pubsub.result"], "SUCCEEDED")
        let elapsed = try XCTUnwrap(record.metadata["pubsub.elapsed_ms"])
        XCTAssertNotNil(elapsed.wholeMatch(of: /[0-9]+\.[0-9]{3}/), elapsed)
        XCTAssertEqual(record.metadata["pubsub.message_id"], message.messageId)
        XCTAssertEqual(record.metadata["x-request-id"], "req-1")
        XCTAssertEqual(record.metadata["message_id"], message.messageId)
        XCTAssertEqual(record.metadata["x-request-ttl"], "31")
        XCTAssertEqual(record.metadata["uri"], "http://things/1")
        XCTAssertNil(record.metadata["pubsub.error"])
        XCTAssertNil(record.metadata["pubsub.reason"])
    }

    func testLog_failed_isAWarningWithTheError() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw DispatchTestFailure() }
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .warning)
        XCTAssertEqual(record.metadata["pubsub.result"], "FAILED")
        XCTAssertEqual(record.metadata["pubsub.error"], "the thing store is down")
        XCTAssertEqual(record.message, "Result for media type: \(MediaType.created("Thing")) was : FAILED (the thing store is down)")
    }

    func testLog_skipped_isInfoWithTheReasonAndExtra() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw SkipMessage("thing is archived", extra: ["thing_state": "archived"]) }
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .info)
        XCTAssertEqual(record.metadata["pubsub.result"], "SKIPPED")
        XCTAssertEqual(record.metadata["pubsub.reason"], "thing is archived")
        XCTAssertEqual(record.metadata["thing_state"], "archived")
    }

    func testLog_retried_isInfoWithTheDelayAndReason() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw Nack(visibilityTimeout: 30, reason: "not committed yet") }
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .info)
        XCTAssertEqual(record.metadata["pubsub.result"], "RETRIED")
        XCTAssertEqual(record.metadata["pubsub.visibility_timeout"], "30")
        XCTAssertEqual(record.metadata["pubsub.reason"], "not committed yet")
    }

    func testLog_ignored_isDebug() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher(for: .changed("Thing")) { _ in true }
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .debug)
        XCTAssertEqual(record.metadata["pubsub.result"], "IGNORED")
        XCTAssertEqual(record.metadata["pubsub.reason"], "No handler was registered for: \(MediaType.created("Thing"))")
    }

    func testLog_expired_isAWarningWithTheTTL() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        _ = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["x-request-ttl": "1"]))
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertEqual(record.level, .warning)
        XCTAssertEqual(record.metadata["pubsub.result"], "EXPIRED")
        XCTAssertEqual(record.metadata["x-request-ttl"], "0")
    }

    func testLog_belowTheLoggersLevel_isNotWritten() async throws {
        let bed = try await DispatchTestBed.make(logLevel: .warning)
        let succeeding = try bed.dispatcher { message in
            guard message.uri == "http://things/1" else { throw DispatchTestFailure() }
            return true
        }
        _ = await succeeding.dispatch(try await bed.producedMessage())
        XCTAssertEqual(bed.resultRecords.count, 0)
        try await bed.produce(uri: "http://things/2")
        _ = await succeeding.dispatch(try await bed.consumeOne())
        XCTAssertEqual(bed.resultRecords.map(\.level), [.warning])
    }

    func testLog_unreadableBody_isNeverWrittenWhole() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        try await bed.publishText("card number 4111111111111111 expires 12/31", mediaType: MediaType.created("Thing").rawValue)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .failed)
        let record = try XCTUnwrap(bed.resultRecords.first)
        XCTAssertNotNil(record.metadata["pubsub.error"])
        for written in [record.message] + record.metadata.values {
            XCTAssertFalse(written.contains("4111111111111111"), written)
        }
    }

    func testLog_goesThroughTheGraphsLoggerWithItsOpaqueMetadata() async throws {
        let bed = try await DispatchTestBed.make()
        let logs = InMemoryLogHandler()
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: ["opaque": ["x-service": "things"], "logging": ["level": "debug"]])
        var logger = graph.logger
        logger.handler = logs
        graph.assign("logger", logger)
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        let dispatcher = try SQSMessageDispatcher(graph: graph, handlers: handlers)
        _ = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1"]))
        let record = try XCTUnwrap(logs.records.first { $0.message.hasPrefix("Result for media type:") })
        XCTAssertEqual(record.label, "things")
        XCTAssertEqual(record.metadata["x-service"], "things", "the graph's base opaque values")
        XCTAssertEqual(record.metadata["x-request-id"], "req-1")
    }

    // MARK: Metrics

    func testMetrics_eachDispatchRecordsItsResult() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        handlers.register(.changed("Thing")) { _ in throw DispatchTestFailure() }
        let dispatcher = try bed.dispatcher(handlers)
        var results: [MessageHandlingResult] = []
        for mediaType in [MediaType.created("Thing"), .changed("Thing"), .created("Thing"), .deleted("Thing")] {
            try await bed.produce(mediaType, mediaType == .deleted("Thing") ? ["id": "1"] : [:],
                                  uri: mediaType == .deleted("Thing") ? nil : "http://things/1")
            results.append(await dispatcher.dispatch(try await bed.consumeOne()))
        }
        XCTAssertEqual(bed.metrics.counts, [.succeeded: 2, .failed: 1, .ignored: 1])
        XCTAssertEqual(bed.metrics.count(of: .succeeded), 2)
        XCTAssertEqual(bed.metrics.count(of: .retried), 0)
        XCTAssertEqual(bed.metrics.messages.map(\.kind), results.map(\.kind))
        XCTAssertEqual(bed.metrics.messages.map(\.mediaType), [.created("Thing"), .changed("Thing"), .created("Thing"), .deleted("Thing")])
        XCTAssertEqual(bed.metrics.messages.map(\.elapsed), results.map(\.elapsed))
    }

    func testMetrics_publishToHandleDelay_isFromXRequestPublishedToTheStartOfHandling() async throws {
        let bed = try await DispatchTestBed.make()
        let message = try await bed.producedMessage()
        let published = try XCTUnwrap(message.opaqueData["x-request-published"].flatMap(Double.init))
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        let dispatcher = try SQSMessageDispatcher(graph: bed.graph, handlers: handlers, metrics: bed.metrics, now: { published + 2.5 })
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(try XCTUnwrap(result.publishToHandleDelay), 2.5, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(bed.metrics.messages.first?.publishToHandleDelay), 2.5, accuracy: 1e-6)
    }

    func testMetrics_withoutXRequestPublished_hasNoPublishToHandleDelay() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        try await bed.publishText(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertNil(result.publishToHandleDelay)
        XCTAssertEqual(bed.metrics.messages.count, 1)
        XCTAssertNil(bed.metrics.messages.first?.publishToHandleDelay)
    }

    func testMetrics_defaultBinding_recordsNothing() throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]))
        XCTAssertTrue(try graph.pubsubMetrics is NoPubSubMetrics)
    }

    func testInMemoryPubSubMetrics_keepsBatchesAndForgetsOnClear() {
        let metrics = InMemoryPubSubMetrics()
        metrics.recordBatch(size: 3, elapsed: .milliseconds(5))
        metrics.recordMessage(MessageHandlingResult(kind: .skipped, mediaType: .created("Thing")))
        XCTAssertEqual(metrics.batches.map(\.size), [3])
        XCTAssertEqual(metrics.batches.map(\.elapsed), [.milliseconds(5)])
        XCTAssertEqual(metrics.counts, [.skipped: 1])
        metrics.clear()
        XCTAssertEqual(metrics.batches.count, 0)
        XCTAssertEqual(metrics.messages.count, 0)
    }
}
