#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Credentials from environment variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN` (or the legacy `AWS_SECURITY_TOKEN`) and `AWS_CREDENTIAL_EXPIRATION`
/// (ISO 8601).
///
/// Empty variables count as unset. Only one of the key pair set is an error naming the other.
///
/// ```swift
/// let credentials = try await EnvironmentCredentialProvider().credentials()
/// ```
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment"
    private let environment: [String: String]

    /// Reads `environment` (default: the process's) on each call.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        let accessKeyId = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secretAccessKey = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyId, secretAccessKey) {
        case (nil, nil):
            throw CredentialError.notConfigured(name, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (_?, nil):
            throw CredentialError(provider: name, reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, _?):
            throw CredentialError(provider: name, reason: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (let accessKeyId?, let secretAccessKey?):
            var expiration: Date?
            if let text = environment.nonEmpty("AWS_CREDENTIAL_EXPIRATION") {
                guard let date = CredentialTimestamp.parse(text) else {
                    throw CredentialError(provider: name,
                                          reason: "AWS_CREDENTIAL_EXPIRATION '\(text)' is not an ISO 8601 time like 2026-01-02T03:04:05Z")
                }
                expiration = date
            }
            return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey,
                                  sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN") ?? environment.nonEmpty("AWS_SECURITY_TOKEN"),
                                  expiration: expiration, source: name)
        }
    }
}
