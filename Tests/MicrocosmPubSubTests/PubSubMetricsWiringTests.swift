import AWSTestSupport
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmMetrics
import MicrocosmPubSub
import XCTest

/// The senders are wired where microcosm-pubsub calls them: the dispatcher (each result), the
/// batch hook (`pubsub_metrics`), the producer (each publish); and sending never fails a message.
final class PubSubMetricsWiringTests: XCTestCase {
    private static let metricsConfig: JSONObject = ["metrics": ["host": "datadog-agent"]]
    private static let thingType = MediaType.created("Thing").rawValue

    /// Lines of the testing graph's recording `metrics` client, values replaced by `#`.
    private func shapes(_ graph: Graph) throws -> [String] {
        try graph.metrics.recordedLines.map { line in
            let name = line.prefix { $0 != ":" }
            return name + ":#" + line.drop { $0 != "|" }
        }
    }

    func testDispatch_sendsMessageHistogramsPerResult_andNothingForIgnored() async throws {
        let bed = try await DispatchTestBed.make(config: Self.metricsConfig)
        bed.graph.override(.pubsubMetrics) { graph -> any PubSubMetrics in
            DogStatsDPubSubMetrics(send: try graph.pubsubSendMetrics, sendBatch: try graph.pubsubSendBatchMetrics)
        }
        let dispatcher = try bed.dispatcher { _ in true }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .succeeded)
        try await bed.produce(.created("Other"))
        _ = await dispatcher.dispatch(try await bed.consumeOne())

        let tags = "source:microcosm-pubsub,result:SUCCEEDED,media-type:\(Self.thingType),service:things,environment:undefined"
        let consumerLines = try bed.graph.metrics.recordedLines.filter { !$0.hasPrefix("sns_producer:") }   // the producer's are tested below
        XCTAssertEqual(try shapes(bed.graph).filter { !$0.hasPrefix("sns_producer:") },
                       ["message:#|h|#\(tags)", "message_handle_start:#|h|#\(tags)"])
        let elapsed = try XCTUnwrap(Double(consumerLines[0].split(separator: ":")[1].split(separator: "|")[0]))
        XCTAssertEqual(elapsed, result.elapsed.milliseconds, accuracy: 1e-9, "milliseconds, as microcosm-logging's elapsed_time")
    }

    func testDefaultPubSubMetrics_withAnAgentHost_sendsBatches() throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty, config: Self.metricsConfig)
        let metrics = try graph.pubsubMetrics
        XCTAssertTrue(metrics is DogStatsDPubSubMetrics)
        metrics.recordBatch(size: 0, elapsed: .milliseconds(3))
        metrics.recordBatch(size: 2, elapsed: .milliseconds(3))
        XCTAssertEqual(try graph.metrics.recordedDatagrams, [
            "message_batch:3.0|h|#source:microcosm-pubsub,service:things,environment:undefined\n"
                + "message_batch_size:2|h|#source:microcosm-pubsub,service:things,environment:undefined\n",
        ])
    }

    func testProduce_sendsOneHistogramPerPublish_successOrFailure() async throws {
        let graph = try ProducerTesting.graph(config: Self.metricsConfig)
        await XCTAssertThrowsErrorAsync(try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1"))
        try await ProducerTesting.createTopics(graph)
        try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1")
        let tags = { (outcome: String) in
            "source:microcosm-pubsub,publish_result:\(outcome),media_type:\(Self.thingType),service:things,environment:undefined"
        }
        XCTAssertEqual(try shapes(graph), ["sns_producer:#|h|#\(tags("FAILURE"))", "sns_producer:#|h|#\(tags("SUCCESS"))"])
    }

    func testDeferredBatch_sendsOneHistogramPerEntry() async throws {
        let graph = try ProducerTesting.graph(config: Self.metricsConfig)
        try await ProducerTesting.createTopics(graph)
        try await graph.snsProducer.deferredBatch { producer in
            for index in 0..<3 { try producer.produce(.created("Thing"), uri: "http://things/\(index)") }
        }
        XCTAssertEqual(try shapes(graph).count, 3)
        XCTAssertTrue(try shapes(graph).allSatisfy { $0.contains("publish_result:SUCCESS") })
    }

    func testProduce_whenSkipping_sendsNothing() async throws {
        let graph = try ProducerTesting.graph(debug: true, config: Self.metricsConfig)
        try await graph.snsProducer.produce(.created("Thing"), uri: "http://things/1")
        XCTAssertEqual(try graph.metrics.recordedLines, [])
    }

    func testDispatch_whenTheAgentRefuses_stillHandlesTheMessage() async throws {
        let closedPort: Int
        do { closedPort = try UDPListener().port }
        let bed = try await DispatchTestBed.make(config: Self.metricsConfig)
        let client = try DogStatsDClient(host: "127.0.0.1", port: closedPort, logger: bed.graph.logger)
        bed.graph.assign(.metrics, client)
        bed.graph.override(.pubsubMetrics) { graph -> any PubSubMetrics in
            DogStatsDPubSubMetrics(send: try graph.pubsubSendMetrics, sendBatch: try graph.pubsubSendBatchMetrics)
        }
        let dispatcher = try bed.dispatcher { _ in true }
        for index in 0..<10 {
            try await bed.produce(uri: "http://things/\(index)")
            let result = await dispatcher.dispatch(try await bed.consumeOne())
            XCTAssertEqual(result.kind, .succeeded)
        }
        XCTAssertGreaterThan(client.droppedDatagrams, 0, "the host refused them (ICMP port unreachable)")
        XCTAssertEqual(bed.logs.records.filter { $0.message.hasPrefix("Could not send metrics") }.count, 1)
    }
}

private extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

private func XCTAssertThrowsErrorAsync<T>(_ body: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await body()
        XCTFail("did not throw", file: file, line: line)
    } catch {}
}
