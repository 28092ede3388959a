import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmMetrics
import MicrocosmPubSub
import XCTest

/// The three senders send, for the same results, the lines microcosm-pubsub 3.0.0 sends
/// (`Fixtures/metrics`, captured from Python by scripts/make-metrics-fixtures), over a real UDP
/// socket. Python sends one datagram per line; we send one datagram per report (a message's two
/// histograms, a batch's two), which the agent reads line by line all the same.
final class PubSubMetricsFixtureTests: XCTestCase {
    private static let fixture = WireFixtures.repositoryRoot.appendingPathComponent("Fixtures/metrics/microcosm-pubsub-3.0.0-datagrams.txt")
    private static let mediaType = MediaType("application/vnd.globality.pubsub._.created.foo_bar")

    /// The fixture's cases: `"<sender> <case>"` to the lines Python sent.
    private func pythonCases() throws -> [(name: String, lines: [String])] {
        var cases: [(name: String, lines: [String])] = []
        for line in try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("== ") {
                cases.append((String(line.dropFirst(3)), []))
            } else {
                cases[cases.count - 1].lines.append(String(line))
            }
        }
        return cases
    }

    /// A non-testing graph whose `metrics` sends to `agent` with the fixture's tags and environment.
    private func graph(host: String = "127.0.0.1", agent: UDPListener, config: JSONObject = [:]) throws -> Graph {
        let base: JSONObject = ["metrics": ["host": .string(host), "port": .int(agent.port), "tags": ["team:core"]]]
        let graph = try Graph(name: "things", registry: .pubsub, loader: .empty, config: Configuration.merge(base, config))
        graph.override(.metrics) { graph in try DogStatsDClient(graph: graph, environment: ["MICROCOSM_ENVIRONMENT": "test"]) }
        return graph
    }

    private func lines(_ agent: UDPListener) -> [String] {
        agent.drain().flatMap { $0.split(separator: "\n").map(String.init) }
    }

    func testSenders_sendWhatMicrocosmPubSubSends() throws {
        let agent = try UDPListener()
        let graph = try graph(agent: agent)
        let send = try graph.pubsubSendMetrics
        let sendBatch = try graph.pubsubSendBatchMetrics
        let producerMetrics = try graph.pubsubProducerMetrics
        let messages: [(MessageHandlingResult.Kind, Duration, Double?)] = [
            (.succeeded, .microseconds(12_500), 0.75), (.skipped, .microseconds(3_250), 1.5), (.ignored, .milliseconds(1), 0.5),
            (.expired, .microseconds(500), nil), (.retried, .milliseconds(7), 2.0), (.failed, .microseconds(250_125), nil),
        ]
        var swiftCases: [(name: String, lines: [String])] = []
        for (kind, elapsed, delay) in messages {
            send(MessageHandlingResult(kind: kind, mediaType: Self.mediaType, elapsed: elapsed, publishToHandleDelay: delay))
            swiftCases.append(("message \(kind)", lines(agent)))
        }
        for (elapsed, size) in [(Duration.microseconds(40_250), 3), (.milliseconds(5), 0)] {
            sendBatch(size: size, elapsed: elapsed)
            swiftCases.append(("batch size=\(size)", lines(agent)))
        }
        for (elapsed, succeeded) in [(Duration.microseconds(5_500), true), (.milliseconds(30), false)] {
            producerMetrics(PublishOutcome(mediaType: Self.mediaType, topicArn: "arn:aws:sns:us-east-1:123456789012:things",
                                           elapsed: elapsed, succeeded: succeeded))
            swiftCases.append(("publish \(succeeded ? "SUCCESS" : "FAILURE")", lines(agent)))
        }

        let python = try pythonCases().filter { !$0.name.hasPrefix("disabled") }
        XCTAssertEqual(python.count, swiftCases.count)
        for (pythonCase, swiftCase) in zip(python, swiftCases) {
            XCTAssertTrue(pythonCase.name.hasPrefix(swiftCase.name.components(separatedBy: " size=")[0]), "\(pythonCase.name) / \(swiftCase.name)")
            XCTAssertEqual(swiftCase.lines, pythonCase.lines, pythonCase.name)
        }
    }

    func testSenders_whenHostIsLocalhost_sendNothing() throws {
        let agent = try UDPListener()
        let graph = try graph(host: "localhost", agent: agent)
        try sendOneOfEach(graph)
        XCTAssertEqual(lines(agent), try pythonCases().first { $0.name == "disabled localhost" }?.lines)
        XCTAssertFalse(try graph.pubsubSendMetrics.isEnabled)
        XCTAssertFalse(try graph.pubsubSendBatchMetrics.isEnabled)
        XCTAssertFalse(try graph.pubsubProducerMetrics.isEnabled)
        XCTAssertTrue(try graph.pubsubMetrics is NoPubSubMetrics)
    }

    func testSenders_whenPubSubSendMetricsIsDisabled_sendNothingAtAll() throws {
        let agent = try UDPListener()
        let graph = try graph(agent: agent, config: ["pubsub_send_metrics": ["enabled": "false"]])
        try sendOneOfEach(graph)
        XCTAssertEqual(lines(agent), try pythonCases().first { $0.name == "disabled pubsub_send_metrics.enabled=false" }?.lines)
        XCTAssertFalse(try graph.pubsubProducerMetrics.isEnabled)
        XCTAssertFalse(graph.isCreated("metrics"), "a sender turned off does not build the client")
    }

    func testSenders_ownEnabledKey_turnsOffOnlyThatSender() throws {
        let agent = try UDPListener()
        let graph = try graph(agent: agent, config: ["pubsub_send_batch_metrics": ["enabled": false],
                                                     "pubsub_producer_metrics": ["enabled": false]])
        try sendOneOfEach(graph)
        XCTAssertEqual(lines(agent).map { $0.prefix { $0 != ":" } }, ["message", "message_handle_start"])
    }

    private func sendOneOfEach(_ graph: Graph) throws {
        try graph.pubsubMetrics.recordMessage(MessageHandlingResult(kind: .succeeded, mediaType: Self.mediaType,
                                                                    elapsed: .milliseconds(1), publishToHandleDelay: 1))
        try graph.pubsubMetrics.recordBatch(size: 1, elapsed: .milliseconds(1))
        try graph.pubsubProducerMetrics(PublishOutcome(mediaType: Self.mediaType, topicArn: "arn", elapsed: .milliseconds(1),
                                                       succeeded: true))
    }
}
