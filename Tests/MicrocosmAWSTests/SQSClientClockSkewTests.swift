import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

final class SQSClientClockSkewTests: XCTestCase {
    func testReceiveMessage_afterAClockCorrection_isSignedWithTheCorrectedTime() async throws {
        let skewed = AWSHTTPResponse.sqsError(403, "SignatureDoesNotMatch", message: "Signature expired",
                                           headers: ["Date": "Sun, 29 Nov 2026 14:10:00 GMT"])
        let sent = AWSHTTPResponse(status: 200, body: Array(#"{"MessageId":"m-1","MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592"}"#.utf8))
        let transport = StubTransport(responses: [.success(skewed), .success(sent), .success(AWSHTTPResponse(status: 200, body: Array("{}".utf8)))])
        let sqs = try makeSQSClient(transport)
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: sqsTestQueue, messageBody: "hello"))
        _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: sqsTestQueue, waitTimeSeconds: 20))
        XCTAssertEqual(transport.requests.map { $0.headers["X-Amz-Date"] },
                       ["20261129T140000Z", "20261129T141000Z", "20261129T141000Z"],
                       "the long poll uses the offset learnt by another call of the same client")
    }
}
