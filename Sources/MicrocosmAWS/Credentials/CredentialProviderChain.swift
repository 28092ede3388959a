#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Asks providers in order and returns the first one's credentials.
///
/// A provider with nothing to offer (``CredentialError/isNotConfigured``) is passed over; any other
/// failure (a bad file, a refused token, a partial key pair) stops the chain and is thrown, so a
/// misconfigured source is reported rather than silently replaced by another identity. When no
/// provider has credentials, one error lists every source tried and why each had nothing.
///
/// ```swift
/// let chain = CredentialProviderChain.standard(region: "us-east-1", transport: transport)
/// let credentials = try await chain.credentials()
/// ```
public struct CredentialProviderChain: CredentialProvider {
    public let name = "credential chain"
    /// The providers, in the order they are asked.
    public let providers: [any CredentialProvider]

    /// A chain of `providers`, asked in order.
    public init(_ providers: [any CredentialProvider]) {
        self.providers = providers
    }

    /// The SDK order: environment, web identity, shared files (credentials file, then config file
    /// static keys), container endpoint, instance metadata.
    ///
    /// An explicit `profileName` (config `profile_name`) drops the environment provider and the web
    /// identity variables, as botocore does. `region` and `stsEndpoint` place the STS call of web
    /// identity; `transport` carries the STS, container and IMDS requests, each bounded by `timeouts`.
    public static func standard(profileName: String? = nil, region: String? = nil, stsEndpoint: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                timeouts: CredentialTimeouts = CredentialTimeouts(),
                                transport: any HTTPTransport = CurlTransport()) -> CredentialProviderChain {
        let explicitProfile = profileName.flatMap { $0.isEmpty ? nil : $0 }
        var providers: [any CredentialProvider] = []
        if explicitProfile == nil { providers.append(EnvironmentCredentialProvider(environment: environment)) }
        providers.append(WebIdentityCredentialProvider(profileName: explicitProfile, region: region, stsEndpoint: stsEndpoint,
                                                       environment: environment, timeout: timeouts.sts, transport: transport))
        providers.append(ProfileCredentialProvider(profileName: explicitProfile, environment: environment))
        providers.append(ContainerCredentialProvider(environment: environment, timeout: timeouts.container,
                                                     attempts: timeouts.containerAttempts, transport: transport))
        providers.append(InstanceMetadataCredentialProvider(environment: environment, timeout: timeouts.metadata,
                                                            attempts: timeouts.metadataAttempts, transport: transport))
        return CredentialProviderChain(providers)
    }

    public func credentials() async throws -> AWSCredentials {
        var passedOver: [String] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let error as CredentialError where error.isNotConfigured {
                passedOver.append("\(provider.name): " + (error.provider == provider.name ? error.reason : error.description))
            } catch let error as CredentialError {
                throw error
            } catch {
                throw CredentialError(provider: provider.name, reason: "\(error)")
            }
        }
        let tried = passedOver.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "; ")
        throw CredentialError.notConfigured(name, "no AWS credentials found. Tried, in order: " + (tried.isEmpty ? "no providers" : tried))
    }
}
