import AWSTestSupport
import Microcosm
import MicrocosmMetrics
import XCTest

/// The `metrics` binding, as microcosm-metrics configures it.
final class MetricsBindingTests: XCTestCase {
    private func registry() -> Registry {
        var registry = Registry()
        registry.bindMetrics()
        return registry
    }

    func testDefaults_areMicrocosmMetricsDefaults() throws {
        let graph = try Graph(name: "things", testing: true, registry: registry(), loader: .dictionary([:]))
        XCTAssertEqual(try graph.config.string("metrics.host"), "localhost")
        XCTAssertEqual(try graph.config.int("metrics.port"), 8125)
        XCTAssertEqual(try graph.config.list("metrics.tags"), [])
    }

    func testTestingGraph_recordsInsteadOfSending() throws {
        let graph = try Graph(name: "things", testing: true, registry: registry(), loader: .dictionary([:]),
                              config: ["metrics": ["host": "datadog-agent", "tags": ["team:core"]]])
        let metrics = try graph.metrics
        metrics.increment("things.created")
        XCTAssertEqual(metrics.host, "datadog-agent")
        XCTAssertEqual(metrics.recordedLines.count, 1)
        XCTAssertTrue(metrics.recordedLines[0].hasPrefix("things.created:1|c|#service:"), metrics.recordedLines[0])
        XCTAssertTrue(metrics.recordedLines[0].hasSuffix(",team:core") || metrics.recordedLines[0].contains(",team:core,"))
    }

    func testGraph_sendsToTheConfiguredHostWithServiceAndEnvironmentTags() throws {
        let agent = try UDPListener()
        let graph = try Graph(name: "things", registry: registry(), loader: .dictionary([:]),
                              config: ["metrics": ["host": "127.0.0.1", "port": .string(String(agent.port)), "tags": "team:core,tier:1"]])
        let client = try DogStatsDClient(graph: graph, environment: ["MICROCOSM_ENVIRONMENT": "staging"])
        client.histogram("message", 1.5)
        XCTAssertEqual(agent.receive(), "message:1.5|h|#service:things,environment:staging,team:core,tier:1\n")
    }

    func testGraph_withUnresolvableHost_failsNamingTheKey() throws {
        let graph = try Graph(name: "things", registry: registry(), loader: .dictionary([:]),
                              config: ["metrics": ["host": "no such host!"]])
        XCTAssertThrowsError(try graph.use("metrics")) { error in
            XCTAssertTrue(String(describing: error).contains("cannot resolve metrics.host 'no such host!' (env THINGS__METRICS__HOST)"),
                          String(describing: error))
        }
    }

    func testGraph_withDatadogDisable_sendsNothing() throws {
        let agent = try UDPListener(timeoutSeconds: 1)
        let graph = try Graph(name: "things", registry: registry(), loader: .dictionary([:]),
                              config: ["metrics": ["host": "127.0.0.1", "port": .int(agent.port)]])
        let client = try DogStatsDClient(graph: graph, environment: ["DD_DOGSTATSD_DISABLE": "true"])
        client.histogram("message", 1.5)
        XCTAssertEqual(client.sentDatagrams, 0)
        XCTAssertEqual(agent.drain(), [])
    }
}
