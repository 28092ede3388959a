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

    public var description: String { "\(provider): \(reason)" }
}
