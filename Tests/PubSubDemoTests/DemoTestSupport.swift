import Foundation
import MicrocosmPubSub
import PubSubCLI
import PubSubDemo
import Synchronization
import XCTest

/// What a command run in process printed, line by line, and its exit status.
struct DemoCommandResult {
    let status: Int32
    let standardOutput: [String]
    let standardError: [String]

    /// Runs `pubsub` with `arguments` in process, in `environment`, with captured output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async -> Self {
        let captured = Mutex((standardOutput: [String](), standardError: [String]()))
        let output = CommandOutput(standardOutput: { text in captured.withLock { $0.standardOutput += text.components(separatedBy: "\n") } },
                                   standardError: { text in captured.withLock { $0.standardError += text.components(separatedBy: "\n") } })
        let status = await PubSubCommand.main(arguments, context: CommandContext(output: output, environment: environment))
        return captured.withLock { Self(status: status, standardOutput: $0.standardOutput, standardError: $0.standardError) }
    }

    /// The numbers of the table row whose first cell is `name` (`created.order`, `total`).
    func tableRow(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let line = try XCTUnwrap(standardOutput.first { $0.hasPrefix("  \(name)  ") }, "no row '\(name)' in \(standardOutput)",
                                 file: file, line: line)
        return line.dropFirst(2 + name.count).split(separator: " ").compactMap { Int($0) }
    }
}

/// What the demo's scenario must come to, whatever it runs on: each message handled to the
/// results its handler's behaviour makes, and only the body that is not JSON dead-lettered.
enum DemoExpectations {
    static let createdOrder = MediaType.created("Order")
    static let changedOrder = MediaType.changed("Order")
    static let deletedOrder = MediaType.deleted("Order")
    static let createdInvoice = MediaType.created("Invoice")

    /// Per media type (nil: not JSON): messages, received, SUCCEEDED, SKIPPED, IGNORED, EXPIRED, RETRIED, FAILED, in DLQ.
    static let rows: [(MediaType?, [Int])] = [
        (createdOrder, [6, 8, 5, 0, 0, 1, 0, 2, 0]),
        (changedOrder, [4, 7, 3, 1, 0, 0, 1, 2, 0]),
        (deletedOrder, [2, 2, 1, 1, 0, 0, 0, 0, 0]),
        (createdInvoice, [2, 2, 0, 0, 2, 0, 0, 0, 0]),
        (nil, [1, 3, 0, 0, 0, 0, 0, 3, 1]),
    ]

    static let total = [15, 22, 9, 2, 2, 1, 1, 7, 1]

    static func numbers(_ row: DemoReport.Row) -> [Int] {
        [row.messages, row.received] + MessageHandlingResult.Kind.all.map { row[$0] } + [row.deadLettered]
    }

    /// Checks `report` against the scenario.
    static func check(_ report: DemoReport, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(report.drained, "the queue was drained", file: file, line: line)
        XCTAssertTrue(report.everyMessageAccountedFor, "\(report.lines.joined(separator: "\n"))", file: file, line: line)
        XCTAssertEqual(report.rows.map(\.mediaType), rows.map(\.0), file: file, line: line)
        for (mediaType, expected) in rows {
            let row = try XCTUnwrap(report.row(mediaType), file: file, line: line)
            XCTAssertEqual(numbers(row), expected, "\(mediaType?.rawValue ?? "not JSON")", file: file, line: line)
            XCTAssertTrue(row.isAccountedFor, file: file, line: line)
        }

        // The poison message: failed on each of maxReceiveCount receives, then moved to the DLQ.
        XCTAssertEqual(report.deadLetters.map(\.messageId), [report.poisonMessageId], file: file, line: line)
        XCTAssertEqual(report.deadLetters.first?.body, "this is not JSON {\"order\": 8", file: file, line: line)

        // Failing, then succeeding after redelivery: SUCCEEDED with receive count > 1.
        let byKey = Dictionary(grouping: report.attempts) { "\($0.mediaType?.rawValue ?? "-") \($0.key)" }
        func results(_ mediaType: MediaType, _ key: String) -> [String] {
            (byKey["\(mediaType.rawValue) \(key)"] ?? []).sorted { $0.receiveCount < $1.receiveCount }.map { "\($0.receiveCount) \($0.kind)" }
        }
        XCTAssertEqual(results(createdOrder, "http://orders.example/orders/5"), ["1 FAILED", "2 FAILED", "3 SUCCEEDED"], file: file, line: line)
        XCTAssertEqual(results(changedOrder, "http://orders.example/orders/3"), ["1 FAILED", "2 FAILED", "3 SUCCEEDED"], file: file, line: line)
        XCTAssertEqual(results(changedOrder, "http://orders.example/orders/2"), ["1 RETRIED", "2 SUCCEEDED"], file: file, line: line)
        XCTAssertEqual(results(changedOrder, "http://orders.example/orders/4"), ["1 SKIPPED"], file: file, line: line)
        XCTAssertEqual(results(deletedOrder, "id 6"), ["1 SKIPPED"], file: file, line: line)
        XCTAssertEqual(results(createdOrder, "http://orders.example/orders/7"), [], "expired before any handler", file: file, line: line)
        XCTAssertEqual(report.messagesHandledMoreThanOnce.count, 3, file: file, line: line)

        // The loop's own account agrees: 14 messages deleted once; 8 deliveries handed back (the
        // 7 FAILED and the 1 RETRIED).
        XCTAssertEqual(report.loop.received, 22, file: file, line: line)
        XCTAssertEqual(report.loop.deleted, 14, file: file, line: line)
        XCTAssertEqual(report.loop.handedBack, 8, file: file, line: line)
        XCTAssertEqual(report.loop.unacknowledged + report.loop.unfinished, 0, file: file, line: line)
    }
}
