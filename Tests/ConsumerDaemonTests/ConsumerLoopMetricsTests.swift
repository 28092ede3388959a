import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmMetrics
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// A daemon's loop sends microcosm-pubsub's DogStatsD metrics when `metrics.host` names an agent:
/// per message from the dispatcher, per received batch from the loop's batch hook.
final class ConsumerLoopMetricsTests: XCTestCase {
    func testLoop_withAnAgentHost_sendsMessageAndBatchHistograms() async throws {
        let bed = try await DaemonTestBed.make(config: ["metrics": ["host": "datadog-agent"]])
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        bed.graph.assign(.sqsMessageHandlers, handlers)
        for index in 0..<3 { try await bed.sendThing("http://things/\(index)") }
        let loop = try ConsumerLoop(graph: bed.graph)
        let run = Task { await loop.run() }
        let metrics = try bed.graph.metrics
        await eventually("the batch sent") { metrics.recordedLines.contains { $0.hasPrefix("message_batch_size:") } }
        await bed.waitUntilEmpty()
        loop.triggerGracefulShutdown()
        _ = await run.value

        let names = metrics.recordedLines.map { String($0.prefix { $0 != ":" }) }
        XCTAssertEqual(names.filter { $0 == "message" }.count, 3)
        XCTAssertTrue(metrics.recordedLines.contains("message_batch_size:3|h|#source:microcosm-pubsub,service:things,environment:undefined"),
                      "\(metrics.recordedLines)")
        XCTAssertEqual(names.filter { $0 == "message_batch" }.count, 1)
    }
}
