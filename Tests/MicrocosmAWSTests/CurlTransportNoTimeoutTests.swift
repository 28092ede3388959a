import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

/// `CurlTransport.noTimeout`: a request that waits for as long as its response takes (the Lambda
/// Runtime API's next invocation), and the longest timeouts that are not "none".
final class CurlTransportNoTimeoutTests: XCTestCase {
    private let transport = CurlTransport(connectTimeout: .seconds(5))

    func testSend_withNoTimeout_waitsForASlowResponse() async throws {
        let server = try StubHTTPServer { _ in .init(text: "late", delay: .milliseconds(300)) }
        defer { server.stop() }
        let response = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/next"), timeout: CurlTransport.noTimeout)
        XCTAssertEqual(response.bodyText, "late")
    }

    func testSend_withTimeoutsLongerThanNoTimeout_alsoWait() async throws {
        let server = try StubHTTPServer { _ in .init(text: "late", delay: .milliseconds(300)) }
        defer { server.stop() }
        for timeout in [CurlTransport.noTimeout + .seconds(1), .seconds(1_000_000_000)] {
            let response = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/next"), timeout: timeout)
            XCTAssertEqual(response.bodyText, "late", "\(timeout)")
        }
    }

    func testSend_withAShortTimeout_stillTimesOut() async throws {
        let server = try StubHTTPServer { _ in .init(text: "late", delay: .seconds(2)) }
        defer { server.stop() }
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/next"), timeout: .milliseconds(100))
            XCTFail("a short timeout must still apply")
        } catch let error as HTTPTransportError {
            XCTAssertTrue(error.isTimeout, "\(error)")
        }
    }
}
