import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

final class WebIdentityCredentialProviderTests: XCTestCase {
    private var directory: CredentialTestDirectory!

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    static func successReply(accessKeyId: String = "ASIASTS", secret: String = "sts-secret", token: String = "sts-token",
                             expiration: String = "2030-01-02T03:04:05Z") -> String {
        """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::123456789012:assumed-role/things/session</Arn>
              <AssumedRoleId>AROA:session</AssumedRoleId>
            </AssumedRoleUser>
            <Credentials>
              <AccessKeyId>\(accessKeyId)</AccessKeyId>
              <SecretAccessKey>\(secret)</SecretAccessKey>
              <SessionToken>\(token)</SessionToken>
              <Expiration>\(expiration)</Expiration>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """
    }

    private func environment(_ extra: [String: String?] = [:]) throws -> [String: String] {
        let tokenFile = try directory.write("token", "the-token\n")
        return directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/things",
                                      "AWS_ROLE_SESSION_NAME": "my-session"].merging(extra) { $1 })
    }

    func testCredentials_postsAnUnsignedAssumeRoleWithWebIdentityQueryAndParsesTheReply() async throws {
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        let provider = WebIdentityCredentialProvider(region: "eu-west-1", environment: try environment(), transport: transport)
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIASTS")
        XCTAssertEqual(credentials.secretAccessKey, "sts-secret")
        XCTAssertEqual(credentials.sessionToken, "sts-token")
        XCTAssertEqual(credentials.expiration, Date(timeIntervalSince1970: 1_893_553_445))
        XCTAssertEqual(credentials.source, "web identity (arn:aws:iam::123456789012:role/things)")

        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://sts.eu-west-1.amazonaws.com/")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertNil(request.headers["Authorization"])
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self),
                       "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fthings"
                       + "&RoleSessionName=my-session&Version=2011-06-15&WebIdentityToken=the-token")
    }

    func testCredentials_endpointFollowsTheRegionTheOverrideAndChina() async throws {
        let cases: [(String?, String?, String)] = [
            ("us-east-2", nil, "https://sts.us-east-2.amazonaws.com/"),
            ("cn-north-1", nil, "https://sts.cn-north-1.amazonaws.com.cn/"),
            (nil, nil, "https://sts.amazonaws.com/"),
            ("us-east-2", "http://127.0.0.1:4566", "http://127.0.0.1:4566/"),
        ]
        for (region, override, expected) in cases {
            let transport = StubTransport { _, _ in .text(Self.successReply()) }
            _ = try await WebIdentityCredentialProvider(region: region, stsEndpoint: override, environment: try environment(),
                                                        transport: transport).credentials()
            XCTAssertEqual(transport.requests.first?.url, expected)
        }
    }

    func testCredentials_encodesEveryReservedCharacterOfTheToken() async throws {
        let tokenFile = try directory.write("reserved-token", "a+b/c=d e~f.g_h-i&j")
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        _ = try await WebIdentityCredentialProvider(environment: try environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile]),
                                                    transport: transport).credentials()
        let body = String(decoding: try XCTUnwrap(transport.requests.first).body, as: UTF8.self)
        XCTAssertTrue(body.hasSuffix("&WebIdentityToken=a%2Bb%2Fc%3Dd%20e~f.g_h-i%26j"), body)
    }

    func testCredentials_decodesXMLEntitiesInTheReply() async throws {
        let transport = StubTransport { _, _ in .text(Self.successReply(secret: "a&amp;b&lt;c&#x2F;d&#43;e")) }
        let credentials = try await WebIdentityCredentialProvider(environment: try environment(), transport: transport).credentials()
        XCTAssertEqual(credentials.secretAccessKey, "a&b<c/d+e")
    }

    func testCredentials_readsTheTokenFileOnEveryCall() async throws {
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        let environment = try environment()
        let provider = WebIdentityCredentialProvider(environment: environment, transport: transport)
        _ = try await provider.credentials()
        try directory.write("token", "rotated-token")
        _ = try await provider.credentials()
        let bodies = transport.requests.map { String(decoding: $0.body, as: UTF8.self) }
        XCTAssertTrue(bodies[0].hasSuffix("WebIdentityToken=the-token"), bodies[0])
        XCTAssertTrue(bodies[1].hasSuffix("WebIdentityToken=rotated-token"), bodies[1])
    }

    func testCredentials_withoutASessionName_usesAGeneratedOne() async throws {
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        _ = try await WebIdentityCredentialProvider(environment: try environment(["AWS_ROLE_SESSION_NAME": nil]),
                                                    transport: transport).credentials()
        let body = String(decoding: try XCTUnwrap(transport.requests.first).body, as: UTF8.self)
        XCTAssertTrue(body.contains("&RoleSessionName=microcosm-session-"), body)
    }

    func testCredentials_readsTheProfileWhenTheVariablesAreAbsent() async throws {
        let tokenFile = try directory.write("profile-token", "profile-token")
        try directory.write("config", """
            [profile eks]
            web_identity_token_file = \(tokenFile)
            role_arn = arn:aws:iam::1:role/from-profile
            role_session_name = from-profile
            """)
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        let credentials = try await WebIdentityCredentialProvider(environment: directory.environment(["AWS_PROFILE": "eks"]),
                                                                  transport: transport).credentials()
        XCTAssertEqual(credentials.source, "web identity (arn:aws:iam::1:role/from-profile)")
        let body = String(decoding: try XCTUnwrap(transport.requests.first).body, as: UTF8.self)
        XCTAssertTrue(body.contains("RoleSessionName=from-profile&"), body)
        XCTAssertTrue(body.hasSuffix("WebIdentityToken=profile-token"), body)
    }

    func testCredentials_withAnExplicitProfile_ignoresTheVariables() async throws {
        try directory.write("config", "[profile plain]\nregion = us-east-1\n")
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        let error = await credentialError {
            try await WebIdentityCredentialProvider(profileName: "plain", environment: try self.environment(), transport: transport)
                .credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertEqual(error?.reason, "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile 'plain' has no web_identity_token_file")
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testCredentials_withoutATokenFile_isNotConfigured() async {
        let transport = StubTransport { _, _ in .text(Self.successReply()) }
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: self.directory.environment(["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]),
                                                    transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testCredentials_withATokenFileButNoRole_failsNamingBothSettings() async throws {
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: try self.environment(["AWS_ROLE_ARN": nil]),
                                                    transport: StubTransport { _, _ in .text("") }).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "AWS_WEB_IDENTITY_TOKEN_FILE is set but there is no role ARN (AWS_ROLE_ARN or 'role_arn' in profile 'default')")
    }

    func testCredentials_whenTheTokenFileIsMissing_failsNamingIt() async throws {
        let path = directory.path + "/absent-token"
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: try self.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": path]),
                                                    transport: StubTransport { _, _ in .text("") }).credentials()
        }
        XCTAssertEqual(error?.reason, "cannot read the web identity token file \(path) (from AWS_WEB_IDENTITY_TOKEN_FILE)")
    }

    func testCredentials_whenSTSRefuses_failsWithCodeMessageAndRequestIdButNotTheToken() async throws {
        let tokenFile = try directory.write("sentinel-token", Sentinel.webIdentityToken)
        let transport = StubTransport { _, _ in
            .text("""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>
                  <Message>Token \(Sentinel.webIdentityToken) is expired</Message></Error>
                  <RequestId>req-42</RequestId>
                </ErrorResponse>
                """, status: 400)
        }
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: try self.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile]),
                                                    transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "assuming arn:aws:iam::123456789012:role/things failed: STS AssumeRoleWithWebIdentity: "
                           + "InvalidIdentityToken (HTTP 400, request req-42): Token <redacted> is expired")
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
        Sentinel.assertAbsent(transport.requests.map { "\($0)" }.joined())
    }

    func testCredentials_whenTheReplyHasNoCredentials_failsSayingSo() async throws {
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: try self.environment(),
                                                    transport: StubTransport { _, _ in .text("<html>proxy</html>") }).credentials()
        }
        XCTAssertTrue(error?.reason.contains("has no Credentials/AccessKeyId and SecretAccessKey") == true, "\(String(describing: error))")
    }

    func testCredentials_whenTheTransportFails_failsNamingTheRole() async throws {
        let transport = StubTransport { request, _ in
            throw HTTPTransportError(.connectFailed, url: request.url, detail: "Connection refused")
        }
        let error = await credentialError {
            try await WebIdentityCredentialProvider(environment: try self.environment(), transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "STS AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role/things got no reply (timeout 10 s): "
                           + "connection failed for https://sts.amazonaws.com/: Connection refused")
    }
}
