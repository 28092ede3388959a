import Foundation
@testable import MicrocosmAWS
import XCTest

/// The signer's cached header plans against the general path they replace (a signer made with `headerPlans: false`),
/// byte for byte: the signed request's fields, the canonical request and the string to sign, for random header sets
/// (mixed-case, repeated and unsigned names, X-Amz-Date / Authorization / token headers already there, values with
/// runs of whitespace), with and without a session token, signed first (the plan is made) and again (it is reused);
/// and the cache itself: one plan per name sequence and token presence, shared by copies, bounded, safe from many tasks.
final class SigV4HeaderPlanTests: XCTestCase {
    private let date = Date(timeIntervalSince1970: 1_440_938_160)   // 2015-08-30T12:36:00Z
    private let plain = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    private let withToken = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                           sessionToken: "token/with+slash=")

    private static let names = ["Content-Type", "content-type", "X-Amz-Target", "x-amz-target", "X-AMZ-TARGET", "Host", "HOST",
                                "User-Agent", "Connection", "TE", "X-Amzn-Trace-Id", "x-amzn-query-mode", "a", "Zz",
                                "X-Amz-Content-SHA256", "X-Amz-Date", "x-amz-date", "Authorization", "X-Amz-Security-Token",
                                "x-amz-security-token", "X-Custom-Header-With-A-Long-Name-Past-Sixty-Four-Bytes-Of-Name-Text"]
    private static let pieces = ["v", "value", "AmazonSQS.SendMessage", "application/x-amz-json-1.0", " ", "  ", "\t", "\n",
                                 "\u{a0}", "\u{2003}", "\u{1c}", "\u{e9}t\u{e9}", ",", ";", ":",
                                 String(repeating: "long value ", count: 8)]
    private static let hosts: [(host: String, port: Int?)] = [("sqs.us-east-1.amazonaws.com", nil), ("127.0.0.1", 4566),
                                                               ("::1", 8080)]

    private func signers() -> (planned: SigV4Signer, general: SigV4Signer) {
        (SigV4Signer(service: "sqs", region: "us-east-1", engine: SHA256.preferredEngine),
         SigV4Signer(service: "sqs", region: "us-east-1", engine: SHA256.preferredEngine, headerPlans: false))
    }

    /// The fields as UTF-8 bytes: `==` on Strings would let canonically equivalent names pass.
    private func bytes(_ headers: AWSHTTPHeaders) -> [[UInt8]] {
        headers.fields.flatMap { [Array($0.name.utf8), Array($0.value.utf8)] }
    }

    private func assertSame(_ planned: SigV4Signer, _ general: SigV4Signer, _ request: AWSHTTPRequest,
                            _ credentials: AWSCredentials, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Array(planned.canonicalRequest(for: request, credentials: credentials, date: date).utf8),
                       Array(general.canonicalRequest(for: request, credentials: credentials, date: date).utf8),
                       "canonical request, \(message)", file: file, line: line)
        XCTAssertEqual(Array(planned.stringToSign(for: request, credentials: credentials, date: date).utf8),
                       Array(general.stringToSign(for: request, credentials: credentials, date: date).utf8),
                       "string to sign, \(message)", file: file, line: line)
        let expected = general.sign(request, credentials: credentials, date: date)
        for attempt in ["made", "reused"] {
            let signed = planned.sign(request, credentials: credentials, date: date)
            XCTAssertEqual(bytes(signed.headers), bytes(expected.headers), "signed fields, plan \(attempt), \(message)",
                           file: file, line: line)
            XCTAssertEqual(signed.body, expected.body, file: file, line: line)
            XCTAssertEqual(signed.url, expected.url, file: file, line: line)
        }
    }

    private func randomRequest(_ generator: inout SeededGenerator, round: Int) -> AWSHTTPRequest {
        let (host, port) = SigV4HeaderPlanTests.hosts.randomElement(using: &generator)!
        var headers = AWSHTTPHeaders()
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            let value = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                SigV4HeaderPlanTests.pieces.randomElement(using: &generator)!
            }.joined()
            headers.add(name: SigV4HeaderPlanTests.names.randomElement(using: &generator)!, value: value)
        }
        let method = ["POST", "GET", "post", "Get", "PUT"].randomElement(using: &generator)!
        return AWSHTTPRequest(method: method, scheme: "https", host: host, port: port,
                              path: ["/", "/123456789012/queue", "/a/./b/../c//d"].randomElement(using: &generator)!,
                              query: [nil, "Action=SendMessage&b=2&a=1"].randomElement(using: &generator)!,
                              headers: headers, body: Array("{\"round\": \(round)}".utf8))
    }

    func testPlans_randomHeaderSets_signByteForByteAsTheGeneralPath() {
        var generator = SeededGenerator(seed: 14_14)
        let (planned, general) = signers()
        for round in 0..<400 {
            let request = randomRequest(&generator, round: round)
            let credentials = Bool.random(using: &generator) ? withToken : plain
            assertSame(planned, general, request, credentials, "round \(round): \(request.headers.fields.map(\.name))")
        }
        XCTAssertEqual(planned.headerPlanCount, SigV4HeaderPlanCache.capacity, "the cache stays small")
        XCTAssertNil(general.headerPlanCount)
    }

    func testPlans_theSendMessageHeaders_signAsTheGeneralPathWithAndWithoutAToken() {
        let (planned, general) = signers()
        let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com",
                                     headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage",
                                               "x-amzn-query-mode": "true"],
                                     body: Array("{\"QueueUrl\": \"q\", \"MessageBody\": \"m\"}".utf8))
        assertSame(planned, general, request, plain, "no token")
        XCTAssertEqual(planned.headerPlanCount, 1)
        assertSame(planned, general, request, withToken, "token")
        XCTAssertEqual(planned.headerPlanCount, 2, "a token adds a signed header: another plan")
        assertSame(planned, general, request, AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s", sessionToken: ""),
                   "empty token")
        XCTAssertEqual(planned.headerPlanCount, 2, "an empty token is no token")
        let signed = planned.sign(request, credentials: withToken, date: date)
        XCTAssertEqual(signed.headers.fields.map(\.name), ["Content-Type", "X-Amz-Target", "x-amzn-query-mode", "X-Amz-Date",
                                                           "X-Amz-Security-Token", "Authorization"])
        XCTAssertTrue(signed.headers["Authorization"]!.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-amzn-query-mode, Signature="))
    }

    func testPlans_sameNamesInAnotherCaseOrOrder_getTheirOwnPlanAndSignAsTheGeneralPath() {
        let (planned, general) = signers()
        let variants: [[(String, String)]] = [
            [("Content-Type", "a/b"), ("X-Amz-Target", "T")],
            [("content-type", "a/b"), ("x-amz-target", "T")],
            [("X-Amz-Target", "T"), ("Content-Type", "a/b")],
            [("X-Amz-Target", "T"), ("Content-Type", "a/b"), ("x-amz-target", "U")],
        ]
        for (index, fields) in variants.enumerated() {
            var headers = AWSHTTPHeaders()
            for (name, value) in fields { headers.add(name: name, value: value) }
            let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com", headers: headers)
            assertSame(planned, general, request, plain, "variant \(index)")
            XCTAssertEqual(planned.headerPlanCount, index + 1)
        }
        // The same names again with other values: no new plan, and the values are the new ones.
        let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com",
                                     headers: ["Content-Type": "c/d", "X-Amz-Target": "V"])
        assertSame(planned, general, request, plain, "new values")
        XCTAssertEqual(planned.headerPlanCount, variants.count)
        XCTAssertTrue(planned.canonicalRequest(for: request, credentials: plain, date: date).contains("content-type:c/d\n"))
    }

    func testPlans_valuesWithSpaces_areTrimmedAndCollapsedAsTheGeneralPathDoes() {
        let (planned, general) = signers()
        for value in ["", " ", "  a  ", "a  b", "\ta\tb\t", " a \u{a0} b ", "a\u{2003}\u{2003}b", "\u{1c}x\u{1f}", "\n", "a,b ; c"] {
            let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "example.amazonaws.com",
                                         headers: ["X-Spaced": value, "x-spaced": " second  value "])
            assertSame(planned, general, request, plain, "value \(Array(value.unicodeScalars.map(\.value)))")
        }
        XCTAssertEqual(planned.headerPlanCount, 1, "one name sequence, one plan")
    }

    func testPlans_retriedRequestWithDateAuthorizationAndToken_signAsTheGeneralPath() {
        let (planned, general) = signers()
        let first = planned.sign(AWSHTTPRequest(method: "POST", scheme: "https", host: "sns.us-east-1.amazonaws.com",
                                                headers: ["Content-Type": "application/x-www-form-urlencoded"], body: [1, 2]),
                                 credentials: withToken, date: date.addingTimeInterval(-3600))
        assertSame(planned, general, first, withToken, "re-signed with a token")
        assertSame(planned, general, first, plain, "re-signed without a token: the old token header is kept as a header")
    }

    func testPlans_hostHeaderAndContentSHA256Header_signAsTheGeneralPath() {
        let (planned, general) = signers()
        let request = AWSHTTPRequest(method: "PUT", scheme: "http", host: "127.0.0.1", port: 4566,
                                     headers: ["Host": "example.com:8443", "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD",
                                               "x-amz-content-sha256": "second"], body: [1, 2, 3])
        assertSame(planned, general, request, plain, "host and payload headers")
        XCTAssertTrue(planned.canonicalRequest(for: request, credentials: plain, date: date).hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    func testPlans_nonASCIINames_takeTheGeneralPathAndLookalikesGetNoASCIIPlan() {
        let (planned, general) = signers()
        // U+037E GREEK QUESTION MARK is canonically equivalent to ";": Swift's == finds the names equal, the bytes
        // differ, and so do the lower-cased names (U+037E has no lower case): an ASCII plan must not serve it.
        let ascii = AWSHTTPRequest(method: "POST", scheme: "https", host: "example.amazonaws.com", headers: ["X;": "v"])
        let lookalike = AWSHTTPRequest(method: "POST", scheme: "https", host: "example.amazonaws.com", headers: ["X\u{37E}": "v"])
        XCTAssertEqual("X;", "X\u{37E}", "the case this test is about")
        assertSame(planned, general, ascii, plain, "ASCII name")
        XCTAssertEqual(planned.headerPlanCount, 1)
        assertSame(planned, general, lookalike, plain, "Greek question mark")
        XCTAssertEqual(planned.headerPlanCount, 1, "no plan for a non-ASCII name")
        XCTAssertTrue(planned.canonicalRequest(for: lookalike, credentials: plain, date: date).contains("\nx\u{37E}:v\n"))
        let kelvin = AWSHTTPRequest(method: "POST", scheme: "https", host: "example.amazonaws.com", headers: ["X-\u{212A}": "v"])
        assertSame(planned, general, kelvin, plain, "Kelvin sign (equivalent to K)")
        let accented = AWSHTTPRequest(method: "POST", scheme: "https", host: "example.amazonaws.com",
                                      headers: ["\u{c4}-Header": "v", "\u{130}d": "w"])
        assertSame(planned, general, accented, plain, "non-ASCII names")
    }

    func testPlans_areSharedByCopiesOfTheSigner() {
        let signer = SigV4Signer(service: "sqs", region: "us-east-1")
        let copy = signer
        let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com",
                                     headers: ["Content-Type": "application/x-amz-json-1.0"])
        XCTAssertEqual(signer.headerPlanCount, 0)
        _ = copy.sign(request, credentials: plain, date: date)
        XCTAssertEqual(signer.headerPlanCount, 1, "the copy's plan is the original's")
        _ = signer.sign(request, credentials: plain, date: date)
        XCTAssertEqual(copy.headerPlanCount, 1)
        XCTAssertEqual(SigV4Signer(service: "sqs", region: "us-east-1").headerPlanCount, 0, "a new signer starts empty")
    }

    func testPlans_fromManyTasksAtOnce_signAsTheGeneralPath() async {
        let (planned, general) = signers()
        var generator = SeededGenerator(seed: 14_15)
        let inputs = (0..<64).map { round in
            (randomRequest(&generator, round: round), Bool.random(using: &generator) ? withToken : plain)
        }
        let date = self.date
        let expected = inputs.map { general.sign($0.0, credentials: $0.1, date: date).headers }
        let results = await withTaskGroup(of: (Int, AWSHTTPHeaders).self) { group in
            for repetition in 0..<4 {
                for (index, input) in inputs.enumerated() {
                    group.addTask { (index + 64 * repetition, planned.sign(input.0, credentials: input.1, date: date).headers) }
                }
            }
            var results: [Int: AWSHTTPHeaders] = [:]
            for await (index, headers) in group { results[index] = headers }
            return results
        }
        XCTAssertEqual(results.count, 256)
        for (index, headers) in results {
            XCTAssertEqual(bytes(headers), bytes(expected[index % 64]), "request \(index % 64)")
        }
        XCTAssertLessThanOrEqual(planned.headerPlanCount ?? 0, SigV4HeaderPlanCache.capacity)
    }

    func testCanonicalPrefix_eachPartChangedInTurn_signsAsTheGeneralPath() {
        let (planned, general) = signers()
        let base = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com", path: "/q",
                                  query: "a=1", headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "T;Send"],
                                  body: Array("{\"MessageBody\": \"m\"}".utf8))
        func changed(_ change: (inout AWSHTTPRequest) -> Void) -> AWSHTTPRequest {
            var request = base
            change(&request)
            return request
        }
        // Each variant differs from the base in one part; the same-length ones differ only in their bytes.
        let variants: [(String, AWSHTTPRequest)] = [
            ("method", changed { $0.method = "PUT" }),
            ("method, same length", changed { $0.method = "POSU" }),
            ("path, same length", changed { $0.path = "/r" }),
            ("query", changed { $0.query = nil }),
            ("query, same length", changed { $0.query = "a=2" }),
            ("host, same length", changed { $0.host = "sqs.us-east-2.amazonaws.com" }),
            ("port", changed { $0.port = 8443 }),
            ("value, same length", changed { $0.headers["X-Amz-Target"] = "T;Sene" }),
            ("value, spaces", changed { $0.headers["X-Amz-Target"] = " T;Send " }),
            ("value, canonically equivalent", changed { $0.headers["X-Amz-Target"] = "T\u{37E}Send" }),
            ("value, non-ASCII", changed { $0.headers["X-Amz-Target"] = "T.S\u{e9}nd" }),
            ("body", changed { $0.body = Array("{\"MessageBody\": \"n\"}".utf8) }),
            ("empty body", changed { $0.body = [] }),
        ]
        for (name, variant) in variants {
            for request in [base, variant, variant, base] {
                assertSame(planned, general, request, plain, name)
                assertSame(planned, general, request, withToken, name + ", token")
            }
        }
        // Another second, and another token of the same length.
        let otherToken = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                        sessionToken: "token/with+slasH=")
        for credentials in [withToken, otherToken, withToken] {
            for second in [0.0, 0.5, 1.0, 0.0] {
                let signed = planned.sign(base, credentials: credentials, date: date.addingTimeInterval(second))
                XCTAssertEqual(bytes(signed.headers),
                               bytes(general.sign(base, credentials: credentials, date: date.addingTimeInterval(second)).headers),
                               "\(second) s later")
            }
        }
    }

    func testCanonicalPrefix_otherCredentialsOrSecond_signAsTheGeneralPath() {
        let engines: [SHA256.Engine] = SHA256.hardwareAvailable ? [.swift, .hardware] : [.swift]
        let request = AWSHTTPRequest(method: "POST", scheme: "https", host: "sqs.us-east-1.amazonaws.com",
                                     headers: ["Content-Type": "application/x-amz-json-1.0"], body: Array("{}".utf8))
        let credentials = [
            plain,
            AWSCredentials(accessKeyId: "AKIDEXAMPLF", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ"),
            AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE\u{212A}EY"),
            AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            withToken,
        ]
        for engine in engines {
            let planned = SigV4Signer(service: "sqs", region: "us-east-1", engine: engine)
            let general = SigV4Signer(service: "sqs", region: "us-east-1", engine: engine, headerPlans: false)
            for offset in [0.0, 0.9, 1.0, 86_400, 0.2] {
                for (index, credentials) in credentials.enumerated() {
                    for _ in 0..<2 {
                        let when = date.addingTimeInterval(offset)
                        XCTAssertEqual(bytes(planned.sign(request, credentials: credentials, date: when).headers),
                                       bytes(general.sign(request, credentials: credentials, date: when).headers),
                                       "\(engine) engine, \(offset) s later, credentials \(index)")
                    }
                }
            }
        }
    }

    func testCanonicalPrefix_payloadHashHeader_signsAsTheGeneralPathAsTheHeaderChanges() {
        let (planned, general) = signers()
        for value in ["UNSIGNED-PAYLOAD", "UNSIGNED-PAYLOAE", "UNSIGNED-PAYLOAD"] {
            let request = AWSHTTPRequest(method: "PUT", scheme: "https", host: "example.amazonaws.com",
                                         headers: ["X-Amz-Content-SHA256": value], body: [1, 2, 3])
            assertSame(planned, general, request, plain, value)
        }
    }

    func testSigV4Buffer_piecesOfEveryLength_appendTheirBytes() {
        var generator = SeededGenerator(seed: 14_16)
        let pieces = (0...140).map { generator.bytes($0) }
        let expected = pieces.flatMap { $0 }
        let written = SigV4Buffer.withTemporary(capacity: expected.count) { buffer -> [UInt8] in
            for piece in pieces { piece.withUnsafeBytes { buffer.append($0) } }
            return Array(buffer[0..<buffer.count])
        }
        XCTAssertEqual(written, expected)
    }
}
