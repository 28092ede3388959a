import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import XCTest

/// Secrets (the secret access key and the session token) never reach logs, errors or request descriptions.
final class AWSClientSecretsTests: XCTestCase {
    private static let secret = "SENTINEL-SECRET-wJalrXUtnFEMIK7MDENGbPxRfiCY"
    private static let token = "SENTINEL-TOKEN-FwoGZXIvYXdzEBYaDFzL"
    private let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken: token)

    /// A server error that quotes the canonical request, as some services do for SignatureDoesNotMatch.
    private static let echoingBody = """
        <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated \
        does not match the signature you provided. The Canonical String for this request should have been 'POST / \
        x-amz-security-token:\(token)' and the key \(secret)</Message></Error><RequestId>r-1</RequestId></ErrorResponse>
        """

    func testSecrets_neverAppearInLogsErrorsOrRequestDescriptions() async throws {
        let responses: [Result<AWSHTTPResponse, any Error>] = [
            .success(.ok),                                                                            // call 1: success
            .success(.sqsError(503, "ServiceUnavailable")), .success(.ok),                            // call 2: retry then success
            .success(AWSHTTPResponse(status: 403, body: Array(AWSClientSecretsTests.echoingBody.utf8))), // call 3: echoed secrets
            .success(AWSHTTPResponse(status: 500, body: Array("oops \(AWSClientSecretsTests.token)".utf8))), // call 4: snippet with the token,
            .success(AWSHTTPResponse(status: 500, body: Array("oops \(AWSClientSecretsTests.token)".utf8))), //   retried until
            .success(AWSHTTPResponse(status: 500, body: Array("oops \(AWSClientSecretsTests.token)".utf8))), //   attempts run out
            .failure(HTTPTransportError(.connectFailed, url: "https://sqs.us-east-1.amazonaws.com/", detail: "refused")), // call 5
            .failure(HTTPTransportError(.tls, url: "https://sqs.us-east-1.amazonaws.com/", detail: "bad certificate")),
            .success(.sqsError(403, "RequestTimeTooSkewed", headers: ["Date": "Sun, 29 Nov 2026 15:00:00 GMT"])), // call 6: skew
            .success(.ok),
        ]
        let transport = StubTransport { _, index in try responses[index].get() }
        let logs = InMemoryLogHandler()
        let client = try makeClient(transport, credentials: credentials, logs: logs, level: .trace)
        let request = client.request(headers: ["X-Amz-Target": "AmazonSQS.SendMessage"], body: Array("{}".utf8))

        var errors: [any Error] = []
        for _ in 0..<6 {
            do { _ = try await client.send(request, action: "SendMessage") } catch { errors.append(error) }
        }

        XCTAssertEqual(transport.requests.count, responses.count)
        XCTAssertEqual(errors.count, 3)
        // The secrets really were in play: the token is sent, and the server echoed both.
        XCTAssertEqual(transport.requests.first?.headers["X-Amz-Security-Token"], AWSClientSecretsTests.token)
        XCTAssertTrue(AWSClientSecretsTests.echoingBody.contains(AWSClientSecretsTests.secret))
        XCTAssertFalse(logs.records.isEmpty)
        XCTAssertTrue(logs.records.contains { $0.level == .trace })

        var texts: [String] = []
        for record in logs.records {
            texts.append(record.message)
            texts.append(contentsOf: record.metadata.keys)
            texts.append(contentsOf: record.metadata.values)
        }
        for error in errors {
            texts.append("\(error)")
            texts.append(String(reflecting: error))
            var dumped = ""
            dump(error, to: &dumped)
            texts.append(dumped)
        }
        for sent in transport.requests {
            texts.append("\(sent)")
            texts.append(String(reflecting: sent))
            texts.append("\(sent.headers)")
        }
        texts.append("\(credentials)")
        for text in texts where text.contains("SENTINEL") {
            // Say where it leaked without printing the secret itself.
            let masked = text.replacingOccurrences(of: AWSClientSecretsTests.secret, with: "<LEAKED SECRET>")
                .replacingOccurrences(of: AWSClientSecretsTests.token, with: "<LEAKED TOKEN>")
                .replacingOccurrences(of: "SENTINEL", with: "<LEAKED PART>")
            XCTFail("a secret leaked into: " + masked)
        }
        let echoed = try XCTUnwrap(errors.first as? AWSError)
        XCTAssertEqual(echoed.code, "SignatureDoesNotMatch")
        XCTAssertTrue(echoed.message.contains("x-amz-security-token:<redacted>' and the key <redacted>"), echoed.message)
    }

    /// A server (a proxy, a test double) that echoes the request's headers in its error replies:
    /// SQS JSON, query XML, and a plain body quoted as a snippet.
    private static func echoing(_ request: AWSHTTPRequest, index: Int) -> AWSHTTPResponse {
        let echoed = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
            .replacingOccurrences(of: "\"", with: "'")
        switch index % 3 {
        case 0:
            return AWSHTTPResponse(status: 400, headers: ["x-amzn-RequestId": "r-\(index)"],
                                body: Array(#"{"__type":"com.amazonaws.sqs#InvalidClientTokenId","message":"bad request: \#(echoed)"}"#.utf8))
        case 1:
            return AWSHTTPResponse(status: 403, body: Array(("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
                + "<Message>\(echoed)</Message></Error><RequestId>\(echoed)</RequestId></ErrorResponse>").utf8))
        default:
            return AWSHTTPResponse(status: 502, body: Array("<html>proxy error for \(echoed)</html>".utf8))
        }
    }

    func testServerEchoingTheRequestHeaders_leaksNoSignatureKeyIdTokenOrSecret() async throws {
        let keyId = "AKIDSENTINELKEYID042"
        let echoed = AWSCredentials(accessKeyId: keyId, secretAccessKey: AWSClientSecretsTests.secret,
                                    sessionToken: AWSClientSecretsTests.token)
        let transport = StubTransport { request, index in AWSClientSecretsTests.echoing(request, index: index) }
        let logs = InMemoryLogHandler()
        let client = try makeClient(transport, policy: RetryPolicy(maxAttempts: 1), credentials: echoed, logs: logs, level: .trace)
        let request = client.request(headers: ["X-Amz-Target": "AmazonSQS.SendMessage"], body: Array("{}".utf8))
        var errors: [any Error] = []
        for _ in 0..<3 {
            do { _ = try await client.send(request, action: "SendMessage") } catch { errors.append(error) }
        }

        XCTAssertEqual(errors.count, 3)
        let signatures = transport.requests.compactMap { $0.headers["Authorization"]?.components(separatedBy: "Signature=").last }
        XCTAssertEqual(signatures.count, 3)
        XCTAssertTrue(signatures.allSatisfy { $0.count == 64 }, "\(signatures.count) signatures of 64 hex digits")
        var texts: [String] = []
        for record in logs.records {
            texts += [record.message] + Array(record.metadata.keys) + Array(record.metadata.values)
        }
        for error in errors {
            var dumped = ""
            dump(error, to: &dumped)
            texts += ["\(error)", String(reflecting: error), dumped]
        }
        XCTAssertTrue(texts.contains { $0.contains("Credential=<redacted>") }, "the echo is there, scrubbed")
        XCTAssertTrue(texts.contains { $0.contains("Signature=<redacted>") })
        let secrets = [("the secret key", AWSClientSecretsTests.secret), ("the session token", AWSClientSecretsTests.token),
                       ("the access key id", keyId)] + signatures.map { ("a signature", $0) }
        for text in texts {
            for (what, secret) in secrets where text.contains(secret) {
                XCTFail("\(what) leaked into: " + text.replacingOccurrences(of: secret, with: "<LEAKED>"))
            }
        }
    }

    func testRedaction_removesSigV4PartsWhoeverTheyBelongTo() {
        let text = "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/sqs/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7; "
            + "url ?X-Amz-Credential=ASIAXXXXXXXXXXXXXXXX%2F2026&X-Amz-Security-Token=FwoG%2Fz&X-Amz-Signature=abc123 "
            + "x-amz-security-token: FwoGZXIvYXdz key AKIAIOSFODNN7EXAMPLE"
        let error = AWSError(response: AWSHTTPResponse(status: 400, body: Array(#"{"__type":"X","message":"\#(text)"}"#.utf8)))
        XCTAssertEqual(String(describing: error), "X (HTTP 400): Authorization: AWS4-HMAC-SHA256 Credential=<redacted>, "
                           + "SignedHeaders=host;x-amz-date, Signature=<redacted>; url ?X-Amz-Credential=<redacted>&"
                           + "X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted> x-amz-security-token: <redacted> key <redacted>")
    }
}
