import CCurl
import Foundation
import MicrocosmAWS

/// The C reference loops of the CCurl target (`ccurl_reference_easy`, `ccurl_reference_multi`): libcurl sending one
/// fixed request again and again with the options ``CurlTransport`` sets, the lines of its header list built the
/// way CurlTransport builds them (`Name: value`, then `Expect:`).
enum CurlReference {
    /// The User-Agent ``CurlTransport`` sends.
    static let userAgent = "swift-microcosm-pubsub"

    /// Requests per second answered 200 when C sends `request` (signed once) for `seconds`: one easy handle and
    /// `curl_easy_perform` when `multi` is false (concurrency 1 only), else `concurrency` handles on a multi handle.
    static func requestsPerSecond(_ request: AWSHTTPRequest, concurrency: Int, multi: Bool, seconds: Double) throws -> Double {
        let lines = request.headers.map { strdup("\($0.name): \($0.value)") } + [strdup("Expect:")]
        defer { lines.forEach { free($0) } }
        var result = ccurl_reference_result()
        let status: Int32 = request.url.withCString { url in
            userAgent.withCString { agent in
                request.body.withUnsafeBytes { body in
                    lines.map { UnsafePointer($0) }.withUnsafeBufferPointer { lines in
                        var reference = ccurl_reference_request(
                            url: url, header_lines: lines.baseAddress, header_line_count: lines.count, user_agent: agent,
                            body: body.baseAddress, body_length: body.count, timeout_ms: 10_000)
                        return multi
                            ? ccurl_reference_multi(&reference, Int32(concurrency), seconds, &result)
                            : ccurl_reference_easy(&reference, seconds, &result)
                    }
                }
            }
        }
        guard status == 0 else { throw BenchTools.Failure(description: "the C reference loop could not set up libcurl") }
        guard result.failed == 0 else {
            throw BenchTools.Failure(description: "the C reference loop saw \(result.failed) failed requests")
        }
        return Double(result.completed) / result.seconds
    }
}
