import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubTesting
import Synchronization
import XCTest

/// What each handler saw, for the assertions.
final class Seen: Sendable {
    private let values = Mutex<[String]>([])
    func append(_ value: String) { values.withLock { $0.append(value) } }
    var all: [String] { values.withLock { $0 } }
}

final class GraphDispatchTests: XCTestCase {
    /// A testing graph whose handlers record what they get; a shipment by "none" is SKIPPED, by "boom" FAILED.
    func makeGraph(_ seen: Seen) async throws -> Graph {
        let graph = try await ordersGraph()
        var handlers = MessageHandlers()
        handlers.register(OrderShipped.self) { shipped, context in
            seen.append("\(shipped.carrier) \(shipped.trackingNumber ?? "-") \(context.opaque["x-request-id"] ?? "-")")
            guard shipped.carrier != "boom" else { throw URLError(.badServerResponse) }
            try await context.graph.snsProducer.produce(.changed("Order"), ["field_name": "status", "new_value": "shipped"],
                                                        uri: shipped.uri)
            return shipped.carrier != "none"
        }
        handlers.register(.created("Order")) { message, context in
            seen.append("created \(message.uri ?? "-") \(context.mediaType)")
            return true
        }
        graph.assign(.sqsMessageHandlers, handlers)
        return graph
    }

    func testDispatch_typedMessage_runsItsHandler_andReturnsItsResult() async throws {
        let seen = Seen()
        let graph = try await makeGraph(seen)
        let result = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "ups", trackingNumber: "T1"))
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(result.mediaType, OrderShipped.mediaType)
        XCTAssertEqual(seen.all, ["ups T1 -"])
        await XCTAssertPublished(graph, [.message(.changed("Order"), ["new_value": "shipped"], uri: "http://orders/1")],
                                 "only what the handler published")
    }

    func testDispatch_resultsOfTheHandler_skippedAndFailed() async throws {
        let graph = try await makeGraph(Seen())
        let skipped = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "none"))
        XCTAssertEqual(skipped.kind, .skipped)
        let failed = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "boom"))
        XCTAssertEqual(failed.kind, .failed)
        XCTAssertEqual((failed.error as? URLError)?.code, .badServerResponse)
    }

    func testDispatch_mediaTypeAndFields_asProduceTakesThem() async throws {
        let seen = Seen()
        let graph = try await makeGraph(seen)
        let result = try await graph.dispatch(.created("Order"), uri: "http://orders/2")
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all, ["created http://orders/2 \(MediaType.created("Order"))"])
    }

    func testDispatch_valueAsAnotherMediaType() async throws {
        let seen = Seen()
        let graph = try await makeGraph(seen)
        let result = try await graph.dispatch(URIMessage(uri: "http://orders/3"), as: .created("Order"))
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all, ["created http://orders/3 \(MediaType.created("Order"))"])
    }

    func testDispatch_noHandlerForTheMediaType_isIgnored() async throws {
        let graph = try await makeGraph(Seen())
        let result = try await graph.dispatch(.deleted("Order"), ["id": "1"])
        XCTAssertEqual(result.kind, .ignored)
    }

    func testDispatch_carriesTheOpaqueDataGivenAndCurrent_ontoWhatTheHandlerProduces() async throws {
        let seen = Seen()
        let graph = try await makeGraph(seen)
        try await graph.opaque.withValues(["x-request-id": "req-1"]) {
            _ = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "ups"), opaqueData: ["Attempt": 2])
        }
        XCTAssertEqual(seen.all, ["ups - req-1"])
        await XCTAssertPublished(graph, [.message(.changed("Order"), uri: "http://orders/1",
                                                  opaqueData: ["x-request-id": "req-1", "attempt": 2])])
    }

    func testDispatch_theTTLCountsDown_andAnExpiredMessageIsNotHandled() async throws {
        let seen = Seen()
        let graph = try await makeGraph(seen)
        let result = try await graph.dispatch(OrderShipped(uri: "http://orders/1", carrier: "ups"), opaqueData: ["x-request-ttl": "1"])
        XCTAssertEqual(result.kind, .expired)
        XCTAssertEqual(seen.all, [])
    }

    func testDispatch_contentThatDoesNotFitItsSchema_throws() async throws {
        let graph = try await makeGraph(Seen())
        do {
            try await graph.dispatch(Unencodable(value: 1))
            XCTFail("no error")
        } catch let error as PubSubMessageError {
            XCTAssertTrue("\(error)".contains(Unencodable.mediaType.rawValue), "\(error)")
        }
    }
}
