/// How ``AWSClient`` retries: the AWS SDKs' "standard" retry mode (botocore `retries/standard.py`).
///
/// Up to ``maxAttempts`` attempts; before retry *i* it waits a full-jitter exponential backoff
/// `random(0..<1) * min(baseDelay * 2^(i-1), maxBackoff)`, or the server's `x-amz-retry-after`
/// clamped to `[backoff, backoff + maxRetryAfterExtension]`. Each retry spends from a
/// ``RetryQuota`` shared by the client, so a failing service is not hammered.
///
/// ```swift
/// var policy = RetryPolicy.standard
/// policy.maxAttempts = 5
/// let client = try AWSClient(service: "sqs", region: "us-east-1", endpoint: url, credentialProvider: provider,
///                            transport: transport, retryPolicy: policy, logger: logger)
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per call, the first one included (at least 1).
    public var maxAttempts: Int {
        didSet { maxAttempts = max(1, maxAttempts) }
    }
    /// The backoff ceiling before the first retry; it doubles for each further retry.
    public var baseDelay: Duration
    /// The largest backoff ceiling.
    public var maxBackoff: Duration
    /// How far a server's `x-amz-retry-after` may stretch a delay beyond the computed backoff.
    public var maxRetryAfterExtension: Duration
    /// Capacity of the client's retry quota.
    public var quotaCapacity: Int
    /// Quota spent by a retry.
    public var retryCost: Int
    /// Quota spent by a retry after a timeout.
    public var timeoutRetryCost: Int
    /// Quota returned by a success that needed no retry.
    public var noRetryIncrement: Int
    /// How far the server's clock must be from ours before the client corrects its clock skew.
    public var clockSkewThreshold: Duration

    /// The standard mode with `maxAttempts` attempts (3 by default).
    public init(maxAttempts: Int = 3) {
        self.maxAttempts = max(1, maxAttempts)
        baseDelay = .seconds(1)
        maxBackoff = .seconds(20)
        maxRetryAfterExtension = .seconds(5)
        quotaCapacity = 500
        retryCost = 5
        timeoutRetryCost = 10
        noRetryIncrement = 1
        clockSkewThreshold = .seconds(300)
    }

    /// The SDK standard mode: 3 attempts, 1 s base, 20 s cap, quota 500 (cost 5, timeouts 10).
    public static let standard = RetryPolicy()

    /// One attempt, never retried.
    public static let noRetries = RetryPolicy(maxAttempts: 1)

    /// The full-jitter backoff before retry number `retry` (1 for the first retry), for `jitter` in 0..<1.
    public func backoff(beforeRetry retry: Int, jitter: Double) -> Duration {
        let factor = Double(1 << min(max(0, retry - 1), 62))
        let ceiling = min(RetryPolicy.seconds(baseDelay) * factor, RetryPolicy.seconds(maxBackoff))
        return RetryPolicy.duration(seconds: min(max(jitter, 0), 1) * ceiling)
    }

    /// The wait before retry `retry`: the backoff, or `retryAfter` clamped to `[backoff, backoff + maxRetryAfterExtension]`.
    public func delay(beforeRetry retry: Int, jitter: Double, retryAfter: Duration?) -> Duration {
        let backoff = backoff(beforeRetry: retry, jitter: jitter)
        guard let retryAfter else { return backoff }
        return min(max(retryAfter, backoff), backoff + maxRetryAfterExtension)
    }

    /// True when `error` may go away on another attempt: ``AWSError/isRetryable`` (throttling,
    /// transient codes, HTTP 500/502/503/504) or ``HTTPTransportError/isRetryable`` (connection errors, timeouts).
    public func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as AWSError: error.isRetryable
        case let error as HTTPTransportError: error.isRetryable
        default: false
        }
    }

    /// The quota a retry after `error` costs: ``timeoutRetryCost`` after a transport timeout, else ``retryCost``.
    public func retryCost(after error: any Error) -> Int {
        (error as? HTTPTransportError)?.isTimeout == true ? timeoutRetryCost : retryCost
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Rounds to whole nanoseconds, so equal inputs give equal durations.
    private static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
