import MicrocosmAWS
import XCTest

/// The bounds of credential HTTP calls: botocore's defaults and variables, checked.
final class CredentialTimeoutsTests: XCTestCase {
    func testDefaults_areBotocoresAndTenSecondsForSTS() throws {
        let timeouts = try CredentialTimeouts(environment: [:])
        XCTAssertEqual(timeouts, CredentialTimeouts(metadata: .seconds(1), metadataAttempts: 1, container: .seconds(2),
                                                    containerAttempts: 3, sts: .seconds(10)))
    }

    func testMetadataVariables_setTheIMDSAndContainerCalls() throws {
        let timeouts = try CredentialTimeouts(environment: ["AWS_METADATA_SERVICE_TIMEOUT": "2.5", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "4"],
                                              sts: .seconds(3))
        XCTAssertEqual(timeouts, CredentialTimeouts(metadata: .milliseconds(2500), metadataAttempts: 4, container: .milliseconds(2500),
                                                    containerAttempts: 4, sts: .seconds(3)))
    }

    func testMetadataVariables_whenNotNumbersInRange_areErrorsNamingTheVariable() {
        let cases = [
            ("AWS_METADATA_SERVICE_TIMEOUT", "nan", "AWS_METADATA_SERVICE_TIMEOUT: expected seconds from 0.001 to 3600, got 'nan'"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "0", "AWS_METADATA_SERVICE_TIMEOUT: expected seconds from 0.001 to 3600, got '0'"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "1e300", "AWS_METADATA_SERVICE_TIMEOUT: expected seconds from 0.001 to 3600, got '1e300'"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0", "AWS_METADATA_SERVICE_NUM_ATTEMPTS: expected a whole number from 1 to 10, got '0'"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "two", "AWS_METADATA_SERVICE_NUM_ATTEMPTS: expected a whole number from 1 to 10, got 'two'"),
        ]
        for (variable, value, line) in cases {
            XCTAssertThrowsError(try CredentialTimeouts(environment: [variable: value])) { XCTAssertEqual("\($0)", line) }
            XCTAssertThrowsError(try AWSServiceSettings.resolve(service: "sqs", regionName: "us-east-1", environment: [variable: value],
                                                                transport: StubNoTransport())) { XCTAssertEqual("\($0)", line) }
        }
    }
}

/// A transport no test here reaches.
private struct StubNoTransport: HTTPTransport {
    func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        XCTFail("no request expected: \(request)")
        return AWSHTTPResponse(status: 500)
    }
}
