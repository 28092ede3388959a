import AWSTestSupport
import Foundation
import MicrocosmAWS
import XCTest

final class IMDSCredentialProviderTests: XCTestCase {
    private var directory: CredentialTestDirectory!

    override func setUpWithError() throws { directory = try CredentialTestDirectory() }
    override func tearDown() { directory = nil }

    static let credentialsReply = #"{"Code": "Success", "LastUpdated": "2030-01-01T00:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "imds-secret", "Token": "imds-session", "Expiration": "2030-01-02T03:04:05Z"}"#

    /// An IMDS stand-in: answers the token PUT with `tokenStatus`, and the role and credential GETs
    /// (checking the token when one was issued).
    static func metadataService(tokenStatus: Int = 200, token: String = "imds-token", role: String = "things-role",
                                credentials: String = credentialsReply) -> StubTransport {
        StubTransport { request, _ in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                return tokenStatus == 200 ? .text(token) : .text("", status: tokenStatus)
            case ("GET", _) where tokenStatus == 200 && request.headers["x-aws-ec2-metadata-token"] != token:
                return .text("", status: 401)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .text(role + "\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/" + role):
                return .json(credentials)
            default:
                return .text("", status: 404)
            }
        }
    }

    private func environment(_ extra: [String: String?] = [:]) -> [String: String] {
        directory.environment(["AWS_EC2_METADATA_DISABLED": nil].merging(extra) { $1 })
    }

    func testCredentials_followsTheIMDSv2TokenRoleCredentialsFlow() async throws {
        let transport = Self.metadataService()
        let credentials = try await InstanceMetadataCredentialProvider(environment: environment(), transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS")
        XCTAssertEqual(credentials.secretAccessKey, "imds-secret")
        XCTAssertEqual(credentials.sessionToken, "imds-session")
        XCTAssertEqual(credentials.expiration, Date(timeIntervalSince1970: 1_893_553_445))
        XCTAssertEqual(credentials.source, "instance metadata (role 'things-role')")
        let requests = transport.requests
        XCTAssertEqual(requests.map { "\($0.method) \($0.url)" }, [
            "PUT http://169.254.169.254/latest/api/token",
            "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/things-role",
        ])
        XCTAssertEqual(requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"], "21600")
        XCTAssertEqual(requests[1].headers["x-aws-ec2-metadata-token"], "imds-token")
        XCTAssertEqual(requests[2].headers["x-aws-ec2-metadata-token"], "imds-token")
    }

    func testCredentials_endpointVariableAndIPv6ModeChooseTheBase() async throws {
        let cases: [([String: String?], String)] = [
            (["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1234/"], "http://127.0.0.1:1234/latest/api/token"),
            (["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], "http://[fd00:ec2::254]/latest/api/token"),
            (["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv4"], "http://169.254.169.254/latest/api/token"),
        ]
        for (extra, expected) in cases {
            let transport = Self.metadataService()
            _ = try await InstanceMetadataCredentialProvider(environment: environment(extra), transport: transport).credentials()
            XCTAssertEqual(transport.requests.first?.url, expected)
        }
    }

    func testCredentials_whenDisabled_isNotConfiguredAndSendsNothing() async {
        for value in ["true", "TRUE", "True"] {
            let transport = Self.metadataService()
            let error = await credentialError {
                try await InstanceMetadataCredentialProvider(environment: self.environment(["AWS_EC2_METADATA_DISABLED": value]),
                                                             transport: transport).credentials()
            }
            XCTAssertEqual(error?.isNotConfigured, true)
            XCTAssertEqual(error?.reason, "turned off by AWS_EC2_METADATA_DISABLED")
            XCTAssertTrue(transport.requests.isEmpty)
        }
    }

    func testCredentials_whenTheTokenRequestIsRefusedWith403_404Or405_fallsBackToIMDSv1() async throws {
        for status in [403, 404, 405] {
            let transport = Self.metadataService(tokenStatus: status)
            let credentials = try await InstanceMetadataCredentialProvider(environment: environment(), transport: transport).credentials()
            XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS", "\(status)")
            XCTAssertEqual(transport.requests.count, 3)
            XCTAssertTrue(transport.requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == nil })
        }
    }

    func testCredentials_whenTheTokenRequestTimesOut_fallsBackToIMDSv1() async throws {
        let service = Self.metadataService(tokenStatus: 404)
        let transport = StubTransport { request, _ in
            if request.method == "PUT" { throw HTTPTransportError(.timedOut, url: request.url, detail: "read timed out") }
            return try await service.send(request, timeout: .seconds(1))
        }
        let credentials = try await InstanceMetadataCredentialProvider(environment: environment(), transport: transport).credentials()
        XCTAssertEqual(credentials.accessKeyId, "ASIAIMDS")
    }

    func testCredentials_whenV1IsDisabled_doesNotFallBack() async {
        let transport = Self.metadataService(tokenStatus: 403)
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: self.environment(["AWS_EC2_METADATA_V1_DISABLED": "true"]),
                                                         transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "the token request to http://169.254.169.254/latest/api/token returned HTTP 403 "
                           + "and AWS_EC2_METADATA_V1_DISABLED forbids falling back to IMDSv1")
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testCredentials_whenTheTokenRequestIsBad_fails() async {
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: self.environment(),
                                                         transport: Self.metadataService(tokenStatus: 400)).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertTrue(error?.reason.contains("HTTP 400") == true, "\(String(describing: error))")
    }

    func testCredentials_whenNothingAnswers_isNotConfigured() async {
        for kind in [HTTPTransportError.Kind.connectFailed, .connectTimeout] {
            let transport = StubTransport { request, _ in throw HTTPTransportError(kind, url: request.url, detail: "no route") }
            let error = await credentialError {
                try await InstanceMetadataCredentialProvider(environment: self.environment(), transport: transport).credentials()
            }
            XCTAssertEqual(error?.isNotConfigured, true)
            XCTAssertTrue(error?.reason.hasPrefix("no instance metadata service at http://169.254.169.254") == true,
                          "\(String(describing: error))")
            XCTAssertEqual(transport.requests.count, 1)
        }
    }

    func testCredentials_whenNoRoleIsAttached_isNotConfigured() async {
        let transport = StubTransport { request, _ in request.method == "PUT" ? .text("t") : .text("", status: 404) }
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: self.environment(), transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, true)
        XCTAssertTrue(error?.reason.hasPrefix("no IAM role is attached to this instance") == true, "\(String(describing: error))")
    }

    func testCredentials_whenTheCredentialsAreNotASuccess_fails() async {
        let transport = Self.metadataService(credentials: #"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "nope"}"#)
        let error = await credentialError {
            try await InstanceMetadataCredentialProvider(environment: self.environment(), transport: transport).credentials()
        }
        XCTAssertEqual(error?.isNotConfigured, false)
        XCTAssertEqual(error?.reason, "the credentials of role 'things-role' have Code 'AssumeRoleUnauthorizedAccess' instead of 'Success'")
    }

    func testCredentials_neverShowsTheMetadataTokenOrTheKeys() async throws {
        let transport = Self.metadataService(token: Sentinel.imdsToken, credentials: """
            {"Code": "Success", "AccessKeyId": "ASIA", "SecretAccessKey": "\(Sentinel.secretKey)", "Token": "\(Sentinel.sessionToken)"}
            """)
        let credentials = try await InstanceMetadataCredentialProvider(environment: environment(), transport: transport).credentials()
        XCTAssertEqual(credentials.secretAccessKey, Sentinel.secretKey)
        Sentinel.assertAbsent("\(credentials) \(String(reflecting: credentials))")
        Sentinel.assertAbsent(transport.requests.map { "\($0)" }.joined(separator: "\n"))
    }
}
