import AWSTestSupport
import CCurl
import Foundation
import MicrocosmAWS
import XCTest

/// The C reference loops `pubsub-bench transport` compares CurlTransport with: they must send the very request
/// CurlTransport sends (method, target, every header in order, body) and reuse their connections as it does.
final class CurlReferenceLoopTests: XCTestCase {
    /// The header lines as CurlTransport puts them in its curl header list, and its User-Agent.
    private static func lines(_ request: AWSHTTPRequest) -> [UnsafeMutablePointer<CChar>?] {
        request.headers.map { strdup("\($0.name): \($0.value)") } + [strdup("Expect:")]
    }

    private func run(_ request: AWSHTTPRequest, concurrency: Int, multi: Bool) -> (status: Int32, result: ccurl_reference_result) {
        let lines = CurlReferenceLoopTests.lines(request)
        defer { lines.forEach { free($0) } }
        var result = ccurl_reference_result()
        let status = request.url.withCString { url in
            "swift-microcosm-pubsub".withCString { agent in
                request.body.withUnsafeBytes { body in
                    lines.map { UnsafePointer($0) }.withUnsafeBufferPointer { lines in
                        var reference = ccurl_reference_request(
                            url: url, header_lines: lines.baseAddress, header_line_count: lines.count, user_agent: agent,
                            body: body.baseAddress, body_length: body.count, timeout_ms: 10_000)
                        return multi ? ccurl_reference_multi(&reference, Int32(concurrency), 0.05, &result)
                            : ccurl_reference_easy(&reference, 0.05, &result)
                    }
                }
            }
        }
        return (status, result)
    }

    func testReferenceLoops_sendWhatCurlTransportSends_overOneConnectionPerLoopSlot() async throws {
        let server = try StubHTTPServer { _ in .init(headers: [("Content-Type", "application/x-amz-json-1.0")], text: "{}") }
        defer { server.stop() }
        let signer = SigV4Signer(service: "sqs", region: "us-east-1")
        let request = signer.sign(
            try AWSHTTPRequest(method: "POST", url: server.url + "/",
                            headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ReceiveMessage"],
                            body: Array(#"{"QueueUrl":"http://127.0.0.1/123456789012/bench","MaxNumberOfMessages":10}"#.utf8)),
            credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not/a/real/secret"), date: Date())
        let response = try await CurlTransport(connectTimeout: .seconds(5)).send(request, timeout: .seconds(10))
        XCTAssertEqual(response.status, 200)

        let easy = run(request, concurrency: 1, multi: false)
        let multi = run(request, concurrency: 3, multi: true)
        XCTAssertEqual(easy.status, 0)
        XCTAssertEqual(multi.status, 0)
        XCTAssertGreaterThan(easy.result.completed, 0)
        XCTAssertGreaterThanOrEqual(multi.result.completed, 3, "every slot of the multi loop sends at least once")
        XCTAssertEqual(easy.result.failed + multi.result.failed, 0)

        let received = server.requests
        XCTAssertEqual(received.count, 1 + easy.result.completed + multi.result.completed)
        let ours = try XCTUnwrap(received.first)
        XCTAssertEqual(ours.header("User-Agent"), "swift-microcosm-pubsub")
        XCTAssertNotNil(ours.header("Authorization"))
        for (index, sent) in received.enumerated().dropFirst() {
            XCTAssertEqual(sent.method, ours.method, "request \(index)")
            XCTAssertEqual(sent.target, ours.target, "request \(index)")
            XCTAssertEqual(sent.headers.map { "\($0.name): \($0.value)" }, ours.headers.map { "\($0.name): \($0.value)" },
                           "request \(index)")
            XCTAssertEqual(sent.body, ours.body, "request \(index)")
        }
        // One connection for the transport, one for the easy loop, one per slot of the multi loop.
        XCTAssertEqual(server.connectionCount, 1 + 1 + 3)
    }

    func testReferenceMulti_withNoSlots_refusesToRun() {
        var reference = ccurl_reference_request()
        var result = ccurl_reference_result()
        XCTAssertEqual(ccurl_reference_multi(&reference, 0, 0.01, &result), -1)
    }
}
