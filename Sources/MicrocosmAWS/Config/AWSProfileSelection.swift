/// Which profile of the shared files to use, and where that choice came from.
///
/// Precedence: the explicit config value (`profile_name`), then `AWS_DEFAULT_PROFILE`, then
/// `AWS_PROFILE`, then `default`. `AWS_DEFAULT_PROFILE` beats `AWS_PROFILE` as in botocore (the
/// Python SDK microcosm services run on), so both sides of a fleet pick the same profile.
public struct AWSProfileSelection: Sendable, Hashable, CustomStringConvertible {
    /// The profile name.
    public let name: String
    /// Where the name came from: "config 'profile_name'", "AWS_PROFILE", "the default".
    public let source: String
    /// True when the name came from configuration rather than the environment or the default.
    /// An explicit profile turns off the environment credential provider, as in botocore.
    public let isExplicit: Bool

    /// Chooses the profile: `explicit` (nil or empty: not given), else the environment, else `default`.
    ///
    /// `explicitSource` names the explicit value in messages (e.g. `config 'sqs_consumer.profile_name'`).
    public init(explicit: String?, explicitSource: String = "config 'profile_name'", environment: [String: String]) {
        if let explicit, !explicit.isEmpty {
            (name, source, isExplicit) = (explicit, explicitSource, true)
        } else if let value = environment.nonEmpty("AWS_DEFAULT_PROFILE") {
            (name, source, isExplicit) = (value, "AWS_DEFAULT_PROFILE", false)
        } else if let value = environment.nonEmpty("AWS_PROFILE") {
            (name, source, isExplicit) = (value, "AWS_PROFILE", false)
        } else {
            (name, source, isExplicit) = ("default", "the default", false)
        }
    }

    /// True unless the name is `default`: another profile must exist, `default` may be absent (as in botocore).
    public var mustExist: Bool { name != "default" }

    public var description: String { "profile '\(name)'" }
}
