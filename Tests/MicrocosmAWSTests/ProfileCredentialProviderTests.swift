import Foundation
import MicrocosmAWS
import XCTest

final class ProfileCredentialProviderTests: XCTestCase {
    private var directory: CredentialTestDirectory!

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    func testCredentials_readsTheDefaultProfileOfTheCredentialsFile() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = AKIDEF\naws_secret_access_key = s1\naws_session_token = t1\n")
        let credentials = try await ProfileCredentialProvider(environment: directory.environment()).credentials()
        XCTAssertEqual(credentials.accessKeyId, "AKIDEF")
        XCTAssertEqual(credentials.secretAccessKey, "s1")
        XCTAssertEqual(credentials.sessionToken, "t1")
        XCTAssertEqual(credentials.source, "profile 'default' in \(directory.path)/credentials")
    }

    func testCredentials_readsTheLegacySecurityTokenKey() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_security_token = legacy\n")
        let credentials = try await ProfileCredentialProvider(environment: directory.environment()).credentials()
        XCTAssertEqual(credentials.sessionToken, "legacy")
    }

    func testCredentials_credentialsFileWinsOverConfigFileStaticKeys() async throws {
        try directory.write("credentials", "[dev]\naws_access_key_id = FROM-CREDENTIALS\naws_secret_access_key = s\n")
        try directory.write("config", "[profile dev]\naws_access_key_id = FROM-CONFIG\naws_secret_access_key = s\n")
        let credentials = try await ProfileCredentialProvider(profileName: "dev", environment: directory.environment()).credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-CREDENTIALS")
    }

    func testCredentials_fallsBackToStaticKeysInTheConfigFile() async throws {
        try directory.write("config", "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROM-CONFIG\naws_secret_access_key = s\n")
        let credentials = try await ProfileCredentialProvider(profileName: "dev", environment: directory.environment()).credentials()
        XCTAssertEqual(credentials.accessKeyId, "FROM-CONFIG")
        XCTAssertEqual(credentials.source, "profile 'dev' in \(directory.path)/config")
    }

    func testCredentials_configFileOnlyKnowsProfileSectionsNotPlainNames() async throws {
        try directory.write("config", "[dev]\naws_access_key_id = PLAIN\naws_secret_access_key = s\n")
        let error = await credentialError {
            try await ProfileCredentialProvider(profileName: "dev", environment: self.directory.environment()).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertTrue(error?.reason.contains("AWS profile 'dev'") == true, "\(String(describing: error))")
    }

    func testCredentials_configFileAcceptsQuotedAndSpacedProfileNamesAndDefault() async throws {
        try directory.write("config", """
            [profile  "my team"]
            aws_access_key_id = QUOTED
            aws_secret_access_key = s
            [default]
            aws_access_key_id = DEFAULT
            aws_secret_access_key = s
            """)
        let quoted = try await ProfileCredentialProvider(profileName: "my team", environment: directory.environment()).credentials()
        XCTAssertEqual(quoted.accessKeyId, "QUOTED")
        let fallback = try await ProfileCredentialProvider(environment: directory.environment()).credentials()
        XCTAssertEqual(fallback.accessKeyId, "DEFAULT")
    }

    func testCredentials_choosesTheProfileExplicitThenDefaultProfileVariableThenProfileVariable() async throws {
        try directory.write("credentials", """
            [default]
            aws_access_key_id = DEFAULT
            aws_secret_access_key = s
            [a]
            aws_access_key_id = A
            aws_secret_access_key = s
            [b]
            aws_access_key_id = B
            aws_secret_access_key = s
            [c]
            aws_access_key_id = C
            aws_secret_access_key = s
            """)
        let cases: [(String?, [String: String?], String)] = [
            (nil, [:], "DEFAULT"),
            (nil, ["AWS_PROFILE": "a"], "A"),
            (nil, ["AWS_DEFAULT_PROFILE": "b"], "B"),
            (nil, ["AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"], "B"),
            ("c", ["AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"], "C"),
            ("", ["AWS_PROFILE": "a"], "A"),
        ]
        for (explicit, extra, expected) in cases {
            let provider = ProfileCredentialProvider(profileName: explicit, environment: directory.environment(extra))
            let accessKeyId = try await provider.credentials().accessKeyId
            XCTAssertEqual(accessKeyId, expected, "explicit \(explicit ?? "nil"), \(extra)")
        }
    }

    func testCredentials_honoursFileVariablesAndTildeInThem() async throws {
        try directory.write("elsewhere/creds.ini", "[default]\naws_access_key_id = ELSEWHERE\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere/creds.ini"])
        let credentials = try await ProfileCredentialProvider(environment: environment).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ELSEWHERE")
    }

    func testCredentials_defaultsToFilesUnderHome() async throws {
        try directory.write(".aws/credentials", "[default]\naws_access_key_id = HOME\naws_secret_access_key = s\n")
        let environment = directory.environment(["AWS_SHARED_CREDENTIALS_FILE": nil, "AWS_CONFIG_FILE": nil])
        let credentials = try await ProfileCredentialProvider(environment: environment).credentials()
        XCTAssertEqual(credentials.accessKeyId, "HOME")
    }

    func testCredentials_whenNoFilesExist_isNotConfiguredNamingBothFiles() async {
        let error = await credentialError { try await ProfileCredentialProvider(environment: self.directory.environment()).credentials() }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertEqual(error?.reason, "no profile 'default' in \(directory.path)/credentials or \(directory.path)/config")
    }

    func testCredentials_whenTheProfileHasNoKeys_isNotConfigured() async throws {
        try directory.write("config", "[default]\nregion = us-east-1\n")
        let error = await credentialError { try await ProfileCredentialProvider(environment: self.directory.environment()).credentials() }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertTrue(error?.reason.contains("profile 'default' has no aws_access_key_id") == true, "\(String(describing: error))")
    }

    func testCredentials_whenANamedProfileIsMissing_failsNamingProfileSourceAndFiles() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = s\n")
        for (explicit, extra, source) in [("staging", [String: String?](), "config 'profile_name'"),
                                          (nil, ["AWS_PROFILE": "staging"], "AWS_PROFILE")] {
            let error = await credentialError {
                try await ProfileCredentialProvider(profileName: explicit, environment: self.directory.environment(extra)).credentials()
            }
            XCTAssertEqual(error?.isNotConfigured, false)
            XCTAssertEqual(error?.reason, "AWS profile 'staging' (from \(source)) not found in "
                               + "\(directory.path)/credentials or \(directory.path)/config")
        }
    }

    func testCredentials_whenOnlyHalfThePairIsInTheProfile_failsNamingProfileAndFile() async throws {
        try directory.write("credentials", "[default]\naws_secret_access_key = \(Sentinel.secretKey)\n")
        let error = await credentialError { try await ProfileCredentialProvider(environment: self.directory.environment()).credentials() }
        XCTAssertEqual(error?.reason,
                       "profile 'default' in \(directory.path)/credentials has aws_secret_access_key but no aws_access_key_id")
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
    }

    func testCredentials_whenTheProfileNeedsAnUnsupportedFeature_failsInsteadOfFallingThrough() async throws {
        let cases = [
            ("[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n", "role_arn with source_profile"),
            ("[profile dev]\nsso_session = corp\n", "SSO"),
            ("[profile dev]\ncredential_process = /bin/creds\n", "credential_process"),
        ]
        for (text, feature) in cases {
            try directory.write("config", text)
            let error = await credentialError {
                try await ProfileCredentialProvider(profileName: "dev", environment: self.directory.environment()).credentials()
            }
            XCTAssertEqual(error?.isNotConfigured, false, feature)
            XCTAssertTrue(error?.reason.contains(feature) == true, "\(String(describing: error))")
        }
    }

    func testCredentials_whenAFileIsMalformed_failsNamingFileAndLineButNotItsText() async throws {
        try directory.write("credentials", "[default]\naws_access_key_id = A\n\(Sentinel.secretKey)\n")
        let error = await credentialError { try await ProfileCredentialProvider(environment: self.directory.environment()).credentials() }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "AWS file \(directory.path)/credentials is not valid INI: line 3: expected 'key = value'")
        Sentinel.assertAbsent(error.map { "\($0)" } ?? "")
    }

    func testCredentials_whenAFileIsADirectory_failsNamingIt() async throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/credentials", withIntermediateDirectories: true)
        let error = await credentialError { try await ProfileCredentialProvider(environment: self.directory.environment()).credentials() }
        XCTAssertEqual(error?.reason, "cannot read AWS file \(directory.path)/credentials: it is a directory")
    }

    func testName_namesTheSelectedProfile() throws {
        XCTAssertEqual(ProfileCredentialProvider(environment: directory.environment(["AWS_PROFILE": "x"])).name, "shared files (profile 'x')")
    }
}
