#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Credentials from STS `AssumeRoleWithWebIdentity` (EKS IRSA and other OIDC federation).
///
/// Settings come from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`,
/// each falling back to the profile's `web_identity_token_file`, `role_arn` and
/// `role_session_name`; with an explicit profile only the profile counts (as in botocore). No token
/// file: nothing to offer. A token file without a role ARN: an error. The token file is read on each
/// call (it is rotated). The request is an unsigned query-protocol POST to STS, which may take
/// `timeout` (10 s by default; config `<section>.sts_timeout`), connecting included.
///
/// ```swift
/// let provider = WebIdentityCredentialProvider(region: "eu-west-1", transport: transport)
/// ```
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let name = "web identity"
    private let profileName: String?
    private let stsEndpoint: String
    private let environment: [String: String]
    private let timeout: Duration
    private let transport: any HTTPTransport

    /// `stsEndpoint` (for tests, or from `AWS_ENDPOINT_URL_STS`) overrides the endpoint derived from
    /// `region` (`https://sts.<region>.amazonaws.com`; no region: `https://sts.amazonaws.com`).
    public init(profileName: String? = nil, region: String? = nil, stsEndpoint: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                timeout: Duration = CredentialTimeouts().sts, transport: any HTTPTransport) {
        self.profileName = profileName
        self.timeout = timeout
        self.stsEndpoint = stsEndpoint ?? region.map { AWSServiceSettings.defaultEndpoint(service: "sts", region: $0) }
            ?? "https://sts.amazonaws.com"
        self.environment = environment
        self.transport = transport
    }

    public func credentials() async throws -> AWSCredentials {
        let settings = try settings()
        guard let tokenFile = settings.tokenFile else {
            throw CredentialError.notConfigured(name, "AWS_WEB_IDENTITY_TOKEN_FILE is not set and \(settings.profile) has no web_identity_token_file")
        }
        guard let roleArn = settings.roleArn else {
            throw CredentialError(provider: name,
                                  reason: "\(tokenFile.source) is set but there is no role ARN (AWS_ROLE_ARN or 'role_arn' in \(settings.profile))")
        }
        let path = environment.expandingHome(in: tokenFile.value)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError(provider: name, reason: "cannot read the web identity token file \(path) (from \(tokenFile.source))")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw CredentialError(provider: name, reason: "the web identity token file \(path) is empty")
        }
        let sessionName = settings.sessionName ?? "microcosm-session-\(Int(Date().timeIntervalSince1970))"
        return try await assumeRole(roleArn: roleArn, sessionName: sessionName, token: token)
    }

    private struct Settings {
        var tokenFile: (value: String, source: String)?
        var roleArn: String?
        var sessionName: String?
        var profile: String
    }

    /// Environment first (unless the profile is explicit), then the profile; files are read only when needed.
    private func settings() throws -> Settings {
        let selection = AWSProfileSelection(explicit: profileName, environment: environment)
        var profileSettings: [String: String]?
        func value(_ variable: String, _ key: String) throws -> (value: String, source: String)? {
            if !selection.isExplicit, let value = environment.nonEmpty(variable) { return (value, variable) }
            if profileSettings == nil {
                do throws(AWSConfigError) {
                    profileSettings = try AWSSharedConfig.load(environment: environment).settings(for: selection)
                } catch {
                    throw CredentialError(provider: name, reason: error.description)
                }
            }
            guard let value = profileSettings?[key], !value.isEmpty else { return nil }
            return (value, "'\(key)' in \(selection)")
        }
        return Settings(tokenFile: try value("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file"),
                        roleArn: try value("AWS_ROLE_ARN", "role_arn")?.value,
                        sessionName: try value("AWS_ROLE_SESSION_NAME", "role_session_name")?.value,
                        profile: selection.description)
    }

    private func assumeRole(roleArn: String, sessionName: String, token: String) async throws -> AWSCredentials {
        var form: [UInt8] = []
        for (name, value) in [("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", roleArn), ("RoleSessionName", sessionName),
                              ("Version", "2011-06-15"), ("WebIdentityToken", token)] {
            if !form.isEmpty { form.append(UInt8(ascii: "&")) }
            SigV4CanonicalRequest.appendPercentEncoded(name.utf8, to: &form)
            form.append(UInt8(ascii: "="))
            SigV4CanonicalRequest.appendPercentEncoded(value.utf8, to: &form)
        }
        let request: AWSHTTPRequest
        do {
            request = try AWSHTTPRequest(method: "POST", url: stsEndpoint,
                                      headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                                                "Accept": "text/xml"],
                                      body: form)
        } catch {
            throw CredentialError(provider: name, reason: "the STS endpoint cannot be used: \(error)")
        }
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            throw CredentialError(provider: name, reason: "STS AssumeRoleWithWebIdentity for \(roleArn) got no reply (timeout "
                                      + "\(CredentialTimeouts.text(timeout))): \(error)")
        }
        let reply = STSReply(response.bodyText)
        guard response.status == 200 else {
            let error = AWSError(code: AWSError.Code(reply.errorValue("Code") ?? "HTTP\(response.status)"),
                                 message: Redaction.scrub(reply.errorValue("Message") ?? "", secrets: [token]),
                                 statusCode: response.status, requestId: reply.value("RequestId"),
                                 service: "STS", action: "AssumeRoleWithWebIdentity")
            throw CredentialError(provider: name, reason: "assuming \(roleArn) failed: \(error)")
        }
        guard let accessKeyId = reply.credential("AccessKeyId"), let secretAccessKey = reply.credential("SecretAccessKey") else {
            throw CredentialError(provider: name, reason: "the STS reply for \(roleArn) has no Credentials/AccessKeyId and SecretAccessKey")
        }
        var expiration: Date?
        if let text = reply.credential("Expiration") {
            guard let date = CredentialTimestamp.parse(text) else {
                throw CredentialError(provider: name, reason: "the STS reply for \(roleArn) has an Expiration that is not an ISO 8601 time")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: reply.credential("SessionToken"),
                              expiration: expiration, source: "web identity (\(roleArn))")
    }
}

