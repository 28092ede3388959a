import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// The loop a daemon builds from its graph (`ConsumerLoop(graph:)`) reports to the graph's
/// `pubsub_metrics`: each message through the dispatcher, each received batch once it is done.
final class ConsumerLoopGraphTests: XCTestCase {
    func testInitGraph_recordsEachReceivedBatchInTheGraphsMetrics_countingAllButIgnored() async throws {
        let bed = try await DaemonTestBed.make()
        let metrics = InMemoryPubSubMetrics()
        bed.graph.assign(.pubsubMetrics, metrics)
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        bed.graph.assign(.sqsMessageHandlers, handlers)
        for index in 0..<3 { try await bed.sendThing("http://things/\(index)") }
        try await bed.send(try bed.graph.pubsubMessageSchemaRegistry.encode(.created("Other"), fields: ["uri": "http://others/1"]))
        let loop = try ConsumerLoop(graph: bed.graph)
        let run = Task { await loop.run() }

        await eventually("the first batch recorded") { metrics.batches.count == 1 }
        XCTAssertEqual(metrics.batches.map(\.size), [3], "IGNORED is not counted")
        let registry = try bed.graph.pubsubMessageSchemaRegistry
        let entries = try (3..<5).map { index in
            SendMessageBatchEntry(id: "e\(index)", messageBody: try registry.encode(.created("Thing"), fields: ["uri": .string("http://things/\(index)")]))
        }
        _ = try await bed.broker.sqs.sendMessageBatch(queueURL: bed.queueURL, entries: entries)  // one settle: one receive gets both
        await eventually("the second batch recorded") { metrics.batches.count == 2 }
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        let report = await run.value

        XCTAssertEqual(metrics.batches.map(\.size), [3, 2])
        XCTAssertEqual(metrics.count(of: .succeeded), 5)
        XCTAssertEqual(metrics.count(of: .ignored), 1)
        XCTAssertEqual(report.received, 6)
    }
    func testPubsubClock_ofATestingGraph_isTheBrokersClock_soAdvancingTheManualClockMovesTheLoopsTime() async throws {
        let bed = try await DaemonTestBed.make()
        let clock = try XCTUnwrap(try bed.graph.pubsubClock as? BrokerSwiftClock)
        XCTAssertTrue(clock.base as? ManualBrokerClock === bed.manualClock)
        let before = clock.now
        bed.manualClock.advance(by: .seconds(7))
        XCTAssertEqual(before.duration(to: clock.now), .seconds(7))
    }

    func testPubsubClockAndIOExecutor_forARealQueue_areTheContinuousClockAndTheTransportsEventLoop() throws {
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: [
            "sqs_consumer": ["sqs_queue_url": "http://127.0.0.1:9/123456789012/things", "endpoint_url": "http://127.0.0.1:9",
                             "region_name": "us-east-1"],
        ])
        XCTAssertTrue(try graph.pubsubClock is ContinuousClock)
        _ = try graph.sqsConsumer
        let transport = try XCTUnwrap(try graph.awsTransport as? CurlTransport)
        XCTAssertTrue(try graph.pubsubIOExecutor === transport.executor, "SQS calls run on the transport's event loop")
    }

    func testPubsubIOExecutor_forTheInMemoryBrokerOrAFile_isTheGlobalExecutor_andMakesNoTransport() async throws {
        let bed = try await DaemonTestBed.make()
        XCTAssertTrue(try bed.graph.pubsubIOExecutor === globalConcurrentExecutor)
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                              config: ["sqs_consumer": ["sqs_queue_url": "STDIN"]])
        XCTAssertTrue(try graph.pubsubIOExecutor === globalConcurrentExecutor)
        XCTAssertFalse(graph.isCreated(BindingKey.awsTransport.name))
    }
}
