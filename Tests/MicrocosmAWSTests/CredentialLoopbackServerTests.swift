import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

/// The providers that speak HTTP, over the real transport against loopback stub servers.
final class CredentialLoopbackServerTests: XCTestCase {
    private var directory: CredentialTestDirectory!
    private var servers: [StubHTTPServer] = []
    private let transport = CurlTransport(connectTimeout: .seconds(5))

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
        directory = nil
    }

    private func server(_ handler: @escaping @Sendable (StubHTTPServer.Request) -> StubHTTPServer.Response) throws -> StubHTTPServer {
        let server = try StubHTTPServer(handler: handler)
        servers.append(server)
        return server
    }

    // MARK: STS

    func testWebIdentity_assumesTheRoleWithSTS() async throws {
        let sts = try server { _ in .init(text: WebIdentityCredentialProviderTests.successReply()) }
        let tokenFile = try directory.write("token", Sentinel.webIdentityToken)
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                                 "AWS_ROLE_SESSION_NAME": "s"])
        let credentials = try await WebIdentityCredentialProvider(stsEndpoint: sts.url, environment: environment, transport: transport)
            .credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIASTS")
        XCTAssertEqual(credentials.sessionToken, "sts-token")
        let request = try XCTUnwrap(sts.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/")
        XCTAssertEqual(request.header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertNil(request.header("Authorization"))
        XCTAssertEqual(request.bodyText, "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s"
                           + "&Version=2011-06-15&WebIdentityToken=\(Sentinel.webIdentityToken)")
    }

    func testWebIdentity_reportsSTSErrorsWithoutTheToken() async throws {
        let sts = try server { request in
            .init(status: 403, text: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                      + "<Message>Not authorized for \(request.bodyText)</Message></Error><RequestId>r-9</RequestId></ErrorResponse>")
        }
        let tokenFile = try directory.write("token", Sentinel.webIdentityToken)
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"])
        let error = await credentialError {
            try await WebIdentityCredentialProvider(stsEndpoint: sts.url, environment: environment, transport: self.transport).credentials()
        }
        XCTAssertTrue(error?.reason.contains("AccessDenied (HTTP 403, request r-9)") == true, "\(String(describing: error))")
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
    }

    func testWebIdentity_whenSTSHangs_givesUpAfterItsTimeout() async throws {
        let sts = try server { _ in .init(text: WebIdentityCredentialProviderTests.successReply(), delay: .seconds(10)) }
        let tokenFile = try directory.write("token", Sentinel.webIdentityToken)
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"])
        let error = await credentialError {
            try await WebIdentityCredentialProvider(stsEndpoint: sts.url, environment: environment, timeout: .milliseconds(400),
                                                    transport: self.transport).credentials()
        }
        XCTAssertTrue(error?.reason.hasPrefix("STS AssumeRoleWithWebIdentity for arn:aws:iam::1:role/r got no reply (timeout 0.4 s): "
                                                  + "timed out") == true, "\(String(describing: error))")
        XCTAssertEqual(sts.requests.count, 1)
    }

    func testResolvedSettings_boundTheSTSCallByTheirSTSTimeout() async throws {
        let sts = try server { _ in .init(text: WebIdentityCredentialProviderTests.successReply(), delay: .seconds(10)) }
        let tokenFile = try directory.write("token", Sentinel.webIdentityToken)
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                                 "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_STS": sts.url])
        let settings = try AWSServiceSettings.resolve(service: "sqs", stsTimeout: .milliseconds(300), environment: environment,
                                                      transport: transport)
        let error = await credentialError { try await settings.credentialProvider.credentials() }
        XCTAssertEqual(error?.provider, "web identity")
        XCTAssertTrue(error?.reason.contains("got no reply (timeout 0.3 s)") == true, "\(String(describing: error))")
    }

    // MARK: Container

    func testContainer_getsCredentialsFromAnAllowedLoopbackFullURIWithTheTokenFile() async throws {
        let container = try server { request in
            request.header("Authorization") == Sentinel.containerToken
                ? .init(headers: [("Content-Type", "application/json")], text: ContainerCredentialProviderTests.reply)
                : .init(status: 401, text: #"{"code": "Unauthorized", "message": "no token"}"#)
        }
        let tokenFile = try directory.write("token", Sentinel.containerToken + "\n")
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/v1/credentials?x=1",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile])
        let credentials = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIACONTAINER")
        XCTAssertEqual(container.requests.map(\.target), ["/v1/credentials?x=1"])
        XCTAssertEqual(container.requests.first?.method, "GET")
        Sentinel.assertAbsent("\(credentials)")
    }

    func testContainer_reportsARefusalWithTheEndpointsMessage() async throws {
        let container = try server { _ in .init(status: 401, text: #"{"code": "Unauthorized", "message": "no token"}"#) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/creds"])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: self.transport).credentials()
        }
        XCTAssertEqual(error?.reason, "\(container.url)/creds returned HTTP 401: Unauthorized: no token")
        XCTAssertEqual(container.requests.count, 1)
    }

    func testContainer_refusesAPlainHTTPFullURIToAnotherHostWithoutConnecting() async throws {
        let container = try server { _ in .init(text: ContainerCredentialProviderTests.reply) }
        // 0.0.0.0 reaches this machine's listeners but is not a loopback address: a missing check would connect.
        let url = "http://0.0.0.0:\(container.port)/creds"
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url,
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": Sentinel.containerToken])
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, transport: self.transport).credentials()
        }
        XCTAssertTrue(error?.reason.hasPrefix("AWS_CONTAINER_CREDENTIALS_FULL_URI '\(url)' is not allowed") == true,
                      "\(String(describing: error))")
        XCTAssertEqual(container.connectionCount, 0)
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
    }

    func testContainer_whenTheEndpointHangs_triesAsOftenAsTheMetadataVariablesSay() async throws {
        let container = try server { _ in .init(text: ContainerCredentialProviderTests.reply, delay: .seconds(10)) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/creds",
                                                 "AWS_METADATA_SERVICE_TIMEOUT": "0.3", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2"])
        let timeouts = try CredentialTimeouts(environment: environment)
        let error = await credentialError {
            try await ContainerCredentialProvider(environment: environment, timeout: timeouts.container, attempts: timeouts.containerAttempts,
                                                  transport: self.transport).credentials()
        }
        XCTAssertTrue(error?.reason.hasPrefix("no reply from \(container.url)/creds (timeout 0.3 s, 2 attempts): timed out") == true,
                      "\(String(describing: error))")
        XCTAssertEqual(container.requests.count, 2)
    }

    func testContainer_whenItsCredentialsHaveExpired_theCachingChainFetchesOnceMoreThenRefusesThem() async throws {
        let expired = ContainerCredentialProviderTests.reply.replacingOccurrences(of: "2030-01-02T03:04:05Z", with: "2020-01-02T03:04:05Z")
        let container = try server { _ in .init(text: expired) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/creds", "AWS_REGION": "us-east-1"])
        let settings = try AWSServiceSettings.resolve(service: "sqs", environment: environment, transport: transport)
        let error = await credentialError { try await settings.credentialProvider.credentials() }
        XCTAssertEqual(error?.provider, "container endpoint (\(container.url)/creds)")
        XCTAssertTrue(error?.reason.hasPrefix("the credentials expired at 2020-01-02T03:04:05Z") == true, "\(String(describing: error))")
        XCTAssertEqual(container.requests.count, 2, "fetched, found expired, fetched once more")
    }

    // MARK: IMDS

    /// An IMDS stand-in on loopback; `tokenStatus` answers the token PUT.
    private func metadataServer(tokenStatus: Int = 200, delay: Duration = .zero) throws -> StubHTTPServer {
        try server { request in
            var response: StubHTTPServer.Response
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                response = tokenStatus == 200 ? .init(text: Sentinel.imdsToken) : .init(status: tokenStatus, text: "")
            case ("GET", _) where tokenStatus == 200 && request.header("x-aws-ec2-metadata-token") != Sentinel.imdsToken:
                response = .init(status: 401, text: "")
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                response = .init(text: "things-role")
            case ("GET", "/latest/meta-data/iam/security-credentials/things-role"):
                response = .init(text: IMDSCredentialProviderTests.credentialsReply)
            default:
                response = .init(status: 404, text: "")
            }
            response.delay = delay
            return response
        }
    }

    private func imdsEnvironment(_ server: StubHTTPServer, _ extra: [String: String?] = [:]) -> [String: String] {
        directory.environment(["AWS_EC2_METADATA_DISABLED": nil, "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url].merging(extra) { $1 })
    }

    func testIMDS_getsTheRoleCredentialsWithASessionToken() async throws {
        let imds = try metadataServer()
        let credentials = try await InstanceMetadataCredentialProvider(environment: imdsEnvironment(imds), transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS")
        let requests = imds.requests
        XCTAssertEqual(requests.map { "\($0.method) \($0.target)" }, [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/things-role",
        ])
        XCTAssertEqual(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600")
        XCTAssertEqual(requests[1].header("x-aws-ec2-metadata-token"), Sentinel.imdsToken)
        XCTAssertEqual(requests[2].header("x-aws-ec2-metadata-token"), Sentinel.imdsToken)
    }

    func testIMDS_fallsBackToV1WhenTheTokenRequestIsForbidden() async throws {
        let imds = try metadataServer(tokenStatus: 403)
        let credentials = try await InstanceMetadataCredentialProvider(environment: imdsEnvironment(imds), transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS")
        XCTAssertEqual(imds.requests.count, 3)
        XCTAssertTrue(imds.requests.dropFirst().allSatisfy { $0.header("x-aws-ec2-metadata-token") == nil })
    }

    func testIMDS_doesNotFallBackWhenV1IsDisabled() async throws {
        let imds = try metadataServer(tokenStatus: 405)
        let environment = imdsEnvironment(imds, ["AWS_EC2_METADATA_V1_DISABLED": "true"])
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: environment, transport: self.transport).credentials()
        }
        XCTAssertTrue(error?.reason.contains("AWS_EC2_METADATA_V1_DISABLED") == true, "\(String(describing: error))")
        XCTAssertEqual(imds.requests.count, 1)
    }

    func testIMDS_givesUpAfterItsOneSecondTimeoutOnASlowServer() async throws {
        let imds = try metadataServer(delay: .seconds(4))
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: self.imdsEnvironment(imds), transport: self.transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertEqual(error?.reason.contains("timed out"), true, "\(String(describing: error))")
        XCTAssertEqual(imds.requests.map(\.method), ["PUT", "GET"], "a timed-out token request falls back to IMDSv1 once")
    }

    func testIMDS_triesEachRequestAsOftenAsAWS_METADATA_SERVICE_NUM_ATTEMPTSSays() async throws {
        let imds = try metadataServer(delay: .seconds(10))
        let environment = imdsEnvironment(imds, ["AWS_METADATA_SERVICE_TIMEOUT": "0.3", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2"])
        let timeouts = try CredentialTimeouts(environment: environment)
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: environment, timeout: timeouts.metadata,
                                                         attempts: timeouts.metadataAttempts, transport: self.transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true, "\(String(describing: error))")
        XCTAssertEqual(imds.requests.map(\.method), ["PUT", "PUT", "GET", "GET"], "each request tried twice; the token timed out, so IMDSv1")
    }

    func testIMDS_whenNothingListens_isNotConfigured() async throws {
        let imds = try metadataServer()
        let environment = imdsEnvironment(imds)
        imds.stop()
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: environment, transport: self.transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true, "\(String(describing: error))")
    }

    // MARK: The whole chain

    func testResolvedSettings_findContainerCredentialsThroughTheCachingChainOnce() async throws {
        let container = try server { _ in .init(text: ContainerCredentialProviderTests.reply) }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "/creds", "AWS_REGION": "us-east-1"])
        let settings = try AWSServiceSettings.resolve(service: "sqs", environment: environment, transport: transport)
        for _ in 0..<3 {
            let credentials = try await settings.credentialProvider.credentials()
            XCTAssertEqual(credentials.accessKeyId, "ASIACONTAINER")
        }
        XCTAssertEqual(container.requests.count, 1)
    }
}
