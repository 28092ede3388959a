#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Where and as whom an AWS client talks: region, endpoint and credential provider, resolved the
/// way the AWS SDKs (and so the Python microcosm services) resolve them.
///
/// - Region: config `region_name`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's
///   `region`; none is an error saying where it looked.
/// - Endpoint: config `endpoint_url`, then `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_SQS`,
///   `AWS_ENDPOINT_URL_SNS`), then `AWS_ENDPOINT_URL`, then `https://<service>.<region>.amazonaws.com`
///   (`amazonaws.com.cn` in `cn-` regions). `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores the
///   variables. HTTPS by default; an explicit `http://` endpoint (moto, LocalStack) is used as given.
/// - Credentials: ``CredentialProviderChain/standard(profileName:region:stsEndpoint:environment:timeouts:transport:)``
///   behind a ``CachingCredentialProvider``; each credential HTTP call is bounded (``CredentialTimeouts``).
/// - Profile: see ``AWSProfileSelection``; a named profile that neither shared file has is an error.
///
/// ```swift
/// let settings = try AWSServiceSettings.resolve(service: "sqs", endpointURL: nil, regionName: "eu-west-1",
///                                               profileName: nil, configSection: "sqs_consumer", transport: transport)
/// settings.endpoint   // "https://sqs.eu-west-1.amazonaws.com"
/// ```
public struct AWSServiceSettings: Sendable, CustomStringConvertible {
    /// The service's endpoint prefix and signing name (`sqs`, `sns`, `sts`).
    public let service: String
    /// The region requests are signed for.
    public let region: String
    /// Where the region came from (`config 'sqs_consumer.region_name'`, `AWS_REGION`, ...).
    public let regionSource: String
    /// The endpoint URL, without a trailing `/`.
    public let endpoint: String
    /// Where the endpoint came from (`config '...endpoint_url'`, `AWS_ENDPOINT_URL_SQS`, `the AWS default`, ...).
    public let endpointSource: String
    /// The shared-file profile in use.
    public let profileName: String
    /// Supplies credentials for signing (cached).
    public let credentialProvider: any CredentialProvider

    /// Settings given directly (tests, or an application that resolves them itself).
    public init(service: String, region: String, endpoint: String, credentialProvider: any CredentialProvider,
                regionSource: String = "given", endpointSource: String = "given", profileName: String = "default") {
        self.service = service
        self.region = region
        self.regionSource = regionSource
        self.endpoint = endpoint
        self.endpointSource = endpointSource
        self.profileName = profileName
        self.credentialProvider = credentialProvider
    }

    /// Resolves region, endpoint and credentials for `service` from a client's config values and the environment.
    ///
    /// `endpointURL`, `regionName` and `profileName` are the client's config values (nil or empty: not set);
    /// `configSection` (e.g. `sqs_consumer`) only makes messages name the full key. `transport` carries
    /// the credential providers' STS, container and IMDS calls: STS may take `stsTimeout` (default
    /// 10 s), the metadata calls what `AWS_METADATA_SERVICE_TIMEOUT` / `AWS_METADATA_SERVICE_NUM_ATTEMPTS`
    /// say (see ``CredentialTimeouts``). Errors name the config key, variable, profile or file concerned.
    public static func resolve(service: String, endpointURL: String? = nil, regionName: String? = nil, profileName: String? = nil,
                               configSection: String? = nil, stsTimeout: Duration? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               transport: any HTTPTransport = CurlTransport()) throws(AWSConfigError) -> AWSServiceSettings {
        func configKey(_ key: String) -> String { "config '" + (configSection.map { "\($0)." } ?? "") + key + "'" }
        let profile = AWSProfileSelection(explicit: profileName, explicitSource: configKey("profile_name"), environment: environment)
        let shared = try AWSSharedConfig.load(environment: environment)
        let profileSettings = try shared.settings(for: profile)
        let profileRegionFile = shared.credentialsProfiles[profile.name]?["region"] != nil ? shared.credentialsFile : shared.configFile
        let (region, regionSource) = try resolveRegion(
            explicit: regionName, explicitSource: configKey("region_name"), environment: environment,
            profileRegion: profileSettings["region"], profileSource: "'region' in \(profile) (\(profileRegionFile))")
        let (endpoint, endpointSource) = try resolveEndpoint(service: service, explicit: endpointURL, explicitSource: configKey("endpoint_url"),
                                                             region: region, environment: environment)
        let (stsEndpoint, _) = try resolveEndpoint(service: "sts", explicit: nil, explicitSource: "", region: region, environment: environment)
        let timeouts = try CredentialTimeouts(environment: environment,
                                              sts: stsTimeout ?? .milliseconds(Int64(CredentialTimeouts.defaultSTSTimeout * 1000)))
        let chain = CredentialProviderChain.standard(profileName: profile.isExplicit ? profile.name : nil, region: region,
                                                     stsEndpoint: stsEndpoint, environment: environment, timeouts: timeouts,
                                                     transport: transport)
        return AWSServiceSettings(service: service, region: region, endpoint: endpoint, credentialProvider: CachingCredentialProvider(chain),
                                  regionSource: regionSource, endpointSource: endpointSource, profileName: profile.name)
    }

