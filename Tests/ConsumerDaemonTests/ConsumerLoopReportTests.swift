import Foundation
import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon
import XCTest

/// A loop over a queue counts where messages ended but keeps no ids, so a daemon that runs for
/// months does not grow; a loop over a Lambda event or a file keeps them.
final class ConsumerLoopReportTests: XCTestCase {
    func testRun_overAQueue_countsButRecordsNoIdsByDefault() async throws {
        let bed = try await DaemonTestBed.make()
        try await bed.sendThing("http://things/1")
        let loop = ConsumerLoop(consumer: try bed.graph.sqsConsumer, clock: bed.clock.swiftClock, logger: bed.graph.logger) { _ in result(.succeeded) }
        XCTAssertFalse(loop.recordsMessageIds)
        let report = await bed.runUntilEmpty(loop)
        XCTAssertEqual(report.deleted, 1)
        XCTAssertEqual(report.deletedIds, [])
        XCTAssertEqual(report.description, "received 1, SUCCEEDED 1; deleted 1, handed back 0")
    }
}
