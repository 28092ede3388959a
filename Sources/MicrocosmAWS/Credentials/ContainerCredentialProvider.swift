#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Credentials from the ECS / EKS Pod Identity container endpoint.
///
/// The URL is `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, else
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which may be `https` to any host but `http` only to a
/// loopback address, `localhost`, `169.254.170.2`, `169.254.170.23` or `fd00:ec2::23` (anything else
/// is an error naming the URL). The `Authorization` header comes from the file named by
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on each call, a trailing newline dropped), else from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`; a token with CR or LF in it is refused. Each request may take
/// `timeout` (2 s), connecting included; connection failures, timeouts and 5xx replies are tried
/// `attempts` (3) times in all (see ``CredentialTimeouts``).
///
/// ```swift
/// let provider = ContainerCredentialProvider(transport: transport)
/// ```
public struct ContainerCredentialProvider: CredentialProvider {
    public let name = "container endpoint"
    private let environment: [String: String]
    private let timeout: Duration
    private let attempts: Int
    private let transport: any HTTPTransport

    /// The link-local address ECS serves relative URIs on.
    public static let relativeBase = "http://169.254.170.2"

    /// Reads `environment` (default: the process's) on each call.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = CredentialTimeouts().container,
                attempts: Int = CredentialTimeouts().containerAttempts, transport: any HTTPTransport) {
        self.environment = environment
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.transport = transport
    }

    public func credentials() async throws -> AWSCredentials {
        var request = try endpointRequest()
        if let token = try authorizationToken() { request.headers["Authorization"] = token }
        let url = request.url
        var lastFailure = ""
        for _ in 1...attempts {
            let response: AWSHTTPResponse
            do {
                response = try await transport.send(request, timeout: timeout)
            } catch {
                lastFailure = "no reply from \(url) (timeout \(CredentialTimeouts.text(timeout)), \(attempts) attempt"
                    + (attempts == 1 ? "" : "s") + "): \(error)"
                continue
            }
            if response.status == 200 {
                return try CredentialReply.parse(response.body, provider: name, source: "container endpoint (\(url))")
            }
            lastFailure = "\(url) returned HTTP \(response.status)" + explanation(response, redacting: request.headers["Authorization"])
            guard response.status >= 500 else { break }
        }
        throw CredentialError(provider: name, reason: lastFailure)
    }

    /// The GET request for the configured URL.
    private func endpointRequest() throws -> AWSHTTPRequest {
        if let relative = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let url = ContainerCredentialProvider.relativeBase + (relative.hasPrefix("/") ? relative : "/" + relative)
            do {
                return try AWSHTTPRequest(method: "GET", url: url, headers: ["Accept": "application/json"])
            } catch {
                throw CredentialError(provider: name, reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI gives an unusable URL: \(error)")
            }
        }
        guard let full = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            throw CredentialError.notConfigured(name, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        let request: AWSHTTPRequest
        do {
            request = try AWSHTTPRequest(method: "GET", url: full, headers: ["Accept": "application/json"])
        } catch {
            throw CredentialError(provider: name, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a usable URL: \(error)")
        }
        guard request.scheme == "https" || ContainerCredentialProvider.isAllowedHTTPHost(request.host) else {
            throw CredentialError(provider: name, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' is not allowed: plain http "
                                      + "may only go to a loopback address, localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23; use https")
        }
        return request
    }

    /// The authorization token, nil when none is configured.
    private func authorizationToken() throws -> String? {
        var token: String
        let source: String
        if let path = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CredentialError(provider: name, reason: "cannot read the authorization token file \(path) "
                                          + "(from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)")
            }
            token = String(decoding: data, as: UTF8.self)
            while token.hasSuffix("\n") || token.hasSuffix("\r\n") { token.removeLast() }
            source = "the file \(path) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)"
        } else if let value = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            token = value
            source = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
        } else {
            return nil
        }
        guard !token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw CredentialError(provider: name, reason: "the authorization token from \(source) contains a line break (CR or LF)")
        }
        guard !token.isEmpty else { throw CredentialError(provider: name, reason: "the authorization token from \(source) is empty") }
        return token
    }

    /// `: <code>: <message>` from the endpoint's JSON error, when it sent one.
    private func explanation(_ response: AWSHTTPResponse, redacting secret: String?) -> String {
        guard let object = try? CredentialReply.jsonObject(response.body, provider: name) else { return "" }
        let parts = [object["code"]?.stringValue ?? object["Code"]?.stringValue,
                     object["message"]?.stringValue ?? object["Message"]?.stringValue].compactMap { $0 }
        guard !parts.isEmpty else { return "" }
        return ": " + Redaction.scrub(parts.joined(separator: ": "), secrets: [secret ?? ""])
    }

    /// True for hosts plain http may reach: loopback, localhost and the ECS / EKS link-local addresses.
    static func isAllowedHTTPHost(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "169.254.170.2" || host == "169.254.170.23" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        guard let address = ipv6Bytes(host) else { return false }
        return address == ipv6Bytes("::1") || address == ipv6Bytes("fd00:ec2::23")
    }

    private static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