    /// The region and its source: `explicit`, `AWS_REGION`, `AWS_DEFAULT_REGION`, then `profileRegion`.
    public static func resolveRegion(explicit: String?, explicitSource: String = "config 'region_name'", environment: [String: String],
                                     profileRegion: String?, profileSource: String = "the profile's 'region'")
        throws(AWSConfigError) -> (region: String, source: String) {
        let candidates: [(String?, String)] = [(explicit, explicitSource), (environment["AWS_REGION"], "AWS_REGION"),
                                               (environment["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION"), (profileRegion, profileSource)]
        guard let (value, source) = candidates.lazy.compactMap({ value, source in
            value.map { $0.trimmingSpaces() }.flatMap { $0.isEmpty ? nil : ($0, source) }
        }).first else {
            throw .noRegion(lookedAt: candidates.map(\.1))
        }
        guard isRegionName(value) else { throw .invalidRegion(value, source: source) }
        return (value, source)
    }

    /// The endpoint and its source: `explicit`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, then the AWS default.
    public static func resolveEndpoint(service: String, explicit: String?, explicitSource: String = "config 'endpoint_url'",
                                       region: String, environment: [String: String])
        throws(AWSConfigError) -> (endpoint: String, source: String) {
        var candidates: [(String?, String)] = [(explicit, explicitSource)]
        if !environment.isTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            let serviceVariable = "AWS_ENDPOINT_URL_" + service.uppercased().replacing(" ", with: "_")
            candidates += [(environment[serviceVariable], serviceVariable), (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL")]
        }
        for case let (value?, source) in candidates {
            let trimmed = value.trimmingSpaces()
            guard !trimmed.isEmpty else { continue }
            if let problem = urlProblem(trimmed) { throw .invalidEndpoint(trimmed, source: source, reason: problem) }
            var endpoint = trimmed
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
            return (endpoint, source)
        }
        return (defaultEndpoint(service: service, region: region), "the AWS default")
    }

    /// Why `url` is not a usable http(s) URL (`no scheme (use http:// or https://)`, `no host`,
    /// `bad port`, `the host 'a b' has characters a host name cannot have`), or nil when it is one.
    public static func urlProblem(_ url: String) -> String? {
        let request: AWSHTTPRequest
        do {
            request = try AWSHTTPRequest(method: "GET", url: url)
        } catch {
            return url.contains("://") ? error.detail : "no scheme (use http:// or https://)"
        }
        if url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains spaces or control characters"
        }
        let allowed = request.host.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "%")
        }
        return allowed ? nil : "the host '\(request.host)' has characters a host name cannot have"
    }

    /// `https://<service>.<region>.amazonaws.com`, or `.amazonaws.com.cn` for `cn-` regions.
    public static func defaultEndpoint(service: String, region: String) -> String {
        "https://\(service).\(region).amazonaws.com" + (region.hasPrefix("cn-") ? ".cn" : "")
    }

    /// True for an AWS region name: letters, digits and inner `-`, 1 to 63 characters (`us-east-1`;
    /// botocore's check before a region goes into a host name).
    public static func isRegionName(_ region: String) -> Bool {
        let bytes = Array(region.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isAlphanumeric(bytes[0]) && isAlphanumeric(bytes[bytes.count - 1])
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    public var description: String {
        "AWSServiceSettings(\(service) in \(region) from \(regionSource), endpoint \(endpoint) from \(endpointSource), "
            + "profile '\(profileName)', credentials: \(credentialProvider.name))"
    }
}
