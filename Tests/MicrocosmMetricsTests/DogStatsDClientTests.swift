import AWSTestSupport
import Microcosm
import MicrocosmMetrics
import XCTest

/// The client against a real UDP socket on loopback.
final class DogStatsDClientTests: XCTestCase {
    private let logs = InMemoryLogHandler()
    private var logger: Logger { Logger(label: "test", level: .trace, handler: logs) }

    func testHistogram_toIPv4Listener_sendsOneDatagramWithConstantTags() throws {
        let agent = try UDPListener()
        let client = try DogStatsDClient(host: "127.0.0.1", port: agent.port, constantTags: ["service:things"], logger: logger)
        client.histogram("message", 12.5, tags: ["result:SUCCEEDED"])
        XCTAssertEqual(agent.receive(), "message:12.5|h|#result:SUCCEEDED,service:things\n")
        client.increment("calls")
        XCTAssertEqual(agent.receive(), "calls:1|c|#service:things\n")
        XCTAssertEqual(client.sentDatagrams, 2)
        XCTAssertEqual(client.droppedDatagrams, 0)
    }

    func testHistogram_toIPv6Listener_sends() throws {
        let agent: UDPListener
        do { agent = try UDPListener(host: "::1") } catch { throw XCTSkip("no IPv6 loopback here: \(error)") }
        let client = try DogStatsDClient(host: "::1", port: agent.port, logger: logger)
        client.gauge("depth", 3)
        XCTAssertEqual(agent.receive(), "depth:3.0|g\n")
    }

    func testInit_withHostName_resolvesOnce() throws {
        let agent = try UDPListener()
        let client = try DogStatsDClient(host: "localhost", port: agent.port, logger: logger)
        XCTAssertEqual(client.host, "localhost")
    }

    func testSend_severalMetrics_packsThemIntoDatagramsOfAtMostTheSafeSize() throws {
        let agent = try UDPListener()
        let client = try DogStatsDClient(host: "127.0.0.1", port: agent.port, constantTags: ["service:things"], logger: logger)
        let metrics = (0..<100).map { DogStatsDMetric.histogram("metric_\($0)", Double($0), tags: ["index:\($0)"]) }
        client.send(metrics)
        var datagrams: [String] = []
        while datagrams.flatMap({ $0.split(separator: "\n") }).count < 100, let datagram = agent.receive() { datagrams.append(datagram) }
        XCTAssertGreaterThan(datagrams.count, 1)
        XCTAssertLessThan(datagrams.count, 100)
        XCTAssertTrue(datagrams.allSatisfy { $0.utf8.count <= DogStatsDClient.maximumDatagramBytes })
        XCTAssertEqual(datagrams.flatMap { $0.split(separator: "\n").map(String.init) },
                       metrics.map { $0.line(constantTags: ["service:things"]) })
        XCTAssertEqual(client.sentDatagrams, datagrams.count)
    }

    func testSend_whenNothingListens_neverThrowsCountsDropsAndWarnsOncePerInterval() throws {
        let closedPort: Int
        do {
            let probe = try UDPListener()
            closedPort = probe.port
        }
        let client = try DogStatsDClient(host: "127.0.0.1", port: closedPort, logger: logger, errorLogInterval: .seconds(3600))
        // Each send returns at once; the host's ICMP "port unreachable" makes a later send fail.
        for index in 0..<50 where client.droppedDatagrams < 3 { client.histogram("message", Double(index)) }
        XCTAssertGreaterThanOrEqual(client.droppedDatagrams, 3, "refused datagrams are counted")
        let warnings = logs.records.filter { $0.level == .warning }
        XCTAssertEqual(warnings.count, 1, "one warning per interval: \(logs.messages)")
        XCTAssertEqual(warnings.first?.message, "Could not send metrics to 127.0.0.1:\(closedPort): Connection refused")
        XCTAssertEqual(warnings.first?.metadata["metrics.address"], "127.0.0.1")
    }

    func testSend_whenNothingListensAndIntervalIsZero_warnsForEachDrop() throws {
        let closedPort: Int
        do {
            let probe = try UDPListener()
            closedPort = probe.port
        }
        let client = try DogStatsDClient(host: "127.0.0.1", port: closedPort, logger: logger, errorLogInterval: .zero)
        for index in 0..<50 where client.droppedDatagrams < 2 { client.histogram("message", Double(index)) }
        XCTAssertEqual(logs.records.filter { $0.level == .warning }.count, client.droppedDatagrams)
    }

    func testInit_unresolvableHost_throwsNamingTheKeyAndVariable() {
        XCTAssertThrowsError(try DogStatsDClient(host: "no such host!", logger: logger, environmentPrefix: "THINGS")) { error in
            let error = error as? DogStatsDError
            XCTAssertEqual(error?.code, .unresolvableHost)
            XCTAssertEqual(error?.key, "metrics.host")
            XCTAssertTrue(error?.description.hasPrefix("cannot resolve metrics.host 'no such host!' (env THINGS__METRICS__HOST): ") ?? false,
                          String(describing: error))
        }
    }

    func testInit_portOutOfRange_throwsNamingTheKey() {
        XCTAssertThrowsError(try DogStatsDClient(host: "127.0.0.1", port: 0, logger: logger, environmentPrefix: "THINGS")) { error in
            XCTAssertEqual((error as? DogStatsDError)?.code, .invalidPort)
            XCTAssertEqual(String(describing: error), "metrics.port must be 1...65535, got 0 (env THINGS__METRICS__PORT)")
        }
    }

    func testRecording_keepsDatagramsAndSendsNothing() {
        let client = DogStatsDClient.recording(constantTags: ["service:things"])
        client.send([.histogram("message_batch", 4.5), .histogram("message_batch_size", 2)])
        XCTAssertEqual(client.recordedDatagrams, ["message_batch:4.5|h|#service:things\nmessage_batch_size:2|h|#service:things\n"])
        XCTAssertEqual(client.recordedLines.count, 2)
    }

    func testSampleRateZero_sendsNothing_andRateOne_sendsAll() {
        let client = DogStatsDClient.recording()
        for _ in 0..<20 { client.increment("sampled", sampleRate: 0) }
        XCTAssertEqual(client.recordedLines, [])
        for _ in 0..<20 { client.increment("sampled", sampleRate: 1) }
        XCTAssertEqual(client.recordedLines.count, 20)
    }
}
