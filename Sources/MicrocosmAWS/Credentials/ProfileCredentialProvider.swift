#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Static keys from the shared files' profile: the credentials file first, then the config file.
///
/// Reads `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` (or the legacy
/// `aws_security_token`) of the selected profile (see ``AWSProfileSelection``) from
/// `AWS_SHARED_CREDENTIALS_FILE` (`[name]` sections, default `~/.aws/credentials`), then from
/// `AWS_CONFIG_FILE` (`[profile name]` / `[default]`, default `~/.aws/config`).
/// A named profile that neither file has is an error naming the profile and both files. A profile
/// that relies on something this library does not do (assume role with `source_profile`, SSO,
/// `credential_process`) is an error rather than a silent fall-through to other credentials.
///
/// ```swift
/// let provider = ProfileCredentialProvider(profileName: "dev")
/// ```
public struct ProfileCredentialProvider: CredentialProvider {
    public let name: String
    private let profileName: String?
    private let environment: [String: String]

    /// Uses `profileName` when given (nil: `AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, `default`); files are read on each call.
    public init(profileName: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.profileName = profileName
        self.environment = environment
        name = "shared files (\(AWSProfileSelection(explicit: profileName, environment: environment)))"
    }

    public func credentials() async throws -> AWSCredentials {
        let selection = AWSProfileSelection(explicit: profileName, environment: environment)
        let files: AWSSharedConfig
        let settings: [String: String]
        do throws(AWSConfigError) {
            files = try AWSSharedConfig.load(environment: environment)
            settings = try files.settings(for: selection)
        } catch {
            throw CredentialError(provider: name, reason: error.description)
        }
        guard files.contains(profile: selection.name) else {
            throw CredentialError.notConfigured(name, "no profile '\(selection.name)' in \(files.credentialsFile) or \(files.configFile)")
        }
        if settings["role_arn"] != nil, settings["source_profile"] != nil || settings["credential_source"] != nil {
            throw unsupported("role_arn with source_profile or credential_source (assume role)", selection, files)
        }
        if settings["sso_session"] != nil || settings["sso_start_url"] != nil {
            throw unsupported("SSO (sso_session / sso_start_url)", selection, files)
        }
        if let credentials = try staticKeys(files.credentialsProfiles[selection.name], selection, file: files.credentialsFile) {
            return credentials
        }
        if settings["credential_process"] != nil {
            throw unsupported("credential_process", selection, files)
        }
        if let credentials = try staticKeys(files.configProfiles[selection.name], selection, file: files.configFile) {
            return credentials
        }
        throw CredentialError.notConfigured(
            name, "profile '\(selection.name)' has no aws_access_key_id in \(files.credentialsFile) or \(files.configFile)")
    }

    private func staticKeys(_ section: [String: String]?, _ selection: AWSProfileSelection, file: String) throws -> AWSCredentials? {
        guard let section else { return nil }
        let accessKeyId = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secretAccessKey = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (accessKeyId, secretAccessKey) {
        case (nil, nil):
            return nil
        case (_?, nil):
            throw CredentialError(provider: name,
                                  reason: "profile '\(selection.name)' in \(file) has aws_access_key_id but no aws_secret_access_key")
        case (nil, _?):
            throw CredentialError(provider: name,
                                  reason: "profile '\(selection.name)' in \(file) has aws_secret_access_key but no aws_access_key_id")
        case (let accessKeyId?, let secretAccessKey?):
            let token = [section["aws_session_token"], section["aws_security_token"]].compactMap { $0 }.first { !$0.isEmpty }
            return AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: token,
                                  source: "profile '\(selection.name)' in \(file)")
        }
    }

    private func unsupported(_ feature: String, _ selection: AWSProfileSelection, _ files: AWSSharedConfig) -> CredentialError {
        CredentialError(provider: name, reason: "profile '\(selection.name)' (\(files.credentialsFile), \(files.configFile)) uses "
                            + "\(feature), which this library does not support; give the profile static keys, or use "
                            + "web identity, environment variables, the container endpoint or instance metadata")
    }
}
