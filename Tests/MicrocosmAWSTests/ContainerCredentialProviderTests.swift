import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

final class ContainerCredentialProviderTests: XCTestCase {
    private var directory: CredentialTestDirectory!

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    static let reply = #"{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "container-secret", "Token": "container-token", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012"}"#

    func testCredentials_withARelativeURI_getsFromTheECSAddress() async throws {
        let transport = StubTransport { _, _ in .json(Self.reply) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"])
        let credentials = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIACONTAINER")
        XCTAssertEqual(credentials.secretAccessKey, "container-secret")
        XCTAssertEqual(credentials.sessionToken, "container-token")
        XCTAssertEqual(credentials.expiration, Date(timeIntervalSince1970: 1_893_553_445))
        XCTAssertEqual(credentials.source, "container endpoint (http://169.254.170.2/v2/credentials/abc)")
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.url, "http://169.254.170.2/v2/credentials/abc")
        XCTAssertNil(request.headers["Authorization"])
    }

    func testCredentials_relativeURIWinsOverFullURI() async throws {
        let transport = StubTransport { _, _ in .json(Self.reply) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel",
                                                 "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/full"])
        _ = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        XCTAssertEqual(transport.requests.first?.url, "http://169.254.170.2/rel")
    }

    func testCredentials_fullURIAllowsHTTPSAnywhereAndHTTPOnlyToLoopbackAndTheContainerAddresses() async throws {
        let allowed = ["https://creds.example.com/x", "http://127.0.0.1:8080/x", "http://127.1.2.3/x", "http://localhost/x",
                       "http://LOCALHOST:1/x", "http://169.254.170.2/x", "http://169.254.170.23/v1/credentials",
                       "http://[fd00:ec2::23]/x", "http://[FD00:EC2:0::23]:80/x", "http://[::1]:9/x"]
        for url in allowed {
            let transport = StubTransport { _, _ in .json(Self.reply) }
            let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url])
            _ = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
            XCTAssertEqual(transport.requests.count, 1, url)
        }
    }

    func testCredentials_fullURIOverPlainHTTPToAnotherHost_failsNamingTheURLWithoutSending() async throws {
        let refused = ["http://creds.example.com/x", "http://169.254.170.3/x", "http://10.0.0.1/x", "http://[fd00:ec2::24]/x",
                       "http://localhost.example.com/x", "http://128.0.0.1/x"]
        for url in refused {
            let transport = StubTransport { _, _ in .json(Self.reply) }
            let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url])
            let error = await credentialError {
                try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
            }
            XCTAssertEqual(error?.isNotConfigured, false, url)
            XCTAssertTrue(error?.reason.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI '\(url)' is not allowed") == true,
                          "\(String(describing: error))")
            XCTAssertTrue(transport.requests.isEmpty, url)
        }
    }

    func testCredentials_fullURIThatIsNotAURL_failsNamingTheVariable() async {
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "ftp://host/x"])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: StubTransport { _, _ in .json(Self.reply) })
                .credentials()
        }
        XCTAssertTrue(error?.reason.hasPrefix("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a usable URL") == true, "\(String(describing: error))")
    }

    func testCredentials_sendsTheTokenFromTheTokenFileInPreferenceToTheVariable() async throws {
        let tokenFile = try directory.write("token", "file-token\n")
        let transport = StubTransport { _, _ in .json(Self.reply) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token"])
        let provider = ContainerCredentialProvider(environment: environment, transport: transport)
        _ = try await provider.credentials()
        try directory.write("token", "rotated-token")
        _ = try await provider.credentials()
        XCTAssertEqual(transport.requests.map { $0.headers["Authorization"] }, ["file-token", "rotated-token"])
    }

    func testCredentials_sendsTheTokenFromTheVariable() async throws {
        let transport = StubTransport { _, _ in .json(Self.reply) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token"])
        _ = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        XCTAssertEqual(transport.requests.first?.headers["Authorization"], "variable-token")
    }

    func testCredentials_refusesATokenWithALineBreakWithoutShowingIt() async throws {
        let tokenFile = try directory.write("token", "\(Sentinel.containerToken)\r\nInjected: yes")
        let cases: [[String: String?]] = [
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN": "\(Sentinel.containerToken)\nInjected: yes"],
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN": "\(Sentinel.containerToken)\rX"],
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile],
        ]
        for extra in cases {
            let transport = StubTransport { _, _ in .json(Self.reply) }
            let environment = directory.environment(extra.merging(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel"]) { $1 })
            let error = await credentialError {
                try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
            }
            XCTAssertTrue(error?.reason.contains("contains a line break") == true, "\(String(describing: error))")
            Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
            XCTAssertTrue(transport.requests.isEmpty)
        }
    }

    func testCredentials_whenTheTokenFileIsMissing_failsNamingIt() async {
        let path = directory.path + "/absent"
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": path])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: StubTransport { _, _ in .json(Self.reply) })
                .credentials()
        }
        XCTAssertEqual(error?.reason, "cannot read the authorization token file \(path) (from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)")
    }

    func testCredentials_withoutEitherURI_isNotConfigured() async {
        let transport = StubTransport { _, _ in .json(Self.reply) }
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: self.directory.environment(), transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertEqual(error?.reason, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testCredentials_retriesServerErrorsAndConnectionFailuresThreeTimesInAll() async throws {
        let transport = StubTransport(responses: [
            .failure(HTTPTransportError(.connectFailed, url: "http://169.254.170.2/rel", detail: "refused")),
            .success(.json("{}", status: 503)),
            .success(.json(Self.reply)),
        ])
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel"])
        let credentials = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIACONTAINER")
        XCTAssertEqual(transport.requests.count, 3)

        let failing = StubTransport { _, _ in .json("{}", status: 500) }
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: failing).credentials()
        }
        XCTAssertEqual(error?.reason, "http://169.254.170.2/rel returned HTTP 500")
        XCTAssertEqual(failing.requests.count, 3)
    }

    func testCredentials_whenRefused_failsAtOnceWithTheEndpointsExplanationButNotTheToken() async throws {
        let transport = StubTransport { _, _ in
            .json(#"{"code": "AccessDenied", "message": "bad token \#(Sentinel.containerToken)"}"#, status: 403)
        }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": Sentinel.containerToken])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "http://169.254.170.2/rel returned HTTP 403: AccessDenied: bad token <redacted>")
        XCTAssertEqual(transport.requests.count, 1)
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
        Sentinel.assertAbsent(transport.requests.map { "\($0)" }.joined())
    }

    func testCredentials_whenTheReplyLacksAField_failsNamingTheFieldButNotTheBody() async throws {
        let transport = StubTransport { _, _ in .json(#"{"AccessKeyId": "A", "Token": "\#(Sentinel.sessionToken)"}"#) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel"])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        }
        XCTAssertEqual(error?.reason, "credentials reply has no SecretAccessKey")
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")

        let garbled = StubTransport { _, _ in .json("{\"SecretAccessKey\": \"\(Sentinel.secretKey)\" oops") }
        let parseError = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: garbled).credentials()
        }
        XCTAssertTrue(parseError?.reason.hasPrefix("reply is not valid JSON") == true, "\(String(describing: parseError))")
        Sentinel.assertAbsent(parseError.map { "\($0)" } ?? "")
    }
}
