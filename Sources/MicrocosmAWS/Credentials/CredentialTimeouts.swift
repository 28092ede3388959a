#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// How long each credential HTTP call may take, connecting included, and how often it is tried.
///
/// | call | time per attempt | attempts | set by |
/// |---|---|---|---|
/// | EC2 instance metadata (IMDS) | 1 s | 1 | `AWS_METADATA_SERVICE_TIMEOUT`, `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (botocore's) |
/// | ECS / EKS container endpoint | 2 s | 3 | the same variables, when set (botocore's fixed values otherwise) |
/// | STS `AssumeRoleWithWebIdentity` | 10 s | 1 | config `<section>.sts_timeout` (`sqs_consumer`, `sns_producer`) |
///
/// The transport's connect timeout never exceeds the time of the call, so both are bounded.
///
/// ```swift
/// var timeouts = try CredentialTimeouts(environment: ProcessInfo.processInfo.environment)
/// timeouts.sts = .seconds(5)
/// let chain = CredentialProviderChain.standard(region: "eu-west-1", timeouts: timeouts, transport: transport)
/// ```
public struct CredentialTimeouts: Sendable, Hashable {
    /// The default of ``sts``, in seconds.
    public static let defaultSTSTimeout: Double = 10

    /// Each IMDS request.
    public var metadata: Duration
    /// Tries of each IMDS request that gets no reply or a 5xx.
    public var metadataAttempts: Int
    /// Each container-endpoint request.
    public var container: Duration
    /// Tries of the container request that gets no reply or a 5xx.
    public var containerAttempts: Int
    /// The STS call of web-identity credentials.
    public var sts: Duration

    /// Timeouts as given; the defaults are botocore's (and 10 s for STS).
    public init(metadata: Duration = .seconds(1), metadataAttempts: Int = 1, container: Duration = .seconds(2),
                containerAttempts: Int = 3, sts: Duration = .seconds(10)) {
        self.metadata = metadata
        self.metadataAttempts = metadataAttempts
        self.container = container
        self.containerAttempts = containerAttempts
        self.sts = sts
    }

    /// The defaults, with `AWS_METADATA_SERVICE_TIMEOUT` (seconds, a positive number up to 3600) and
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (1 to 10) from `environment` when set.
    ///
    /// Throws ``AWSConfigError`` naming the variable for a value that is not a number in range.
    public init(environment: [String: String], sts: Duration = .seconds(10)) throws(AWSConfigError) {
        self.init(sts: sts)
        if let text = environment.nonEmpty("AWS_METADATA_SERVICE_TIMEOUT") {
            guard let seconds = Double(text.trimmingSpaces()), seconds.isFinite, (0.001...3600).contains(seconds) else {
                throw .invalidValue(text, source: "AWS_METADATA_SERVICE_TIMEOUT", expected: "seconds from 0.001 to 3600")
            }
            metadata = .milliseconds(Int64((seconds * 1000).rounded()))
            container = metadata
        }
        if let text = environment.nonEmpty("AWS_METADATA_SERVICE_NUM_ATTEMPTS") {
            guard let attempts = Int(text.trimmingSpaces()), (1...10).contains(attempts) else {
                throw .invalidValue(text, source: "AWS_METADATA_SERVICE_NUM_ATTEMPTS", expected: "a whole number from 1 to 10")
            }
            metadataAttempts = attempts
            containerAttempts = attempts
        }
    }

    /// `10 s`, `1.5 s`: a duration in messages.
    static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return (milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)) + " s"
    }
}
