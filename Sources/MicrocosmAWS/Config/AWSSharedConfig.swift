#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// The AWS shared credentials file and config file, parsed into profiles.
///
/// Paths: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and `AWS_CONFIG_FILE`
/// (default `~/.aws/config`), `~` meaning HOME. A missing file counts as empty. In the credentials
/// file every `[name]` section is a profile; in the config file only `[default]` and
/// `[profile name]` are (`[name]`, `[sso-session x]`, `[services x]` are not profiles).
/// A profile's settings are the config file's merged with the credentials file's, the credentials
/// file winning, as in botocore.
public struct AWSSharedConfig: Sendable, Hashable {
    /// The credentials file's path.
    public let credentialsFile: String
    /// The config file's path.
    public let configFile: String
    /// Profiles of the credentials file: name to settings.
    public let credentialsProfiles: [String: [String: String]]
    /// Profiles of the config file: name to settings.
    public let configProfiles: [String: [String: String]]

    /// Profiles from already parsed files (tests, or files read elsewhere).
    public init(credentialsFile: String, configFile: String, credentialsProfiles: [String: [String: String]] = [:],
                configProfiles: [String: [String: String]] = [:]) {
        self.credentialsFile = credentialsFile
        self.configFile = configFile
        self.credentialsProfiles = credentialsProfiles
        self.configProfiles = configProfiles
    }

    /// The paths `environment` selects: (credentials file, config file).
    public static func paths(environment: [String: String]) -> (credentials: String, config: String) {
        (environment.expandingHome(in: environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials"),
         environment.expandingHome(in: environment.nonEmpty("AWS_CONFIG_FILE") ?? "~/.aws/config"))
    }

    /// Reads and parses both files; an error names the file (and line) at fault.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AWSConfigError) -> AWSSharedConfig {
        let (credentialsPath, configPath) = paths(environment: environment)
        var credentialsProfiles: [String: [String: String]] = [:]
        for section in try read(credentialsPath)?.sections ?? [] {
            credentialsProfiles[section.name, default: [:]].merge(section.values) { _, new in new }
        }
        var configProfiles: [String: [String: String]] = [:]
        for section in try read(configPath)?.sections ?? [] {
            guard let name = configProfileName(section.name) else { continue }
            configProfiles[name, default: [:]].merge(section.values) { _, new in new }
        }
        return AWSSharedConfig(credentialsFile: credentialsPath, configFile: configPath,
                               credentialsProfiles: credentialsProfiles, configProfiles: configProfiles)
    }

    /// Both paths, credentials file first.
    public var files: [String] { [credentialsFile, configFile] }

    /// True when either file has the profile.
    public func contains(profile name: String) -> Bool {
        credentialsProfiles[name] != nil || configProfiles[name] != nil
    }

    /// The profile's settings, both files merged (credentials file wins); nil when neither has it.
    public func settings(profile name: String) -> [String: String]? {
        guard contains(profile: name) else { return nil }
        return (configProfiles[name] ?? [:]).merging(credentialsProfiles[name] ?? [:]) { _, credentials in credentials }
    }

    /// The selected profile's settings: empty for an absent `default`, an error for another absent profile.
    public func settings(for selection: AWSProfileSelection) throws(AWSConfigError) -> [String: String] {
        if let settings = settings(profile: selection.name) { return settings }
        guard !selection.mustExist else {
            throw .profileNotFound(selection.name, source: selection.source, files: files)
        }
        return [:]
    }

    /// The profile a config-file section header names: `default`, `profile x` -> `x`, otherwise nil.
    static func configProfileName(_ header: String) -> String? {
        if header == "default" { return header }
        guard header.hasPrefix("profile"), let next = header.dropFirst("profile".count).first, next == " " || next == "\t" else {
            return nil
        }
        var name = header.dropFirst("profile".count).trimmingSpaces()
        if name.count >= 2, let first = name.first, first == "\"" || first == "'", name.last == first {
            name = String(name.dropFirst().dropLast())
        }
        return name.isEmpty ? nil : name
    }

    /// The parsed file, nil when there is no file at `path`.
    private static func read(_ path: String) throws(AWSConfigError) -> INIDocument? {
        guard let isDirectory = isDirectory(atPath: path) else { return nil }
        guard !isDirectory else { throw .unreadableFile(path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path, reason: "permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformedFile(path, reason: "not UTF-8 text") }
        do {
            return try INIDocument.parse(text)
        } catch {
            throw .malformedFile(path, reason: error.description)
        }
    }
}
