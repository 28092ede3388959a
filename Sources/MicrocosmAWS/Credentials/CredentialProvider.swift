#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A source of AWS credentials (environment, profile files, web identity, container, IMDS, ...).
public protocol CredentialProvider: Sendable {
    /// A short name for error messages and logs ("environment", "profile 'dev'", ...).
    var name: String { get }

    /// Credentials from this source; throws ``CredentialError`` when it has none or fails.
    func credentials() async throws -> AWSCredentials
}

/// Credentials could not be found or fetched.
public struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider concerned, or "credential chain".
    public let provider: String
    /// Why; never contains secret values.
    public let reason: String
    /// True when the provider simply has nothing to offer (so the chain moves on quietly).
    public let isNotConfigured: Bool

    public init(provider: String, reason: String, isNotConfigured: Bool = false) {
        self.provider = provider
        self.reason = reason
        self.isNotConfigured = isNotConfigured
    }

    /// The provider has no credentials to offer.
    public static func notConfigured(_ provider: String, _ reason: String) -> Self {
        Self(provider: provider, reason: reason, isNotConfigured: true)
    }

    /// Credentials from `credentials.source` that expired at or before `now`: refused, so no
    /// request is signed with them.
    public static func expired(_ credentials: AWSCredentials, now: Date) -> Self {
        Self(provider: credentials.source, reason: "the credentials expired at \(CredentialError.timestamp(credentials.expiration ?? now)) "
                 + "(now \(CredentialError.timestamp(now))) and refreshing them gave no newer ones; no request was sent")
    }

    public var description: String { "\(provider): \(reason)" }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
