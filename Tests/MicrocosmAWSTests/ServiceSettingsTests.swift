import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

final class ServiceSettingsTests: XCTestCase {
    private var directory: CredentialTestDirectory!
    private let unusedTransport = StubTransport { request, _ in
        throw HTTPTransportError(.connectFailed, url: request.url, detail: "no network in this test")
    }

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    func testResolve_usesAWSDefaultsOverHTTPSWithEnvironmentCredentials() async throws {
        let environment = directory.environment(["AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIAENV",
                                                 "AWS_SECRET_ACCESS_KEY": Sentinel.secretKey])
        let settings = try AWSServiceSettings.resolve(service: "sqs", environment: environment, transport: unusedTransport)
        XCTAssertEqual(settings.service, "sqs")
        XCTAssertEqual(settings.region, "eu-west-1")
        XCTAssertEqual(settings.regionSource, "AWS_REGION")
        XCTAssertEqual(settings.endpoint, "https://sqs.eu-west-1.amazonaws.com")
        XCTAssertEqual(settings.endpointSource, "the AWS default")
        XCTAssertEqual(settings.profileName, "default")
        XCTAssertTrue(settings.credentialProvider is CachingCredentialProvider)
        let credentials = try await settings.credentialProvider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "AKIAENV")
        Sentinel.assertAbsent("\(settings)")
    }

    func testResolve_takesConfigValuesFirstAndAllowsPlainHTTPEndpoints() throws {
        let environment = directory.environment(["AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_SNS": "http://elsewhere:1"])
        let settings = try AWSServiceSettings.resolve(service: "sns", endpointURL: "http://127.0.0.1:5000", regionName: "us-east-1",
                                                      configSection: "sns_producer", environment: environment, transport: unusedTransport)
        XCTAssertEqual(settings.region, "us-east-1")
        XCTAssertEqual(settings.regionSource, "config 'sns_producer.region_name'")
        XCTAssertEqual(settings.endpoint, "http://127.0.0.1:5000")
        XCTAssertEqual(settings.endpointSource, "config 'sns_producer.endpoint_url'")
    }

    func testResolve_readsTheRegionFromTheSelectedProfileInTheConfigFile() throws {
        try directory.write("config", "[default]\nregion = us-east-1\n[profile dev]\nregion = ap-southeast-2\n")
        let settings = try AWSServiceSettings.resolve(service: "sqs", environment: directory.environment(["AWS_PROFILE": "dev"]),
                                                      transport: unusedTransport)
        XCTAssertEqual(settings.region, "ap-southeast-2")
        XCTAssertEqual(settings.regionSource, "'region' in profile 'dev' (\(directory.path)/config)")
        XCTAssertEqual(settings.profileName, "dev")
        XCTAssertEqual(settings.endpoint, "https://sqs.ap-southeast-2.amazonaws.com")

        let explicit = try AWSServiceSettings.resolve(service: "sqs", profileName: "default",
                                                      environment: directory.environment(["AWS_PROFILE": "dev"]), transport: unusedTransport)
        XCTAssertEqual(explicit.region, "us-east-1")
    }

    func testResolve_whenNoRegionAnywhere_namesTheConfigKeyVariablesAndProfileFile() {
        XCTAssertThrowsError(try AWSServiceSettings.resolve(service: "sqs", configSection: "sqs_consumer",
                                                            environment: directory.environment(), transport: unusedTransport)) {
            XCTAssertEqual("\($0)", "no AWS region: set config 'sqs_consumer.region_name', AWS_REGION, AWS_DEFAULT_REGION "
                               + "or 'region' in profile 'default' (\(self.directory.path)/config)")
        }
    }

    func testResolve_whenANamedProfileIsMissing_namesProfileSourceAndFiles() {
        let cases: [(String?, [String: String?], String)] = [
            ("staging", [:], "config 'sqs_consumer.profile_name'"),
            (nil, ["AWS_PROFILE": "staging"], "AWS_PROFILE"),
            (nil, ["AWS_DEFAULT_PROFILE": "staging", "AWS_PROFILE": "default"], "AWS_DEFAULT_PROFILE"),
        ]
        for (explicit, extra, source) in cases {
            XCTAssertThrowsError(try AWSServiceSettings.resolve(service: "sqs", regionName: "us-east-1", profileName: explicit,
                                                                configSection: "sqs_consumer", environment: directory.environment(extra),
                                                                transport: unusedTransport)) { error in
                XCTAssertEqual((error as? AWSConfigError)?.code, .profileNotFound)
                XCTAssertEqual("\(error)", "AWS profile 'staging' (from \(source)) not found in \(self.directory.path)/credentials "
                                   + "or \(self.directory.path)/config")
            }
        }
    }

    func testResolve_whenTheConfigFileIsMalformed_namesFileAndLine() throws {
        try directory.write("config", "[default]\nregion = us-east-1\nnot a setting\n")
        XCTAssertThrowsError(try AWSServiceSettings.resolve(service: "sqs", environment: directory.environment(), transport: unusedTransport)) {
            XCTAssertEqual("\($0)", "AWS file \(self.directory.path)/config is not valid INI: line 3: expected 'key = value'")
        }
    }

    func testResolve_withAnExplicitProfile_usesItsKeysOverEnvironmentKeys() async throws {
        try directory.write("credentials", "[dev]\naws_access_key_id = FROM-PROFILE\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_ACCESS_KEY_ID": "FROM-ENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let settings = try AWSServiceSettings.resolve(service: "sns", regionName: "us-east-1", profileName: "dev",
                                                      environment: environment, transport: unusedTransport)
        let credentials = try await settings.credentialProvider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-PROFILE")
    }

    func testResolve_sendsWebIdentityToTheRegionalSTSOrTheConfiguredSTSEndpoint() async throws {
        let tokenFile = try directory.write("token", "t")
        let base: [String: String?] = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]
        let cases: [([String: String?], String)] = [
            ([:], "https://sts.eu-central-1.amazonaws.com/"),
            (["AWS_ENDPOINT_URL": "http://localhost:4566"], "http://localhost:4566/"),
            (["AWS_ENDPOINT_URL": "http://localhost:4566", "AWS_ENDPOINT_URL_STS": "http://localhost:4567"], "http://localhost:4567/"),
        ]
        for (extra, expected) in cases {
            let transport = StubTransport { _, _ in .text(WebIdentityCredentialProviderTests.successReply()) }
            let settings = try AWSServiceSettings.resolve(service: "sqs", regionName: "eu-central-1",
                                                          environment: directory.environment(base.merging(extra) { $1 }), transport: transport)
            _ = try await settings.credentialProvider.credentials()
            XCTAssertEqual(transport.requests.map(\.url), [expected])
        }
    }

    func testResolve_whenNoCredentialsExist_resolvesButTheProviderListsEverySource() async throws {
        let settings = try AWSServiceSettings.resolve(service: "sqs", regionName: "us-east-1", environment: directory.environment(),
                                                      transport: unusedTransport)
        let error = await credentialError { try await settings.credentialProvider.credentials() }
        XCTAssertEqual(error?.provider, "credential chain")
        XCTAssertTrue(error?.reason.contains("5. instance metadata (IMDS)") == true, "\(String(describing: error))")
    }

    func testInit_givesSettingsDirectly() async throws {
        let settings = AWSServiceSettings(service: "sqs", region: "us-east-1", endpoint: "http://127.0.0.1:5000",
                                          credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyId: "test", secretAccessKey: "test")))
        let credentials = try await settings.credentialProvider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "test")
        XCTAssertEqual("\(settings)", "AWSServiceSettings(sqs in us-east-1 from given, endpoint http://127.0.0.1:5000 from given, "
                           + "profile 'default', credentials: static)")
    }
}
