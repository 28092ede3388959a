import Microcosm
import XCTest

/// Asserts that `graph` published exactly `expected`, in that order (microcosm-pubsub's
/// `assert_that(sns_producer, published(...))`); on failure, reports at the caller's line what was
/// expected, what was published, and how each message differs.
///
/// ```swift
/// _ = try await graph.snsProducer.produce(.created("Order"), ["uri": "http://orders/1"])
/// _ = try await graph.snsProducer.produce(OrderShipped(uri: "http://orders/1", carrier: "ups"))
/// await XCTAssertPublished(graph, [
///     .message(.created("Order"), uri: "http://orders/1"),
///     .message(OrderShipped(uri: "http://orders/1", carrier: "ups"), topic: ordersTopic),
/// ])
/// ```
public func XCTAssertPublished(_ graph: Graph, _ expected: [ExpectedMessage], _ message: @autoclosure () -> String = "",
                               file: StaticString = #filePath, line: UInt = #line) async {
    await assertPublications(.published(expected), in: graph, assertion: "XCTAssertPublished", message(), file: file, line: line)
}

/// Asserts that `graph` published exactly `expected`, in any order (microcosm-pubsub's
/// `published_inanyorder(...)`); each message must match a different expectation.
///
/// ```swift
/// await XCTAssertPublishedInAnyOrder(graph, [.message(.created("Invoice")), .message(.created("Order"))])
/// ```
public func XCTAssertPublishedInAnyOrder(_ graph: Graph, _ expected: [ExpectedMessage], _ message: @autoclosure () -> String = "",
                                         file: StaticString = #filePath, line: UInt = #line) async {
    await assertPublications(.publishedInAnyOrder(expected), in: graph, assertion: "XCTAssertPublishedInAnyOrder", message(),
                             file: file, line: line)
}

/// Asserts that `graph` published nothing (microcosm-pubsub's `published_nothing()`).
///
/// ```swift
/// try await handler.handle(duplicateOrder)
/// await XCTAssertPublishedNothing(graph, "a duplicate is dropped")
/// ```
public func XCTAssertPublishedNothing(_ graph: Graph, _ message: @autoclosure () -> String = "",
                                      file: StaticString = #filePath, line: UInt = #line) async {
    await assertPublications(.publishedNothing, in: graph, assertion: "XCTAssertPublishedNothing", message(), file: file, line: line)
}

/// Checks `graph` with `matcher` and reports a mismatch through `XCTFail` at `file`/`line`.
private func assertPublications(_ matcher: PublicationMatcher, in graph: Graph, assertion: String, _ message: String,
                                file: StaticString, line: UInt) async {
    guard let mismatch = await matcher.mismatch(in: graph) else { return }
    XCTFail(failureText(assertion: assertion, mismatch: mismatch, message: message), file: file, line: line)
}

/// `<assertion> failed: <first line of the mismatch> - <message>`, then the rest of the mismatch.
func failureText(assertion: String, mismatch: String, message: String) -> String {
    var lines = mismatch.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[0] = "\(assertion) failed: \(lines[0])" + (message.isEmpty ? "" : " - \(message)")
    return lines.joined(separator: "\n")
}
