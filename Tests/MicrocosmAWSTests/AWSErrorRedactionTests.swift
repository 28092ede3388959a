@testable import MicrocosmAWS
import XCTest

final class AWSErrorRedactionTests: XCTestCase {
    func testRedacting_replacesEverySecretInCodeMessageAndRequestId() {
        let error = AWSError(code: "Bad-s3cr3t", message: "token tok3n and s3cr3t twice: s3cr3t", statusCode: 403,
                             requestId: "id-tok3n", service: "SQS", action: "SendMessage", senderFault: true)
        let redacted = error.redacting(["s3cr3t", "tok3n"])
        XCTAssertEqual(redacted.code, "Bad-<redacted>")
        XCTAssertEqual(redacted.message, "token <redacted> and <redacted> twice: <redacted>")
        XCTAssertEqual(redacted.requestId, "id-<redacted>")
        XCTAssertEqual(redacted.statusCode, 403)
        XCTAssertEqual(redacted.service, "SQS")
        XCTAssertEqual(redacted.action, "SendMessage")
        XCTAssertEqual(redacted.senderFault, true)
    }

    func testRedacting_ignoresEmptySecrets() {
        let error = AWSError(code: "C", message: "m", statusCode: 400)
        XCTAssertEqual(error.redacting(["", ""]), error)
    }
}
