import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import PubSubCLI
import SimpleDaemon
import XCTest

/// `sns-produce` then `sqs-consume`, both in process, through one in-memory broker.
final class InProcessRoundTripTests: XCTestCase {
    func testProducedMessages_areConsumedWithTheIdsProducePrinted() async throws {
        let harness = CommandHarness()
        let (topicArn, queueURL) = try await harness.subscribedQueue("round-trip")
        let produced = await harness.produce(["--topic-arn", topicArn, "--endpoint-url", "memory://", "--count", "3",
                                              "--message", "ping"])
        XCTAssertEqual(produced.status, 0, "\(produced)")
        XCTAssertEqual(produced.outputLines.count, 3)

        let consumed = await harness.consume(["--queue-url", queueURL, "--endpoint-url", "memory://", "--wait-seconds", "0"])
        XCTAssertEqual(consumed.status, 0, "\(consumed)")
        XCTAssertEqual(consumed.outputColumns.map { $0[1] }, produced.outputLines)
        for line in consumed.outputColumns {
            XCTAssertEqual(Array(line[2...3]), [SimpleMessage.mediaType.rawValue, "1"])
            let content = try XCTUnwrap(JSONParser.parse(line[4]).objectValue)
            XCTAssertEqual(content["message"], "ping")
            XCTAssertEqual(content["timestamp"]?.doubleValue, harness.now)
        }
    }
}
