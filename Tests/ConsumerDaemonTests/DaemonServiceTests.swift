import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
@testable import MicrocosmPubSub
@testable import MicrocosmPubSubDaemon
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A daemon as a whole service on one machine: started in process on the in-memory broker with
/// its topics and subscriptions, fed through its producer; its start-up and shutdown hooks, its
/// health endpoint, and the errors that stop it.
final class DaemonServiceTests: XCTestCase {
    private let ordersTopic = "arn:aws:sns:eu-west-1:000000000000:orders"

    func testStart_onTheInMemoryBroker_makesTheConfiguredTopicsAndSubscribesItsQueue_soAProducingHandlerWorksEndToEnd() async throws {
        let daemon = OrdersDaemon()
        let running = try await daemon.start(arguments: ["--testing"],
                                             environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ordersTopic])
        _ = try await running.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")
        let broker = try running.graph.pubsubBroker
        await eventually("the handler's invoice published") { await broker.publications(to: self.ordersTopic).count == 2 }
        let report = try await running.stop()
        let published = await broker.publications(to: ordersTopic)
        XCTAssertEqual(published.map(\.messageAttributes["media_type"]?.stringValue), [
            "application/vnd.globality.pubsub._.created.order", "application/vnd.globality.pubsub._.created.invoice",
        ])
        XCTAssertEqual(daemon.events.all.first { $0.hasPrefix("handled") }, "handled http://orders/1 from \(ordersTopic)")
        XCTAssertEqual(daemon.events.all.last, "shut down after \(report.handled) handled")
        XCTAssertEqual(report.results[.succeeded], 1)
        XCTAssertEqual(running.state, .stopped)
    }

    func testStart_withRawSQSEnvelope_subscribesWithRawDelivery() async throws {
        for (arguments, raw) in [(["--testing", "--envelope", "RawSQSEnvelope"], true), (["--testing"], false)] {
            let running = try await OrdersDaemon().start(arguments: arguments,
                                                         environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__CREATED__ORDER": ordersTopic])
            let broker = try running.graph.pubsubBroker
            let subscriptions = try await broker.sns.listSubscriptionsByTopic(topicArn: ordersTopic)
            XCTAssertEqual(subscriptions.map(\.endpoint), [broker.queueArn(named: "orders-daemon")])
            // Subscribing again with the same attributes returns the subscription; with others, SNS refuses.
            let again = try? await broker.sns.subscribe(topicArn: ordersTopic, protocol: "sqs", endpoint: broker.queueArn(named: "orders-daemon"),
                                                        attributes: ["RawMessageDelivery": "true"])
            XCTAssertEqual(again != nil, raw, "raw delivery: \(raw)")
            try await running.stop()
        }
    }

    func testRun_onAMemoryEndpoint_withAnAWSQueueURL_makesThatQueueInTheBroker_andHandlesWhatIsPublished() async throws {
        let daemon = OrdersDaemon()
        let running = try await daemon.start(arguments: [
            "--endpoint-url", "memory://", "--region", "eu-west-1",
            "--sqs-queue-url", "https://sqs.eu-west-1.amazonaws.com/000000000000/orders-worker",
        ], environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ordersTopic])
        let broker = try running.graph.pubsubBroker
        XCTAssertEqual(broker.queueURL(named: "orders-worker"), "memory://sqs.eu-west-1/000000000000/orders-worker")
        _ = try await running.graph.snsProducer.produce(.created("Order"), uri: "http://orders/7")
        await eventually("the order handled") { daemon.events.all.contains { $0.hasPrefix("handled") } }
        try await running.stop()
        XCTAssertEqual(daemon.events.all.first { $0.hasPrefix("handled") }, "handled http://orders/7 from \(ordersTopic)")
    }

    func testHealthEndpoint_reportsTheLoopsState_readyOnlyWhileRunning_andClosesAtShutdown() async throws {
        let gate = Gate()
        var daemon = OrdersDaemon()
        daemon.gate = gate
        let running = try await daemon.start(arguments: ["--testing", "--health-port", "0"],
                                             environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ordersTopic])
        let port = try XCTUnwrap(running.healthPort)
        XCTAssertEqual(try httpGet(port, "/api/health").status, 200)
        XCTAssertEqual(try httpGet(port, "/api/health").body, #"{"name":"orders-daemon","ok":true}"#)
        XCTAssertEqual(try httpGet(port, "/api/ready").status, 200)
        XCTAssertEqual(try httpGet(port, "/api/health?full=true").body,
                       #"{"name":"orders-daemon","ok":true,"checks":{"consumer_loop":{"ok":true,"message":"running"}}}"#)
        XCTAssertEqual(try httpGet(port, "/metrics").status, 404)

        _ = try await running.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")
        await eventually("the handler waiting at the gate") { daemon.events.all.contains("waiting") }
        let stopping = Task { try await running.stop() }
        await eventually("the daemon draining") { running.state == .draining }
        XCTAssertEqual(try httpGet(port, "/api/ready").status, 503, "a draining daemon takes no more work")
        XCTAssertEqual(try httpGet(port, "/api/ready").body, #"{"name":"orders-daemon","ok":false}"#)
        XCTAssertEqual(try httpGet(port, "/api/health").status, 200, "a draining daemon is alive")
        gate.open()
        _ = try await stopping.value
        XCTAssertThrowsError(try httpGet(port, "/api/health"), "the endpoint is closed at shutdown")
        XCTAssertEqual(daemon.events.all.suffix(2), ["handled http://orders/1 from \(ordersTopic)", "shut down after 1 handled"],
                       "the shutdown hook runs after the drain")
    }

    func testReadiness_whileReceivesFail_isNotOk_andComesBackWithTheFirstReceiveThatSucceeds() async throws {
        let running = try await OrdersDaemon().start(arguments: ["--testing", "--health-port", "0"], environment: [
            "ORDERS_DAEMON__CONSUMER_DAEMON__ERROR_BACKOFF_SECONDS": "0.05",
            "ORDERS_DAEMON__SQS_CONSUMER__WAIT_SECONDS": "0",
        ])
        let port = try XCTUnwrap(running.healthPort)
        let broker = try running.graph.pubsubBroker
        broker.faults.fail(.receiveMessage, with: AWSError(code: "ThrottlingException", message: "Rate exceeded", statusCode: 400))
        await eventually("readiness lost") { (try? self.httpGet(port, "/api/ready").status) == 503 }
        XCTAssertEqual(try httpGet(port, "/api/health").status, 200, "alive all the same")
        let check = try httpGet(port, "/api/ready?full=true").body
        XCTAssertTrue(check.contains(#""message":"running; "#) && check.contains("receive(s) failed in a row, the last: ")
                          && check.contains("ThrottlingException"), check)
        broker.faults.clearFailure(.receiveMessage)
        await eventually("readiness back") { (try? self.httpGet(port, "/api/ready").status) == 200 }
        try await running.stop()
    }

    func testCostEndpoint_reportsTheRequestsMadeOfSQSAndSNS_perMessage_withThePricesUsed() async throws {
        let running = try await OrdersDaemon().start(arguments: ["--testing", "--health-port", "0"],
                                                     environment: ["ORDERS_DAEMON__SNS_TOPIC_ARNS__DEFAULT": ordersTopic])
        let port = try XCTUnwrap(running.healthPort)
        _ = try await running.graph.snsProducer.produce(.created("Order"), uri: "http://orders/1")
        await eventually("the order and its invoice received") { (try? running.graph.awsUsageMeter.usage.messagesReceived) == 2 }
        let reply = try httpGet(port, "/api/cost")
        XCTAssertEqual(reply.status, 200)
        let body = try XCTUnwrap(try JSONParser.parse(reply.body).objectValue, reply.body)
        XCTAssertEqual(body["name"], "orders-daemon")
        XCTAssertEqual(body["messages_received"], 2, "the order and the invoice the handler produced")
        XCTAssertEqual(body["messages_sent"], 2)
        let operations = try XCTUnwrap(body["operations"]?.arrayValue)
        let publish = try XCTUnwrap(operations.first { $0["action"] == "Publish" })
        XCTAssertEqual(publish["service"], "SNS")
        XCTAssertEqual(publish["calls"], 2)
        let calls = operations.compactMap { $0["calls"]?.intValue }.reduce(0, +)
        XCTAssertEqual(body["calls"]?.intValue, calls)
        XCTAssertEqual(try XCTUnwrap(body["calls_per_message"]?.doubleValue), Double(calls) / 2, accuracy: 1e-4)
        XCTAssertNotNil(body["empty_receive_ratio"]?.doubleValue)
        XCTAssertGreaterThan(try XCTUnwrap(body["cost_per_million_messages_usd"]?.doubleValue), 0)
        XCTAssertEqual(body["prices"]?["as_of"], "2026-06")
        XCTAssertEqual(body["prices"]?["usd_per_million_requests"]?["SQS"], 0.4)
        try await running.stop()
    }

    func testHealthReply_toWhatIsNotAHealthRequest() {
        func reply(_ request: String, _ state: ConsumerDaemonState) -> String {
            HealthServer.reply(to: request, name: "d", state: ConsumerDaemonHealth(state: state))
        }
        XCTAssertTrue(reply("nonsense", .running).hasPrefix("HTTP/1.1 400 "))
        XCTAssertTrue(reply("POST /api/health HTTP/1.1\r\n\r\n", .running).hasPrefix("HTTP/1.1 405 "))
        XCTAssertTrue(reply("GET /api/health HTTP/1.1\r\n\r\n", .stopped).hasPrefix("HTTP/1.1 503 "))
        XCTAssertTrue(reply("GET /api/ready HTTP/1.0\r\n\r\n", .starting).hasPrefix("HTTP/1.1 503 "))
    }

    func testHealthHost_thatIsNotAnIPv4Address_isAConfigurationErrorNamingTheVariable() async {
        let output = Recorder<String>()
        let status = await OrdersDaemon().run(arguments: ["--testing"], environment: ["ORDERS_DAEMON__CONSUMER_DAEMON__HEALTH_HOST": "localhost"],
                                              output: { _ in }, errorOutput: { output.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(output.all, [#"orders-daemon: creating 'consumer_daemon' failed: config 'consumer_daemon.health_host' (from ORDERS_DAEMON__CONSUMER_DAEMON__HEALTH_HOST): "#
                                    + #"expected an IPv4 address, got string "localhost""#])
    }

    func testStart_whenPrepareThrows_throwsItsError_closesTheHealthEndpoint_andRunExits1() async {
        var daemon = OrdersDaemon()
        daemon.failPrepare = true
        let port = try? freePort()
        for _ in 1...2 {   // the second start finds the health port free: the first closed it
            do {
                _ = try await daemon.start(arguments: ["--testing"] + (port.map { ["--health-port", "\($0)"] } ?? []),
                                           environment: ["ORDERS_DAEMON__LOGGING__LEVEL": "critical"])
                XCTFail("started")
            } catch {
                XCTAssertTrue(error is OrdersDaemonFailure, "\(error)")
            }
        }
        let status = await daemon.run(arguments: ["--testing"], environment: ["ORDERS_DAEMON__LOGGING__LEVEL": "critical"],
                                      output: { _ in }, errorOutput: { _ in })
        XCTAssertEqual(status, 1)
    }

    func testShutdownHook_thatThrows_isRethrownByStop_andMakesRunExit1() async throws {
        var daemon = OrdersDaemon()
        daemon.failShutDown = true
        let running = try await daemon.start(arguments: ["--testing"], environment: ["ORDERS_DAEMON__LOGGING__LEVEL": "critical"])
        do {
            try await running.stop()
            XCTFail("stopped without the hook's error")
        } catch {
            XCTAssertTrue(error is OrdersDaemonFailure, "\(error)")
        }
        var second = OrdersDaemon()
        second.failShutDown = true
        let shutdown = ConsumerDaemonShutdown()
        let run = Task { [second] in
            await second.run(arguments: ["--testing"], environment: ["ORDERS_DAEMON__LOGGING__LEVEL": "critical"], shutdown: shutdown,
                             output: { _ in }, errorOutput: { _ in })
        }
        await eventually("the daemon started") { second.events.all.contains("prepared") }
        shutdown.trigger()
        let status = await run.value
        XCTAssertEqual(status, 1)
    }

    func testMissingRequiredSetting_namesTheVariableAndTheSettingsKey() async {
        var daemon = OrdersDaemon()
        daemon.needsStore = true
        let output = Recorder<String>()
        let status = await daemon.run(arguments: ["--testing"], environment: [:], output: { _ in }, errorOutput: { output.append($0) })
        XCTAssertEqual(status, 64)
        XCTAssertEqual(output.all, ["orders-daemon: creating 'order_store' failed: config 'order_store.base_url': required string is missing; "
                                    + "set ORDERS_DAEMON__ORDER_STORE__BASE_URL or order_store.base_url in $ORDERS_DAEMON__SETTINGS"])
    }

    func testTestingDaemon_logsWarningsByDefault_andWhatLogLevelSays() throws {
        XCTAssertEqual(try OrdersDaemon().makeGraph(arguments: ["--testing"], environment: [:]).logger.level, .warning)
        XCTAssertEqual(try OrdersDaemon().makeGraph(arguments: ["--testing", "--log-level", "info"], environment: [:]).logger.level, .info)
        XCTAssertEqual(try OrdersDaemon().makeGraph(arguments: ["--testing"], environment: ["ORDERS_DAEMON__LOGGING__LEVEL": "debug"])
                        .logger.level, .debug)
        XCTAssertThrowsError(try OrdersDaemon().makeGraph(arguments: ["--log-level", "loud"], environment: [:])) {
            XCTAssertEqual("\($0)", "orders-daemon: --log-level must be one of trace, debug, info, notice, warning, error, critical, "
                               + "got 'loud' (see --help)")
        }
    }

    /// A TCP port nothing listens on now.
    private func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw HTTPGetError.refused }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `GET path` on 127.0.0.1:`port`: the status and the body.
    private func httpGet(_ port: Int, _ path: String) throws -> (status: Int, body: String) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPGetError.refused }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: reply, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        guard let statusText = parts.first?.split(separator: " ").dropFirst().first, let status = Int(statusText), parts.count == 2 else {
            throw HTTPGetError.malformed(text)
        }
        return (status, parts[1])
    }

    private enum HTTPGetError: Error {
        case refused
        case malformed(String)
    }
}

/// A small orders worker: invoices each created order (producing `created.invoice`), recording
/// what it handled and when its hooks ran.
struct OrdersDaemon: ConsumerDaemon {
    var name: String { "orders-daemon" }
    let events = Recorder<String>()
    var gate: Gate?
    var failPrepare = false
    var failShutDown = false
    var needsStore = false

    var registry: Registry {
        var registry = Registry.pubsub
        registry.bind("order_store") { graph in try graph.config.string("order_store.base_url") }
        return registry
    }

    var components: [String] { needsStore ? ["order_store"] : [] }

    var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(InvoiceOrder.self, for: .created("Order"))
        return handlers
    }

    func prepare(_ graph: Graph) async throws {
        if failPrepare { throw OrdersDaemonFailure() }
        graph.assign("orders_daemon_events", events)
        if let gate { graph.assign("orders_daemon_gate", gate) }
        events.append("prepared")
    }

    func shutDown(_ graph: Graph, report: ConsumerLoopReport) async throws {
        events.append("shut down after \(report.handled) handled")
        if failShutDown { throw OrdersDaemonFailure() }
    }
}

struct OrdersDaemonFailure: Error {}

/// Invoices a created order: produces `created.invoice` for it.
struct InvoiceOrder: MessageHandler {
    let graph: Graph

    init(graph: Graph) throws {
        self.graph = graph
    }

    func handle(_ message: ConsumedMessage) async throws -> Bool {
        let events: Recorder<String> = try graph.resolve("orders_daemon_events")
        if let gate = try? graph.resolve("orders_daemon_gate", as: Gate.self) {
            events.append("waiting")
            await gate.wait()
        }
        let uri = message.uri ?? ""
        _ = try await graph.snsProducer.produce(.created("Invoice"), uri: uri + "/invoice")
        events.append("handled \(uri) from \(message.topicArn ?? "(raw delivery)")")
        return true
    }
}
