import AWSTestSupport
import Foundation
import MicrocosmAWS
import Synchronization
import XCTest

/// A provider whose answer the test decides, counting its calls.
private final class ScriptedProvider: CredentialProvider {
    let name: String
    private let answer: @Sendable () throws -> AWSCredentials
    private let calls = Mutex(0)

    init(_ name: String, answer: @escaping @Sendable () throws -> AWSCredentials) {
        self.name = name
        self.answer = answer
    }

    static func nothing(_ name: String) -> ScriptedProvider {
        ScriptedProvider(name) { throw CredentialError.notConfigured(name, "nothing here") }
    }

    static func keys(_ name: String) -> ScriptedProvider {
        ScriptedProvider(name) { AWSCredentials(accessKeyId: "AKIA-" + name, secretAccessKey: "s", source: name) }
    }

    var callCount: Int { calls.withLock { $0 } }

    func credentials() async throws -> AWSCredentials {
        calls.withLock { $0 += 1 }
        return try answer()
    }
}

final class CredentialProviderChainTests: XCTestCase {
    private var directory: CredentialTestDirectory!

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    func testCredentials_returnsTheFirstProviderThatHasSomeAndAsksNoFurther() async throws {
        let first = ScriptedProvider.nothing("first"), second = ScriptedProvider.keys("second"), third = ScriptedProvider.keys("third")
        let credentials = try await CredentialProviderChain([first, second, third]).credentials()
        XCTAssertEqual(credentials.source, "second")
        XCTAssertEqual([first.callCount, second.callCount, third.callCount], [1, 1, 0])
    }

    func testCredentials_whenAProviderFails_stopsAndThrowsItsError() async {
        let broken = ScriptedProvider("broken") { throw CredentialError(provider: "broken", reason: "bad file") }
        let later = ScriptedProvider.keys("later")
        let error = await credentialError { try await CredentialProviderChain([ScriptedProvider.nothing("a"), broken, later]).credentials() }
        XCTAssertEqual(error, CredentialError(provider: "broken", reason: "bad file"))
        XCTAssertEqual(later.callCount, 0)
    }

    func testCredentials_whenAProviderThrowsAnotherError_wrapsItNamingTheProvider() async {
        struct Odd: Error, CustomStringConvertible { var description: String { "odd failure" } }
        let error = await credentialError { try await CredentialProviderChain([ScriptedProvider("odd") { throw Odd() }]).credentials() }
        XCTAssertEqual(error, CredentialError(provider: "odd", reason: "odd failure"))
    }

    func testCredentials_whenNoneHasAny_throwsOneErrorListingEverySourceAndWhy() async {
        let error = await credentialError {
            try await CredentialProviderChain([ScriptedProvider.nothing("a"), ScriptedProvider.nothing("b")]).credentials()
        }
        XCTAssertEqual(error?.provider, "credential chain")
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertEqual(error?.reason, "no AWS credentials found. Tried, in order: 1. a: nothing here; 2. b: nothing here")
    }

    func testStandard_asksTheSourcesInSDKOrder() {
        let chain = CredentialProviderChain.standard(environment: directory.environment(), transport: StubTransport { _, _ in .text("") })
        XCTAssertEqual(chain.providers.map(\.name), ["environment", "web identity", "shared files (profile 'default')",
                                                     "container endpoint", "instance metadata (IMDS)"])
    }

    func testStandard_withAnExplicitProfile_leavesOutTheEnvironmentProvider() {
        let chain = CredentialProviderChain.standard(profileName: "dev", environment: directory.environment(),
                                                     transport: StubTransport { _, _ in .text("") })
        XCTAssertEqual(chain.providers.map(\.name), ["web identity", "shared files (profile 'dev')", "container endpoint",
                                                     "instance metadata (IMDS)"])
    }

    func testStandard_environmentWinsOverProfileFiles() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = FROM-FILE\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_ACCESS_KEY_ID": "FROM-ENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let credentials = try await CredentialProviderChain.standard(environment: environment,
                                                                     transport: StubTransport { _, _ in .text("") }).credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-ENV")
    }

    func testStandard_withAnExplicitProfile_ignoresEnvironmentKeys() async throws {
        try directory.write("credentials", "[dev]\naws_access_key_id = FROM-FILE\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_ACCESS_KEY_ID": "FROM-ENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let credentials = try await CredentialProviderChain.standard(profileName: "dev", environment: environment,
                                                                     transport: StubTransport { _, _ in .text("") }).credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-FILE")
    }

    func testStandard_webIdentityWinsOverProfileFilesAndContainer() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = FROM-FILE\naws_secret_access_key = s\n")
        let tokenFile = try directory.write("token", "t")
        let environment = directory.environment(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r",
                                                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel"])
        let transport = StubTransport { _, _ in .text(WebIdentityCredentialProviderTests.successReply(accessKeyId: "FROM-STS")) }
        let credentials = try await CredentialProviderChain.standard(environment: environment, transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-STS")
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testStandard_profileFilesWinOverContainerAndContainerOverIMDS() async throws {
        let transport = StubTransport { request, _ in
            request.host == "169.254.170.2" ? .json(ContainerCredentialProviderTests.reply) : .text("", status: 500)
        }
        let environment = directory.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel", "AWS_EC2_METADATA_DISABLED": nil])
        let fromContainer = try await CredentialProviderChain.standard(environment: environment, transport: transport).credentials()
        XCTAssertEqual(fromContainer.accessKeyId, "ASIACONTAINER")
        XCTAssertEqual(transport.requests.count, 1)

        try directory.write("config", "[default]\naws_access_key_id = FROM-CONFIG\naws_secret_access_key = s\n")
        let fromFile = try await CredentialProviderChain.standard(environment: environment, transport: transport).credentials()
        XCTAssertEqual(fromFile.accessKeyId, "FROM-CONFIG")
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testStandard_fallsThroughToIMDS() async throws {
        let transport = IMDSCredentialProviderTests.metadataService()
        let credentials = try await CredentialProviderChain.standard(
            environment: directory.environment(["AWS_EC2_METADATA_DISABLED": nil]), transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS")
    }

    func testStandard_whenNothingIsConfigured_listsEverySourceWithItsReason() async {
        let transport = StubTransport { _, _ in .text("") }
        let error = await credentialError {
            try await CredentialProviderChain.standard(environment: self.directory.environment(), transport: transport).credentials()
        }
        let path = directory.path
        XCTAssertEqual(error?.description, "credential chain: no AWS credentials found. Tried, in order: "
                           + "1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; "
                           + "2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile 'default' has no web_identity_token_file; "
                           + "3. shared files (profile 'default'): no profile 'default' in \(path)/credentials or \(path)/config; "
                           + "4. container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set; "
                           + "5. instance metadata (IMDS): turned off by AWS_EC2_METADATA_DISABLED")
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testStandard_whenAMisconfiguredSourceFails_doesNotFallThroughToLaterOnes() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = FROM-FILE\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_ACCESS_KEY_ID": "ONLY-HALF"])
        let error = await credentialError {
            try await CredentialProviderChain.standard(environment: environment, transport: StubTransport { _, _ in .text("") }).credentials()
        }
        XCTAssertEqual(error?.provider, "environment")
    }
}
