import Foundation
import MicrocosmAWS
import XCTest

final class CredentialEnvironmentProviderTests: XCTestCase {
    func testCredentials_readsKeysTokenAndExpiration() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
            "AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z",
        ])
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials.accessKeyId, "AKIAENV")
        XCTAssertEqual(credentials.secretAccessKey, "secret")
        XCTAssertEqual(credentials.sessionToken, "token")
        XCTAssertEqual(credentials.expiration, Date(timeIntervalSince1970: 1_893_553_445))
        XCTAssertEqual(credentials.source, "environment")
    }

    func testCredentials_fallsBackToLegacySecurityTokenButPrefersSessionToken() async throws {
        let base = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"]
        let legacy = try await EnvironmentCredentialProvider(environment: base.merging(["AWS_SECURITY_TOKEN": "old"]) { $1 }).credentials()
        XCTAssertEqual(legacy.sessionToken, "old")
        let both = try await EnvironmentCredentialProvider(
            environment: base.merging(["AWS_SECURITY_TOKEN": "old", "AWS_SESSION_TOKEN": "new"]) { $1 }).credentials()
        XCTAssertEqual(both.sessionToken, "new")
        let none = try await EnvironmentCredentialProvider(environment: base).credentials()
        XCTAssertNil(none.sessionToken)
        XCTAssertNil(none.expiration)
    }

    func testCredentials_whenNothingIsSet_isNotConfiguredNamingTheVariables() async {
        for environment in [[:], ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]] {
            let error = await credentialError { try await EnvironmentCredentialProvider(environment: environment).credentials() }
            XCTAssertEqual(error?.isNotConfigured, true)
            XCTAssertEqual(error?.reason, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }
    }

    func testCredentials_whenOnlyHalfThePairIsSet_failsNamingTheMissingVariable() async {
        let onlyKey = await credentialError {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "A"]).credentials()
        }
        XCTAssertEqual(onlyKey?.isNotConfigured, false)
        XCTAssertEqual(onlyKey?.reason, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        let onlySecret = await credentialError {
            try await EnvironmentCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": Sentinel.secretKey]).credentials()
        }
        XCTAssertEqual(onlySecret?.reason, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        Sentinel.assertAbsent("\(onlySecret.map { "\($0)" } ?? "")")
    }

    func testCredentials_whenExpirationIsUnreadable_failsNamingTheVariable() async {
        let error = await credentialError {
            try await EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_CREDENTIAL_EXPIRATION": "tomorrow",
            ]).credentials()
        }
        XCTAssertTrue(error?.reason.contains("AWS_CREDENTIAL_EXPIRATION 'tomorrow'") == true, "\(String(describing: error))")
    }

    func testCredentials_acceptsFractionalSecondsAndOffsetsInTheExpiration() async throws {
        for (text, seconds) in [("2030-01-02T03:04:05.250Z", 1_893_553_445.25), ("2030-01-02T04:04:05+01:00", 1_893_553_445)] {
            let credentials = try await EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S", "AWS_CREDENTIAL_EXPIRATION": text,
            ]).credentials()
            XCTAssertEqual(try XCTUnwrap(credentials.expiration).timeIntervalSince1970, seconds, accuracy: 0.001, text)
        }
    }
}
