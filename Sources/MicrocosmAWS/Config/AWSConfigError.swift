/// AWS settings that cannot be used: no region, a bad endpoint, a missing profile, an unreadable file.
///
/// Every error names what it is about (config key, environment variable, profile, file) and never
/// holds a secret.
///
/// ```
/// no AWS region: set config 'sqs_consumer.region_name', AWS_REGION, AWS_DEFAULT_REGION or 'region' in profile 'default' (/home/me/.aws/config)
/// AWS profile 'staging' (from AWS_PROFILE) not found in /home/me/.aws/credentials or /home/me/.aws/config
/// AWS_ENDPOINT_URL_SQS is not a usable endpoint 'localhost:4566': no scheme (use http:// or https://)
/// ```
public struct AWSConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, to compare or switch on (`error.code == .noRegion`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case noRegion, invalidRegion, invalidEndpoint, invalidValue, profileNotFound, unreadableFile, malformedFile
        }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// No region could be found.
        public static let noRegion = Code(.noRegion)
        /// A region is not a valid region name.
        public static let invalidRegion = Code(.invalidRegion)
        /// An endpoint URL cannot be used.
        public static let invalidEndpoint = Code(.invalidEndpoint)
        /// An environment variable's value is not what it must be.
        public static let invalidValue = Code(.invalidValue)
        /// A named profile does not exist.
        public static let profileNotFound = Code(.profileNotFound)
        /// A configuration or credentials file exists but cannot be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// A configuration or credentials file is not valid INI.
        public static let malformedFile = Code(.malformedFile)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
    /// What the error is about: a config key, an environment variable, a profile or a file path.
    public let subject: String
    /// The explanation.
    public let detail: String

    private init(_ code: Code, subject: String, detail: String) {
        self.code = code
        self.subject = subject
        self.detail = detail
    }

    /// No source had a region; `lookedAt` lists the sources in order.
    public static func noRegion(lookedAt: [String]) -> Self {
        Self(.noRegion, subject: "region", detail: "set " + AWSConfigError.list(lookedAt, conjunction: "or"))
    }

    /// The region from `source` is not a valid region name.
    public static func invalidRegion(_ region: String, source: String) -> Self {
        Self(.invalidRegion, subject: source,
             detail: "'\(region)' is not a valid region name (letters, digits and '-', like 'us-east-1')")
    }

    /// The endpoint from `source` cannot be used.
    public static func invalidEndpoint(_ endpoint: String, source: String, reason: String) -> Self {
        Self(.invalidEndpoint, subject: source, detail: "'\(endpoint)': \(reason)")
    }

    /// The value of `source` (an environment variable) is not what it must be (`expected`).
    public static func invalidValue(_ value: String, source: String, expected: String) -> Self {
        Self(.invalidValue, subject: source, detail: "expected \(expected), got '\(value)'")
    }

    /// The profile named by `source` is in neither file.
    public static func profileNotFound(_ profile: String, source: String, files: [String]) -> Self {
        Self(.profileNotFound, subject: profile,
             detail: "(from \(source)) not found in " + AWSConfigError.list(files, conjunction: "or"))
    }

    /// A file exists but cannot be read.
    public static func unreadableFile(_ path: String, reason: String) -> Self {
        Self(.unreadableFile, subject: path, detail: reason)
    }

    /// A file is not valid INI.
    public static func malformedFile(_ path: String, reason: String) -> Self {
        Self(.malformedFile, subject: path, detail: reason)
    }

    public var description: String {
        switch code.value {
        case .noRegion: return "no AWS region: \(detail)"
        case .invalidRegion: return "\(subject) is not a usable AWS region: \(detail)"
        case .invalidEndpoint: return "\(subject) is not a usable endpoint \(detail)"
        case .invalidValue: return "\(subject): \(detail)"
        case .profileNotFound: return "AWS profile '\(subject)' \(detail)"
        case .unreadableFile: return "cannot read AWS file \(subject): \(detail)"
        case .malformedFile: return "AWS file \(subject) is not valid INI: \(detail)"
        }
    }

    private static func list(_ items: [String], conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }
}
