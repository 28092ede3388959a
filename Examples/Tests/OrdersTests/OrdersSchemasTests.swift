import Foundation
import MicrocosmPubSubDaemon
import Orders
import Synchronization
import XCTest

/// The service's message contract: `Examples/schemas.json` is what `orders-daemon schemas export
/// --testing` printed; after a deliberate change to a message, export it again and commit it.
final class OrdersSchemasTests: XCTestCase {
    func testSchemas_areTheCommittedOnes() async {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas.json").path
        let lines = Mutex<[String]>([])
        let status = await OrdersDaemon().run(arguments: ["schemas", "check", path, "--testing"], environment: [:],
                                              output: { line in lines.withLock { $0.append(line) } },
                                              errorOutput: { line in lines.withLock { $0.append(line) } })
        XCTAssertEqual(status, 0)
        XCTAssertEqual(lines.withLock { $0 }, ["no changes from \(path)"])
    }
}
