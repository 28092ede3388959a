import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubTesting
import Synchronization
import XCTest

/// The XCTest assertions, passing and failing: failures are caught as XCTest records them, to
/// check the text and that it points at the caller's line.
final class XCTAssertPublishedTests: XCTestCase {
    private struct Failure {
        var description: String
        var file: String
        var line: Int
    }

    /// While not nil, failures are collected here instead of failing the test.
    private let captured = Mutex<[Failure]?>(nil)

    /// The failures `body` records.
    private func failures(of body: () async -> Void) async -> [Failure] {
        captured.withLock { $0 = [] }
        await body()
        return captured.withLock { failures in
            defer { failures = nil }
            return failures ?? []
        }
    }

    private func capture(_ failure: Failure) -> Bool {
        captured.withLock { failures in
            guard failures != nil else { return false }
            failures?.append(failure)
            return true
        }
    }

    #if canImport(Darwin)
    override func record(_ issue: XCTIssue) {
        let location = issue.sourceCodeContext.location
        let failure = Failure(description: issue.compactDescription, file: location?.fileURL.path ?? "", line: location?.lineNumber ?? 0)
        if !capture(failure) { super.record(issue) }
    }
    #else
    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool) {
        if !capture(Failure(description: description, file: filePath, line: lineNumber)) {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }
    #endif

    // MARK: XCTAssertPublished

    func testPublished_matching_recordsNoFailure() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, OrderShipped(uri: "http://orders/1", carrier: "ups"), to: auditTopic)
        let failures = await failures {
            await XCTAssertPublished(graph, [.message(.created("Order"), uri: "http://orders/1", topic: ordersTopic),
                                             .message(OrderShipped(uri: "http://orders/1", carrier: "ups"), topic: auditTopic)])
        }
        XCTAssertEqual(failures.map(\.description), [])
    }

    func testPublished_mismatch_failsAtTheCallersLine_showingExpectedAndPublished() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        let line = #line + 2
        let failures = await failures {
            await XCTAssertPublished(graph, [.message(.created("Order"), uri: "http://orders/2")], "after the first order")
        }
        XCTAssertEqual(failures.count, 1)
        let failure = try XCTUnwrap(failures.first)
        XCTAssertEqual(failure.line, line)
        XCTAssertEqual(failure.file, #filePath)
        XCTAssertTrue(failure.description.contains("""
            XCTAssertPublished failed: published messages do not match, in order - after the first order
              message 1: field "uri" is "http://orders/1", expected "http://orders/2"
            expected 1:
              1. application/vnd.globality.pubsub._.created.order with {"uri": "http://orders/2"}
            published 1:
              1. application/vnd.globality.pubsub._.created.order {"uri": "http://orders/1"} on \(ordersTopic)
            """), failure.description)
    }

    func testPublished_otherOrder_fails() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, .deleted("Order"), ["id": "1"])
        let failures = await failures {
            await XCTAssertPublished(graph, [.message(.deleted("Order")), .message(.created("Order"))])
        }
        XCTAssertEqual(failures.count, 1)
        XCTAssertTrue(failures.first?.description.contains("message 1: media type is application/vnd.globality.pubsub._.created.order, "
                                                               + "expected application/vnd.globality.pubsub._.deleted.order") ?? false,
                      failures.first?.description ?? "")
    }

    func testPublished_unreadableGraph_failsSayingWhy() async throws {
        let graph = try Graph(name: "orders", registry: .pubsub, loader: .empty)
        let failures = await failures { await XCTAssertPublished(graph, []) }
        XCTAssertEqual(failures.count, 1)
        XCTAssertTrue(failures.first?.description.contains("XCTAssertPublished failed: cannot read what graph 'orders' published: graph "
                                                               + "'orders' does not record publications") ?? false,
                      failures.first?.description ?? "")
    }

    // MARK: XCTAssertPublishedInAnyOrder

    func testPublishedInAnyOrder_otherOrder_recordsNoFailure() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        try await publish(graph, noteAdded, ["note": "fragile", "author": "ann"], to: auditTopic)
        let failures = await failures {
            await XCTAssertPublishedInAnyOrder(graph, [.message(noteAdded, ["note": "fragile"], topic: auditTopic),
                                                       .message(.created("Order"))])
        }
        XCTAssertEqual(failures.map(\.description), [])
    }

    func testPublishedInAnyOrder_mismatch_failsAtTheCallersLine() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .created("Order"), ["uri": "http://orders/1"])
        let line = #line + 1
        let failures = await failures { await XCTAssertPublishedInAnyOrder(graph, [.message(.created("Order"), topic: auditTopic)]) }
        XCTAssertEqual(failures.map(\.line), [line])
        XCTAssertTrue(failures.first?.description.contains("""
            XCTAssertPublishedInAnyOrder failed: published messages do not match, in any order
              not published: application/vnd.globality.pubsub._.created.order on \(auditTopic)
                closest, message 1: topic is \(ordersTopic), expected \(auditTopic)
              message 1: published, not expected: application/vnd.globality.pubsub._.created.order {"uri": "http://orders/1"} on \(ordersTopic)
            """) ?? false, failures.first?.description ?? "")
    }

    // MARK: XCTAssertPublishedNothing

    func testPublishedNothing_nothingPublished_recordsNoFailure() async throws {
        let graph = try await ordersGraph()
        let failures = await failures { await XCTAssertPublishedNothing(graph) }
        XCTAssertEqual(failures.map(\.description), [])
    }

    func testPublishedNothing_somethingPublished_failsListingIt() async throws {
        let graph = try await ordersGraph()
        try await publish(graph, .deleted("Order"), ["id": "1"])
        let line = #line + 1
        let failures = await failures { await XCTAssertPublishedNothing(graph, "duplicates are dropped") }
        XCTAssertEqual(failures.map(\.line), [line])
        XCTAssertTrue(failures.first?.description.contains("""
            XCTAssertPublishedNothing failed: expected nothing published, 1 was - duplicates are dropped
            published 1:
              1. application/vnd.globality.pubsub._.deleted.order {"id": "1"} on \(ordersTopic)
            """) ?? false, failures.first?.description ?? "")
    }

    func testFailureCapture_isOffOutsideFailuresOf() {
        XCTAssertFalse(capture(Failure(description: "x", file: #filePath, line: #line)), "failures outside failures(of:) fail the test")
    }
}
