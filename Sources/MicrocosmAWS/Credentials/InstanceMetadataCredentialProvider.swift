#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Credentials of the EC2 instance's IAM role, from the instance metadata service (IMDSv2).
///
/// Flow: `PUT /latest/api/token` (`x-aws-ec2-metadata-token-ttl-seconds: 21600`), then with the
/// token in `x-aws-ec2-metadata-token`: `GET /latest/meta-data/iam/security-credentials/` for the
/// role name and `GET .../<role>` for the credentials. Each request may take `timeout` (1 s,
/// `AWS_METADATA_SERVICE_TIMEOUT`), connecting included, and is tried `attempts` times (1,
/// `AWS_METADATA_SERVICE_NUM_ATTEMPTS`) when it gets no reply or a 5xx, as botocore does.
/// A token request answered 403, 404 or 405, or timed out, falls back to IMDSv1 (no token) unless
/// `AWS_EC2_METADATA_V1_DISABLED` is true. `AWS_EC2_METADATA_DISABLED=true` turns the provider off;
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` replaces the base URL (`http://169.254.169.254`, or
/// `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` is `IPv6`).
/// Off EC2 (nothing answers) the provider has nothing to offer rather than failing.
///
/// ```swift
/// let provider = InstanceMetadataCredentialProvider(transport: transport)
/// ```
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let name = "instance metadata (IMDS)"
    private let environment: [String: String]
    private let timeout: Duration
    private let attempts: Int
    private let transport: any HTTPTransport

    /// The IPv4 endpoint.
    public static let defaultEndpoint = "http://169.254.169.254"
    /// The IPv6 endpoint.
    public static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"
    private static let rolePath = "/latest/meta-data/iam/security-credentials/"

    /// Reads `environment` (default: the process's) on each call.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = CredentialTimeouts().metadata,
                attempts: Int = CredentialTimeouts().metadataAttempts, transport: any HTTPTransport) {
        self.environment = environment
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.transport = transport
    }

    public func credentials() async throws -> AWSCredentials {
        guard !environment.isTrue("AWS_EC2_METADATA_DISABLED") else {
            throw CredentialError.notConfigured(name, "turned off by AWS_EC2_METADATA_DISABLED")
        }
        let base = baseURL()
        let token = try await fetchToken(base: base)
        let roleReply = try await get(base + InstanceMetadataCredentialProvider.rolePath, token: token)
        guard roleReply.status == 200 else {
            throw CredentialError.notConfigured(name, roleReply.status == 404
                ? "no IAM role is attached to this instance (HTTP 404 from \(base + InstanceMetadataCredentialProvider.rolePath))"
                : "\(base + InstanceMetadataCredentialProvider.rolePath) returned HTTP \(roleReply.status)")
        }
        guard let role = roleReply.bodyText.split(whereSeparator: \.isNewline).map({ $0.trimmingSpaces() })
            .first(where: { !$0.isEmpty }) else {
            throw CredentialError.notConfigured(name, "no IAM role is attached to this instance (empty role list)")
        }
        let url = base + InstanceMetadataCredentialProvider.rolePath + role
        let reply = try await get(url, token: token)
        guard reply.status == 200 else {
            throw CredentialError.notConfigured(name, "\(url) returned HTTP \(reply.status)")
        }
        let object = try CredentialReply.jsonObject(reply.body, provider: name)
        if let code = object["Code"]?.stringValue, code != "Success" {
            let shown = Redaction.scrub(code, secrets: [token ?? ""])
            throw CredentialError(provider: name, reason: "the credentials of role '\(role)' have Code '\(shown)' instead of 'Success'")
        }
        return try CredentialReply.parse(reply.body, provider: name, source: "instance metadata (role '\(role)')")
    }

    private func baseURL() -> String {
        var base = environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
                ? InstanceMetadataCredentialProvider.defaultIPv6Endpoint : InstanceMetadataCredentialProvider.defaultEndpoint)
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The IMDSv2 session token, or nil to go on with IMDSv1.
    private func fetchToken(base: String) async throws -> String? {
        let url = base + "/latest/api/token"
        let request = try makeRequest("PUT", url, headers: ["x-aws-ec2-metadata-token-ttl-seconds": "21600"])
        let fallback: String
        do {
            let response = try await send(request)
            switch response.status {
            case 200:
                let token = response.bodyText.trimmingWhitespace()
                guard !token.isEmpty else { throw CredentialError.notConfigured(name, "\(url) returned an empty token") }
                return token
            case 403, 404, 405:
                fallback = "the token request to \(url) returned HTTP \(response.status)"
            case 400:
                throw CredentialError(provider: name, reason: "the token request to \(url) was refused as bad (HTTP 400)")
            default:
                throw CredentialError.notConfigured(name, "the token request to \(url) returned HTTP \(response.status)")
            }
        } catch let error as HTTPTransportError where error.kind == .timedOut {
            fallback = "the token request to \(url) timed out"
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError.notConfigured(name, "no instance metadata service at \(base): \(error)")
        }
        guard !environment.isTrue("AWS_EC2_METADATA_V1_DISABLED") else {
            throw CredentialError(provider: name, reason: "\(fallback) and AWS_EC2_METADATA_V1_DISABLED forbids falling back to IMDSv1")
        }
        return nil
    }

    private func get(_ url: String, token: String?) async throws -> AWSHTTPResponse {
        var headers: AWSHTTPHeaders = [:]
        if let token { headers["x-aws-ec2-metadata-token"] = token }
        let request = try makeRequest("GET", url, headers: headers)
        do {
            return try await send(request)
        } catch {
            throw CredentialError.notConfigured(name, "no reply from \(url): \(error)")
        }
    }

    /// The reply to `request`, tried up to `attempts` times while there is none or it is a 5xx.
    private func send(_ request: AWSHTTPRequest) async throws -> AWSHTTPResponse {
        var attempt = 1
        while true {
            do {
                let response = try await transport.send(request, timeout: timeout)
                if response.status < 500 || attempt == attempts { return response }
            } catch let error as HTTPTransportError where error.isRetryable && attempt < attempts {
                // No reply: tried again below.
            }
            attempt += 1
        }
    }

    private func makeRequest(_ method: String, _ url: String, headers: AWSHTTPHeaders) throws -> AWSHTTPRequest {
        do {
            return try AWSHTTPRequest(method: method, url: url, headers: headers)
        } catch {
            throw CredentialError(provider: name, reason: "AWS_EC2_METADATA_SERVICE_ENDPOINT gives an unusable URL: \(error)")
        }
    }
}
