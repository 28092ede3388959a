import Foundation
import MicrocosmAWS
import XCTest

/// SigV4Signer behaviour beyond the suites: headers it sets and leaves, canonicalization rules, the key cache,
/// concurrency and secrets.
final class SigV4SignerTests: XCTestCase {
    private let signer = SigV4Signer(service: "service", region: "us-east-1")
    private let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    private let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)   // 2015-08-30T12:36:00Z

    private func request(_ url: String = "https://example.amazonaws.com/", method: String = "GET",
                         headers: AWSHTTPHeaders = [:], body: String = "") throws -> AWSHTTPRequest {
        try AWSHTTPRequest(method: method, url: url, headers: headers, body: Array(body.utf8))
    }

    // MARK: - Headers set

    func testSign_getVanilla_setsDateAndAuthorizationOnly() throws {
        let original = try request()
        let signed = signer.sign(original, credentials: credentials, date: suiteDate)
        XCTAssertEqual(signed.headers["X-Amz-Date"], "20150830T123600Z")
        XCTAssertEqual(signed.headers["Authorization"],
                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                       + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        XCTAssertEqual(signed.headers.count, 2)
        XCTAssertFalse(signed.headers.contains("X-Amz-Security-Token"))
        XCTAssertEqual(signed.url, original.url)
    }

    func testSign_withSessionToken_signsTheTokenHeader() throws {
        let temporary = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: credentials.secretAccessKey,
                                       sessionToken: "session/token+==")
        let stale = try request(headers: ["X-Amz-Security-Token": "an-older-token"])
        let signed = signer.sign(stale, credentials: temporary, date: suiteDate)
        XCTAssertEqual(signed.headers.values(for: "X-Amz-Security-Token"), ["session/token+=="])
        XCTAssertTrue(signed.headers["Authorization"]?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,") == true,
                      signed.headers["Authorization"] ?? "no Authorization")
        XCTAssertTrue(signer.canonicalRequest(for: stale, credentials: temporary, date: suiteDate)
            .contains("\nx-amz-security-token:session/token+==\n"))
        XCTAssertNotEqual(signed.headers["Authorization"],
                          signer.sign(stale, credentials: credentials, date: suiteDate).headers["Authorization"])
    }

    func testSign_withEmptySessionToken_addsNoTokenHeader() throws {
        let noToken = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: credentials.secretAccessKey, sessionToken: "")
        let signed = signer.sign(try request(), credentials: noToken, date: suiteDate)
        XCTAssertFalse(signed.headers.contains("X-Amz-Security-Token"))
        XCTAssertEqual(signed.headers["Authorization"], signer.sign(try request(), credentials: credentials, date: suiteDate)
            .headers["Authorization"])
    }

    func testSign_anAlreadySignedRequest_replacesDateAndAuthorization() throws {
        let original = try request(method: "POST", headers: ["Content-Type": "application/x-amz-json-1.0"], body: "{}")
        let firstAttempt = signer.sign(original, credentials: credentials, date: suiteDate)
        let later = suiteDate.addingTimeInterval(90_061)
        let retried = signer.sign(firstAttempt, credentials: credentials, date: later)
        XCTAssertEqual(retried.headers.values(for: "X-Amz-Date"), ["20150831T133701Z"])
        XCTAssertEqual(retried.headers.values(for: "Authorization").count, 1)
        XCTAssertEqual(retried.headers["Authorization"],
                       signer.sign(original, credentials: credentials, date: later).headers["Authorization"])
        XCTAssertNotEqual(retried.headers["Authorization"], firstAttempt.headers["Authorization"])
    }

    func testSign_onANonDefaultPort_signsHostAndPortWithoutAddingAHostHeader() throws {
        let local = try request("http://127.0.0.1:5000/", method: "POST")
        let signed = signer.sign(local, credentials: credentials, date: suiteDate)
        XCTAssertFalse(signed.headers.contains("Host"))
        XCTAssertTrue(signer.canonicalRequest(for: local, credentials: credentials, date: suiteDate)
            .contains("\nhost:127.0.0.1:5000\n"))
        XCTAssertTrue(signer.canonicalRequest(for: try request("https://[::1]:8443/"), credentials: credentials, date: suiteDate)
            .contains("\nhost:[::1]:8443\n"))
    }

    func testSign_withAHostHeader_signsThatValue() throws {
        let proxied = try request("http://127.0.0.1:5000/", headers: ["Host": "sqs.us-east-1.amazonaws.com"])
        let canonical = signer.canonicalRequest(for: proxied, credentials: credentials, date: suiteDate)
        XCTAssertTrue(canonical.contains("\nhost:sqs.us-east-1.amazonaws.com\n"), canonical)
        XCTAssertFalse(canonical.contains("127.0.0.1"), canonical)
    }

    // MARK: - Canonicalization

    func testCanonicalRequest_skipsTheHeadersBotocoreSkips() throws {
        var headers: AWSHTTPHeaders = ["Content-Type": "text/plain"]
        for name in ["Connection", "Expect", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
                     "Transfer-Encoding", "Upgrade", "User-Agent", "X-Amzn-Trace-Id", "Authorization"] {
            headers.add(name: name, value: "skipped")
        }
        let skipping = try request(method: "POST", headers: headers)
        XCTAssertEqual(signer.canonicalRequest(for: skipping, credentials: credentials, date: suiteDate),
                       "POST\n/\n\ncontent-type:text/plain\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                       + "content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let signed = signer.sign(skipping, credentials: credentials, date: suiteDate)
        XCTAssertEqual(signed.headers["User-Agent"], "skipped", "skipped headers stay on the request")
        XCTAssertNotEqual(signed.headers["Authorization"], "skipped")
    }

    func testCanonicalRequest_trimsValuesCollapsesWhitespaceAndJoinsRepeatedHeaders() throws {
        var headers: AWSHTTPHeaders = ["My-Header": "  a \t b\n  c  ", "X-Other": "\u{a0}x\u{2003}y\u{3000}", "Empty": "  "]
        headers.add(name: "my-header", value: "d")
        let canonical = signer.canonicalRequest(for: try request(headers: headers), credentials: credentials, date: suiteDate)
        XCTAssertEqual(canonical,
                       "GET\n/\n\nempty:\nhost:example.amazonaws.com\nmy-header:a b c,d\nx-amz-date:20150830T123600Z\nx-other:x y\n\n"
                       + "empty;host;my-header;x-amz-date;x-other\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testCanonicalRequest_nonASCIIHeaderNames_areLowerCasedAndSortedByCodePoint() throws {
        // Python: sorted({"\u{e4}-header", "host", "x-amz-date", "zz"}) puts "\u{e4}-header" last.
        let odd = try request(headers: ["\u{c4}-Header": "v", "ZZ": "z"])
        let canonical = signer.canonicalRequest(for: odd, credentials: credentials, date: suiteDate)
        XCTAssertEqual(canonical,
                       "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nzz:z\n\u{e4}-header:v\n\n"
                       + "host;x-amz-date;zz;\u{e4}-header\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testCanonicalRequest_queryIsDecodedEncodedAgainAndSortedByKeyThenValue() throws {
        // Expected value computed with botocore's _canonical_query_string_params over parse_qsl(keep_blank_values).
        let query = "b=2&a=%7e&a=1&c&d=a+b&e=%2f&=v&f=%zz&g=%E2%98%83&h=x=y"
        let canonical = signer.canonicalRequest(for: try request("https://example.amazonaws.com/?\(query)"),
                                                credentials: credentials, date: suiteDate)
        XCTAssertEqual(canonical.split(separator: "\n", omittingEmptySubsequences: false)[2],
                       "=v&a=1&a=~&b=2&c=&d=a%20b&e=%2F&f=%25zz&g=%E2%98%83&h=x%3Dy")
    }

    func testCanonicalRequest_pathIsNormalizedAndEncodedAgainAsForServicesOtherThanS3() throws {
        // Expected values computed with botocore's SigV4Auth._normalize_url_path.
        let cases: [(String, String)] = [
            ("/a%20b/./c/../d//e", "/a%2520b/d/e"), ("/example/..", "/"), ("/../", "/"), ("//", "/"), ("/a/b/", "/a/b/"),
            ("/x y/\u{fc}/$&+,;=:@", "/x%20y/%C3%BC/%24%26%2B%2C%3B%3D%3A%40"), ("/~user/-_.", "/~user/-_."),
            ("/123456789012/things-worker", "/123456789012/things-worker"),
        ]
        for (path, expected) in cases {
            let raw = AWSHTTPRequest(method: "GET", scheme: "https", host: "example.amazonaws.com", path: path)
            let canonical = signer.canonicalRequest(for: raw, credentials: credentials, date: suiteDate)
            XCTAssertEqual(canonical.split(separator: "\n", omittingEmptySubsequences: false)[1], Substring(expected), path)
        }
    }

    func testCanonicalRequest_payloadHashIsTheBodysSHA256OrTheContentSHA256Header() throws {
        let body = "Action=ListTopics&Version=2010-03-31"
        let post = try request(method: "post", body: body)
        let canonical = signer.canonicalRequest(for: post, credentials: credentials, date: suiteDate)
        XCTAssertTrue(canonical.hasPrefix("POST\n"), "the method is upper-cased")
        XCTAssertTrue(canonical.hasSuffix("\n" + SHA256.hash(body.utf8).hex))
        let unsigned = try request(method: "POST", headers: ["X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"], body: body)
        XCTAssertTrue(signer.canonicalRequest(for: unsigned, credentials: credentials, date: suiteDate)
            .hasSuffix("x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))
    }

    func testSign_formatsUTCAndDropsFractionalSeconds() throws {
        let cases: [(TimeInterval, String)] = [
            (1_440_938_160.999, "20150830T123600Z"), (1_835_481_599, "20280229T235959Z"), (951_868_800, "20000301T000000Z"),
            (946_684_799, "19991231T235959Z"), (0, "19700101T000000Z"), (4_107_542_400, "21000301T000000Z"),
        ]
        for (seconds, expected) in cases {
            let signed = signer.sign(try request(), credentials: credentials, date: Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(signed.headers["X-Amz-Date"], expected, "\(seconds)")
            XCTAssertTrue(signed.headers["Authorization"]?.contains("Credential=AKIDEXAMPLE/\(expected.prefix(8))/") == true)
        }
    }

    func testSign_sameSignerAcrossSecondsAndBack_datesEachRequestWithItsOwnSecond() throws {
        // The signer keeps the last second's timestamp: within the second it is reused, across seconds it is not.
        let cases: [(TimeInterval, String)] = [
            (1_440_938_160.2, "20150830T123600Z"), (1_440_938_160.9, "20150830T123600Z"), (1_440_938_161, "20150830T123601Z"),
            (1_440_938_160.5, "20150830T123600Z"), (1_440_995_200, "20150831T042640Z"), (1_440_938_160, "20150830T123600Z"),
        ]
        let copy = signer
        for (index, (seconds, expected)) in cases.enumerated() {
            let signing = index.isMultiple(of: 2) ? signer : copy
            let signed = signing.sign(try request(), credentials: credentials, date: Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(signed.headers["X-Amz-Date"], expected, "\(seconds)")
            XCTAssertEqual(signed.headers["Authorization"],
                           SigV4Signer(service: "service", region: "us-east-1")
                               .sign(try request(), credentials: credentials, date: Date(timeIntervalSince1970: seconds))
                               .headers["Authorization"], "\(seconds): the same signature as a fresh signer's")
        }
    }

    // MARK: - Signing-key cache

    func testSigningKeyCache_sameSecretAndDay_derivesOnceForEveryCopyOfTheSigner() throws {
        let signer = SigV4Signer(service: "sqs", region: "eu-west-2")
        let copy = signer
        XCTAssertEqual(signer.signingKeyCache.count, 0)
        _ = signer.sign(try request(), credentials: credentials, date: suiteDate)
        _ = copy.sign(try request(), credentials: credentials, date: suiteDate.addingTimeInterval(3600))
        _ = signer.sign(try request(method: "POST"), credentials: credentials, date: suiteDate.addingTimeInterval(40_000))
        XCTAssertEqual(signer.signingKeyCache.count, 1, "one key for one secret on one day, shared by copies")
        _ = copy.sign(try request(), credentials: credentials, date: suiteDate.addingTimeInterval(86_400))
        XCTAssertEqual(signer.signingKeyCache.count, 2, "a new day needs a new key")
    }

    func testSigningKeyCache_anotherSecretOnTheSameDay_signsWithThatSecret() throws {
        let rotated = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "a-rotated-secret")
        let shared = SigV4Signer(service: "service", region: "us-east-1")
        let first = shared.sign(try request(), credentials: credentials, date: suiteDate)
        let second = shared.sign(try request(), credentials: rotated, date: suiteDate)
        let fresh = SigV4Signer(service: "service", region: "us-east-1").sign(try request(), credentials: rotated, date: suiteDate)
        XCTAssertEqual(second.headers["Authorization"], fresh.headers["Authorization"])
        XCTAssertNotEqual(first.headers["Authorization"], second.headers["Authorization"])
    }

    func testSigningKeyCache_manySecrets_keepsAFewAndStillSignsCorrectly() throws {
        let shared = SigV4Signer(service: "sns", region: "us-east-1")
        let secrets = (0..<10).map { "secret-\($0)" }
        for secret in secrets + secrets.reversed() {
            let keys = AWSCredentials(accessKeyId: "AKID", secretAccessKey: secret)
            let expected = SigV4Signer(service: "sns", region: "us-east-1").sign(try request(), credentials: keys, date: suiteDate)
            XCTAssertEqual(shared.sign(try request(), credentials: keys, date: suiteDate).headers["Authorization"],
                           expected.headers["Authorization"], secret)
        }
        XCTAssertEqual(shared.signingKeyCache.count, 4, "the cache stays small")
    }

    func testSign_fromManyTasksAtOnce_givesTheSameHeadersAsOneAtATime() async throws {
        let shared = SigV4Signer(service: "sqs", region: "us-east-1")
        let inputs = try (0..<64).map { index in
            (try request(method: "POST", body: "{\"n\":\(index)}"),
             AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret-\(index % 3)"),
             suiteDate.addingTimeInterval(Double(index % 5) * 86_400))
        }
        let expected = inputs.map { input in
            SigV4Signer(service: "sqs", region: "us-east-1").sign(input.0, credentials: input.1, date: input.2).headers
        }
        let results = await withTaskGroup(of: (Int, AWSHTTPHeaders).self) { group in
            for _ in 0..<4 {
                for (index, input) in inputs.enumerated() {
                    group.addTask { (index, shared.sign(input.0, credentials: input.1, date: input.2).headers) }
                }
            }
            var results: [(Int, AWSHTTPHeaders)] = []
            for await result in group { results.append(result) }
            return results
        }
        XCTAssertEqual(results.count, 256)
        for (index, headers) in results { XCTAssertEqual(headers, expected[index], "request \(index)") }
    }

    // MARK: - Secrets

    func testSign_withASentinelSecret_noHeaderOrDescriptionShowsIt() throws {
        let secret = "SENTINEL-SECRET-b1946ac92492d2347c6235b4d2611184"
        let token = "SENTINEL-TOKEN-5d41402abc4b2a76b9719d911017c592"
        let sentinel = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token)
        let signer = SigV4Signer(service: "sqs", region: "us-east-1")
        let original = try request("https://sqs.us-east-1.amazonaws.com/", method: "POST",
                                   headers: ["X-Amz-Target": "AmazonSQS.SendMessage"], body: "{}")
        let signed = signer.sign(original, credentials: sentinel, date: suiteDate)

        for field in signed.headers {
            XCTAssertFalse(field.value.contains("SENTINEL-SECRET"), "\(field.name) shows the secret")
        }
        XCTAssertEqual(signed.headers["X-Amz-Security-Token"], token, "the token header carries the token")
        XCTAssertEqual(signed.body, original.body)
        func dumped(_ value: Any) -> String {
            var text = ""
            dump(value, to: &text)
            return text
        }
        let cache = signer.signingKeyCache
        XCTAssertEqual(cache.count, 1)
        var texts: [String: String] = [
            "signer": "\(signer)", "signer debug": String(reflecting: signer), "signer dump": dumped(signer),
            "cache": "\(cache)", "cache debug": String(reflecting: cache), "cache dump": dumped(cache),
            "request": "\(signed)", "request debug": String(reflecting: signed), "headers": "\(signed.headers)",
            "canonical request": signer.canonicalRequest(for: original, credentials: sentinel, date: suiteDate),
            "string to sign": signer.stringToSign(for: original, credentials: sentinel, date: suiteDate),
        ]
        // dump() walks AWSHTTPHeaders' stored fields, so it shows the X-Amz-Security-Token value (AWSHTTPHeaders has no
        // custom mirror); the secret must still be absent from it.
        texts["request dump"] = dumped(signed).replacingOccurrences(of: token, with: "<token>")
        for (what, text) in texts {
            XCTAssertFalse(text.contains("SENTINEL-SECRET"), "\(what) shows the secret: \(text)")
            if !what.hasPrefix("canonical") {
                XCTAssertFalse(text.contains("SENTINEL-TOKEN"), "\(what) shows the session token: \(text)")
            }
        }
    }

    func testSigner_describesServiceAndRegion() {
        XCTAssertEqual("\(SigV4Signer(service: "sns", region: "eu-west-1"))", "SigV4Signer(service: sns, region: eu-west-1)")
    }
}
