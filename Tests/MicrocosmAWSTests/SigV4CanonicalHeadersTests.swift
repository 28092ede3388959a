import Foundation
import MicrocosmAWS
import XCTest

/// The canonical headers the signer writes byte by byte into its buffer, against a plain String-built version of
/// botocore's rules, for many random header sets: mixed-case and repeated names, names botocore never signs,
/// non-ASCII names, values with runs of (Unicode) whitespace, hosts with ports and IPv6 addresses, with and
/// without a Host header.
final class SigV4CanonicalHeadersTests: XCTestCase {
    private let signer = SigV4Signer(service: "sqs", region: "us-east-1")
    private let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    private let date = Date(timeIntervalSince1970: 1_440_938_160)   // 2015-08-30T12:36:00Z

    private static let names = ["Content-Type", "X-Amz-Target", "x-amz-target", "X-AMZ-TARGET", "Host", "HOST", "User-Agent",
                                "Connection", "TE", "X-Amzn-Trace-Id", "x-amzn-query-mode", "X-Custom-Header-With-A-Long-Name",
                                "\u{c4}-Header", "\u{130}d", "a", "Zz", "X-Amz-Content-SHA256"]
    private static let pieces = ["v", "value", "AmazonSQS.SendMessage", "application/x-amz-json-1.0", " ", "  ", "\t", "\n",
                                 "\u{a0}", "\u{2003}", "\u{1c}", "\u{e9}t\u{e9}", "\u{1F600}", ",", ";", ":"]
    private static let hosts: [(host: String, port: Int?)] = [("sqs.us-east-1.amazonaws.com", nil), ("127.0.0.1", 4566),
                                                               ("::1", 8080), ("localhost", nil)]

    func testCanonicalRequest_randomHeaderSets_matchAStringBuiltReference() throws {
        var generator = SeededGenerator(seed: 1_440_938_160)
        for round in 0..<500 {
            let (host, port) = SigV4CanonicalHeadersTests.hosts.randomElement(using: &generator)!
            var headers = AWSHTTPHeaders()
            for _ in 0..<Int.random(in: 0...9, using: &generator) {
                let value = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                    SigV4CanonicalHeadersTests.pieces.randomElement(using: &generator)!
                }.joined()
                headers.add(name: SigV4CanonicalHeadersTests.names.randomElement(using: &generator)!, value: value)
            }
            let body = Array("{\"round\": \(round)}".utf8)
            let request = AWSHTTPRequest(method: "POST", scheme: "http", host: host, port: port, headers: headers, body: body)
            let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date)
            XCTAssertEqual(canonical, reference(request), "round \(round): \(request.headers.fields)")
        }
    }

    func testCanonicalRequest_everyHeaderBotocoreSkips_isLeftOutAndLookalikesOfTheSameLengthAreSigned() {
        let skipped = ["Connection", "EXPECT", "Keep-Alive", "Proxy-Authenticate", "proxy-authorization", "TE", "Trailer",
                       "Transfer-Encoding", "Upgrade", "User-Agent", "X-Amzn-Trace-Id"]
        let lookalikes = ["tf", "expeck", "trailed", "upgrado", "connectior", "keep-alivf", "user-agenu", "x-amzn-trace-ie",
                          "transfer-encodinh", "proxy-authenticatf", "proxy-authorizatioo", "te-", "t"]
        var headers = AWSHTTPHeaders()
        for name in skipped + lookalikes { headers.add(name: name, value: "v") }
        let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com", headers: headers)
        let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date)
        XCTAssertEqual(canonical, reference(request))
        let signedNames = canonical.split(separator: "\n").dropLast().last.map { $0.split(separator: ";").map(String.init) } ?? []
        XCTAssertEqual(signedNames, (lookalikes + ["host", "x-amz-date"]).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// botocore's canonical request for a POST to "/" with no query, written with Strings and sorting.
    private func reference(_ request: AWSHTTPRequest) -> String {
        let unsigned: Set<String> = ["connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                                     "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id"]
        var fields = request.headers.fields.map { ($0.name.lowercased(), $0.value) }
        fields.append(("x-amz-date", "20150830T123600Z"))
        var entries = fields.enumerated().filter { !unsigned.contains($0.element.0) }
            .map { (name: $0.element.0, value: $0.element.1, position: $0.offset) }
        if !entries.contains(where: { $0.name == "host" }) {
            entries.append((name: "host", value: request.hostHeader, position: entries.count + 100))
        }
        entries.sort { lhs, rhs in
            lhs.name == rhs.name ? lhs.position < rhs.position : Array(lhs.name.utf8).lexicographicallyPrecedes(Array(rhs.name.utf8))
        }
        var lines: [String] = []
        var names: [String] = []
        for entry in entries {
            let trimmed = entry.value.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace || (0x1c...0x1f).contains($0.value) })
                .map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
            if names.last == entry.name {
                lines[lines.count - 1] += "," + trimmed
            } else {
                names.append(entry.name)
                lines.append(entry.name + ":" + trimmed)
            }
        }
        let payload = entries.first { $0.name == "x-amz-content-sha256" }?.value ?? SHA256.hash(request.body).hex
        return "POST\n/\n\n" + lines.map { $0 + "\n" }.joined() + "\n" + names.joined(separator: ";") + "\n" + payload
    }
}
