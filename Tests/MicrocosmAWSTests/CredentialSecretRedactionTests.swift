import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import Synchronization
import XCTest

/// Every secret the credential code handles, as a sentinel, must stay out of every description,
/// error and log line, whether the provider succeeds or fails.
final class CredentialSecretRedactionTests: XCTestCase {
    private var directory: CredentialTestDirectory!
    private var texts: [String] = []

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }

    override func tearDown() {
        for text in texts { Sentinel.assertAbsent(text) }
        texts = []
        directory = nil
    }

    /// Records what a caller could print: the credentials' descriptions, or the error's.
    private func record(_ provider: any CredentialProvider) async {
        do {
            let credentials = try await provider.credentials()
            var dumped = ""
            dump(credentials, to: &dumped)
            texts += ["\(credentials)", String(reflecting: credentials), dumped]
        } catch {
            texts += ["\(error)", String(reflecting: error)]
        }
    }

    private var sentinelCredentialsJSON: String {
        #"{"Code": "Success", "AccessKeyId": "ASIA", "SecretAccessKey": "\#(Sentinel.secretKey)", "Token": "\#(Sentinel.sessionToken)", "#
            + #""Expiration": "2030-01-01T00:00:00Z"}"#
    }

    func testEnvironmentAndProfileSecrets_stayOutOfDescriptionsAndErrors() async throws {
        let keys = ["AWS_SECRET_ACCESS_KEY": Sentinel.secretKey, "AWS_SESSION_TOKEN": Sentinel.sessionToken]
        await record(EnvironmentCredentialProvider(environment: keys.merging(["AWS_ACCESS_KEY_ID": "AKIA"]) { $1 }))
        await record(EnvironmentCredentialProvider(environment: keys))
        await record(EnvironmentCredentialProvider(environment: keys.merging(["AWS_ACCESS_KEY_ID": "AKIA",
                                                                              "AWS_CREDENTIAL_EXPIRATION": "soon"]) { $1 }))
        try directory.write("credentials", """
            [default]
            aws_access_key_id = AKIA
            aws_secret_access_key = \(Sentinel.secretKey)
            aws_session_token = \(Sentinel.sessionToken)
            [half]
            aws_secret_access_key = \(Sentinel.secretKey)
            """)
        await record(ProfileCredentialProvider(environment: directory.environment()))
        await record(ProfileCredentialProvider(profileName: "half", environment: directory.environment()))
        try directory.write("credentials", "[default]\naws_secret_access_key \(Sentinel.secretKey)\n")
        await record(ProfileCredentialProvider(environment: directory.environment()))
        XCTAssertThrowsError(try AWSServiceSettings.resolve(service: "sqs", regionName: "us-east-1", environment: directory.environment(),
                                                            transport: StubTransport { _, _ in .text("") })) { texts.append("\($0)") }
        XCTAssertEqual(texts.count, 15)
    }

    func testWebIdentityToken_staysOutOfRequestsAndErrors() async throws {
        let tokenFile = try directory.write("token", Sentinel.webIdentityToken)
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"])
        let replies: [AWSHTTPResponse] = [
            .text(WebIdentityCredentialProviderTests.successReply(secret: Sentinel.secretKey, token: Sentinel.sessionToken)),
            .text("<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>\(Sentinel.webIdentityToken)</Message></Error>"
                  + "</ErrorResponse>", status: 400),
            .text("<html>\(Sentinel.webIdentityToken)</html>", status: 502),
            .text("<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>\(Sentinel.secretKey)"
                  + "</SecretAccessKey><Expiration>\(Sentinel.sessionToken)</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"),
        ]
        for reply in replies {
            let transport = StubTransport { _, _ in reply }
            await record(WebIdentityCredentialProvider(environment: environment, transport: transport))
            texts += transport.requests.map { "\($0)" }
        }
        XCTAssertEqual(texts.count, 13)
    }

    func testContainerAuthorizationToken_staysOutOfRequestsAndErrors() async throws {
        let tokenFile = try directory.write("token", Sentinel.containerToken)
        let replies: [AWSHTTPResponse] = [
            .json(sentinelCredentialsJSON),
            .json(#"{"code": "Denied", "message": "\#(Sentinel.containerToken)"}"#, status: 403),
            .json("not json \(Sentinel.secretKey)"),
            .json(#"{"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "\#(Sentinel.sessionToken)"}"#),
        ]
        for variable in ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            let environment = directory.environment([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds",
                variable: variable.hasSuffix("FILE") ? tokenFile : Sentinel.containerToken,
            ])
            for reply in replies {
                let transport = StubTransport { _, _ in reply }
                await record(ContainerCredentialProvider(environment: environment, transport: transport))
                texts += transport.requests.map { "\($0)" }
            }
        }
        XCTAssertTrue(texts.count >= 16)
    }

    func testIMDSToken_staysOutOfRequestsAndErrors() async throws {
        let environment = directory.environment(["AWS_EC2_METADATA_DISABLED": nil])
        for credentials in [sentinelCredentialsJSON, #"{"Code": "Failed \#(Sentinel.imdsToken)"}"#] {
            let transport = IMDSCredentialProviderTests.metadataService(token: Sentinel.imdsToken, credentials: credentials)
            await record(InstanceMetadataCredentialProvider(environment: environment, transport: transport))
            texts += transport.requests.map { "\($0)" }
        }
        XCTAssertEqual(texts.count, 11)
    }

    func testCachedRefreshFailures_logNoSecrets() async throws {
        let handler = InMemoryLogHandler()
        let clock = Date(timeIntervalSince1970: 2_000_000_000)
        let now = Synchronized(clock)
        let expiring = AWSCredentials(accessKeyId: "ASIA", secretAccessKey: Sentinel.secretKey, sessionToken: Sentinel.sessionToken,
                                      expiration: clock.addingTimeInterval(3600))
        let flaky = FlakyProvider(first: expiring)
        let provider = CachingCredentialProvider(flaky, logger: Logger(label: "t", level: .trace, handler: handler), now: { now.value })
        _ = try await provider.credentials()
        now.value = clock.addingTimeInterval(3500)
        await record(provider)
        XCTAssertEqual(handler.records.count, 1)
        texts += handler.records.map { "\($0.message) \($0.metadata)" }
    }
}

/// A value several tasks read and a test sets.
private final class Synchronized<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>
    init(_ value: Value) { stored = Mutex(value) }
    /// Adds one and returns the new count.
    func increment() -> Int where Value == Int { stored.withLock { $0 += 1; return $0 } }

    var value: Value {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}

/// Returns `first` once, then fails with an error (that carries no secret).
private final class FlakyProvider: CredentialProvider {
    let name = "flaky"
    private let calls = Synchronized(0)
    private let first: AWSCredentials
    init(first: AWSCredentials) { self.first = first }
    func credentials() async throws -> AWSCredentials {
        let call = calls.increment()
        if call == 1 { return first }
        throw CredentialError(provider: name, reason: "the source is unreachable")
    }
}