/// Just enough XML reading for STS's reply: the text of a few leaf elements, entities decoded.
private struct STSReply {
    let text: String

    init(_ text: String) { self.text = text }

    /// `<Credentials><name>` of `AssumeRoleWithWebIdentityResult`.
    func credential(_ name: String) -> String? {
        guard let result = STSReply.element("AssumeRoleWithWebIdentityResult", in: Substring(text)),
              let credentials = STSReply.element("Credentials", in: result) else { return nil }
        return STSReply.element(name, in: credentials).map(STSReply.decodeEntities)
    }

    /// `<Error><name>` of an error reply.
    func errorValue(_ name: String) -> String? {
        STSReply.element("Error", in: Substring(text)).flatMap { STSReply.element(name, in: $0) }.map(STSReply.decodeEntities)
    }

    /// The first `<name>` anywhere.
    func value(_ name: String) -> String? {
        STSReply.element(name, in: Substring(text)).map(STSReply.decodeEntities)
    }

    /// The content between `<name>` (or `<name attributes>`) and `</name>`.
    private static func element(_ name: String, in text: Substring) -> Substring? {
        var searchStart = text.startIndex
        while let open = text[searchStart...].firstRange(of: "<" + name) {
            guard let close = text[open.upperBound...].firstIndex(of: ">") else { return nil }
            let between = text[open.upperBound..<close]
            guard between.isEmpty || between.first == " " || between.first == "\t" || between.first == "\n" else {
                searchStart = open.upperBound
                continue
            }
            if between.hasSuffix("/") { return "" }
            let contentStart = text.index(after: close)
            guard let end = text[contentStart...].firstRange(of: "</" + name + ">") else { return nil }
            return text[contentStart..<end.lowerBound]
        }
        return nil
    }

    private static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let scalar = number.flatMap(Unicode.Scalar.init) { result.unicodeScalars.append(scalar) } else { result += rest[amp...semicolon] }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
