import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import Synchronization
import XCTest

/// An order as the orders service serves it.
struct URITestOrder: Decodable, Sendable, Equatable {
    var id: String
    var state: String
}

/// Resources and messages the URI handlers of the tests saw (binding `seen_orders`).
final class URITestSeen: Sendable {
    private let values = Mutex<[(message: String, order: URITestOrder)]>([])
    func append(_ uri: String, _ order: URITestOrder) { values.withLock { $0.append((uri, order)) } }
    var orders: [URITestOrder] { values.withLock { $0.map(\.order) } }
    var uris: [String] { values.withLock { $0.map(\.message) } }
}

/// Handles created orders: skips URIs under `/test/`, ignores cancelled orders.
struct OrderCreatedHandler: URIHandler {
    let seen: URITestSeen
    init(graph: Graph) throws { seen = try graph.resolve("seen_orders") }

    func reasonToSkip(_ message: URIMessage) -> String? {
        message.uri.contains("/test/") ? "it is a test order" : nil
    }

    func handle(_ message: URIMessage, resource order: URITestOrder) async throws -> Bool {
        seen.append(message.uri, order)
        return order.state != "cancelled"
    }
}

/// Nacks for 30 seconds when the order is not there yet.
struct PatientOrderHandler: URIHandler {
    init(graph: Graph) throws {}
    var resourceNackTimeout: Int { 30 }
    func handle(_ message: URIMessage, resource: URITestOrder) async throws -> Bool { true }
}

/// Treats a missing order as an error (`nack_if_not_found` false).
struct StrictOrderHandler: URIHandler {
    init(graph: Graph) throws {}
    var nackIfNotFound: Bool { false }
    func handle(_ message: URIMessage, resource: URITestOrder) async throws -> Bool { true }
}

/// Handles changed orders, reading `field_name` and `new_value`.
struct OrderChangedHandler: URIHandler {
    let seen: URITestSeen
    init(graph: Graph) throws { seen = try graph.resolve("seen_orders") }

    func handle(_ message: ChangedURIMessage, resource order: URITestOrder) async throws -> Bool {
        seen.append(message.uri, order)
        return true
    }
}

/// Like ``OrderCreatedHandler`` but keeps cached resources for 5 seconds.
struct ShortCacheOrderHandler: URIHandler {
    let seen: URITestSeen
    init(graph: Graph) throws { seen = try graph.resolve("seen_orders") }
    var resourceCacheTTL: Duration { .seconds(5) }

    func handle(_ message: URIMessage, resource order: URITestOrder) async throws -> Bool {
        seen.append(message.uri, order)
        return true
    }
}

/// Takes the resource as plain JSON (Python's default `resource_type`, `dict`).
struct PlainOrderHandler: URIHandler {
    let seen: DispatchSeen<JSONValue>
    init(graph: Graph) throws { seen = try graph.resolve("seen_json") }

    func handle(_ message: URIMessage, resource: JSONValue) async throws -> Bool {
        seen.append(resource)
        return true
    }
}

/// A dispatch test bed (in-memory broker, real dispatcher, recorded logs) with an orders service
/// on a loopback HTTP server.
struct URITestBed {
    let bed: DispatchTestBed
    let server: StubHTTPServer
    let seen = URITestSeen()

    /// `respond` answers each request to the orders server.
    static func make(config: JSONObject = [:], logLevel: LogLevel = .trace,
                     respond: @escaping @Sendable (StubHTTPServer.Request) -> StubHTTPServer.Response) async throws -> Self {
        let bed = try await DispatchTestBed.make(config: config, logLevel: logLevel)
        let server = try StubHTTPServer(handler: respond)
        let testBed = Self(bed: bed, server: server)
        bed.graph.assign("seen_orders", testBed.seen)
        return testBed
    }

    /// Serves `{"id": "1", "state": "placed"}` to every request.
    static func serving(_ json: String = #"{"id": "1", "state": "placed"}"#, config: JSONObject = [:]) async throws -> Self {
        try await make(config: config) { _ in .init(status: 200, headers: [("Content-Type", "application/json")], text: json) }
    }

    var graph: Graph { bed.graph }

    /// The URI of order `id` on the server (an event path when `path` says so).
    func uri(_ path: String = "/api/v1/order/1") -> String { server.url + path }

    /// Makes the graph's client back off for no time (so retry tests do not wait), with `maxAttempts`.
    func useClientWithoutBackoff(maxAttempts: Int = 3, timeout: Duration = .seconds(30)) {
        let logger = graph.logger
        graph.assign(.uriResourceClient, URIResourceClient(transport: CurlTransport(connectTimeout: .seconds(5)), timeout: timeout,
                                                           maxAttempts: maxAttempts, logger: logger, sleep: { _ in }))
    }

    /// Publishes a message of `mediaType` pointing at `uri`, consumes it and dispatches it to `handlers`.
    func dispatch(_ handlers: MessageHandlers, mediaType: MediaType = .created("Order"), uri: String, fields: JSONObject = [:],
                  opaqueData: JSONObject = [:], file: StaticString = #filePath, line: UInt = #line) async throws
        -> (MessageHandlingResult, ConsumedMessage) {
        let dispatcher = try bed.dispatcher(handlers)
        try await bed.produce(mediaType, fields, uri: uri, opaqueData: opaqueData)
        let message = try await bed.consumeOne(file: file, line: line)
        return (await dispatcher.dispatch(message), message)
    }

    /// Handlers with `H` for `mediaType`.
    static func handlers<H: URIHandler>(_ type: H.Type, for mediaType: MediaType = .created("Order")) -> MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(type, for: mediaType)
        return handlers
    }

    /// The URI handler's records at `level`.
    func handlerRecords(_ level: LogLevel) -> [LogRecord] {
        bed.logs.records.filter { $0.level == level && $0.metadata["pubsub.handler"] != nil }
    }

    func stop() { server.stop() }
}
