/// How long a nacked message stays invisible before SQS delivers it again: microcosm-pubsub's
/// backoff policies, chosen by config `sqs_consumer.backoff_policy` with the Python class names.
///
/// - `NaiveBackoffPolicy` (the default): the timeout asked for, else
///   `sqs_consumer.message_retry_visibility_timeout_seconds` (5); with neither, the visibility
///   is left alone and the queue's own timeout applies.
/// - `ExponentialBackoffPolicy`: the timeout asked for, else a random 1...2^count-1 seconds for
///   the count-th receive, at most 12 hours.
/// - `ExponentialBackoffBaseJitterPolicy`: the timeout asked for, else count + a random
///   0...r/2 seconds with r random in count...2^count, at most 12 hours.
///
/// An explicit timeout (a handler's `Nack(seconds)`) always wins, including 0. (Python's naive
/// policy reads 0 as "not given"; here 0 means "visible again now", which the daemon relies on
/// to hand back unstarted messages.)
///
/// ```swift
/// let policy = try BackoffPolicy.named("ExponentialBackoffPolicy")
/// policy.visibilityTimeout(receiveCount: 3, requested: nil)   // 1...7
/// policy.visibilityTimeout(receiveCount: 3, requested: 30)    // 30
/// let fixed = BackoffPolicy.exponential(random: { $0.upperBound })   // tests: the top of each range
/// ```
public struct BackoffPolicy: Sendable, CustomStringConvertible {
    /// Picks an integer in a closed range (uniformly, in production); injectable for tests.
    public typealias Random = @Sendable (ClosedRange<Int>) -> Int

    private enum Kind: Sendable {
        case naive(retryTimeout: Int?)
        case exponential
        case exponentialBaseJitter
    }

    /// The longest backoff the exponential policies compute: 12 hours, SQS's maximum visibility timeout.
    public static let maximumTimeout = 43_200

    /// The accepted values of `sqs_consumer.backoff_policy`, as the Python classes are named.
    public static let names = ["NaiveBackoffPolicy", "ExponentialBackoffPolicy", "ExponentialBackoffBaseJitterPolicy"]

    /// The system's uniform random integers.
    public static let systemRandom: Random = { Int.random(in: $0) }

    private let kind: Kind
    private let random: Random

    private init(kind: Kind, random: @escaping Random) {
        self.kind = kind
        self.random = random
    }

    /// `NaiveBackoffPolicy`: the requested timeout, else `retryTimeout`, else nil (leave visibility alone).
    public static func naive(retryTimeout: Int? = 5) -> Self {
        Self(kind: .naive(retryTimeout: retryTimeout), random: systemRandom)
    }

    /// `ExponentialBackoffPolicy`: the requested timeout, else random 1...2^count-1, at most 12 hours.
    public static func exponential(random: @escaping Random = systemRandom) -> Self {
        Self(kind: .exponential, random: random)
    }

    /// `ExponentialBackoffBaseJitterPolicy`: the requested timeout, else count + random 0...r/2 with
    /// r random in count...2^count, at most 12 hours.
    public static func exponentialBaseJitter(random: @escaping Random = systemRandom) -> Self {
        Self(kind: .exponentialBaseJitter, random: random)
    }

    /// The policy with Python class name `name` (see ``names``).
    ///
    /// `retryTimeout` is `sqs_consumer.message_retry_visibility_timeout_seconds`, which only the
    /// naive policy reads. Throws ``SQSConsumerError/unknownBackoffPolicy(_:accepted:)`` naming
    /// the config key and the accepted names.
    public static func named(_ name: String, retryTimeout: Int? = 5, random: @escaping Random = systemRandom) throws(SQSConsumerError) -> Self {
        switch name {
        case "NaiveBackoffPolicy": return Self(kind: .naive(retryTimeout: retryTimeout), random: random)
        case "ExponentialBackoffPolicy": return .exponential(random: random)
        case "ExponentialBackoffBaseJitterPolicy": return .exponentialBaseJitter(random: random)
        default: throw .unknownBackoffPolicy(name, accepted: names)
        }
    }

    /// The Python class name of this policy.
    public var name: String {
        switch kind {
        case .naive: return "NaiveBackoffPolicy"
        case .exponential: return "ExponentialBackoffPolicy"
        case .exponentialBaseJitter: return "ExponentialBackoffBaseJitterPolicy"
        }
    }

    public var description: String {
        if case .naive(let retryTimeout) = kind { return "\(name)(\(retryTimeout.map { "\($0) s" } ?? "queue default"))" }
        return name
    }

    /// The visibility timeout, in seconds, for a message received `receiveCount` times and nacked
    /// with `requested` (nil: no timeout asked for). Nil means "leave the visibility alone".
    public func visibilityTimeout(receiveCount: Int, requested: Int?) -> Int? {
        if let requested { return requested }
        let count = max(receiveCount, 1)
        switch kind {
        case .naive(let retryTimeout):
            return retryTimeout
        case .exponential:
            // On the count-th failure the timeout is at most 2^count - 1 (1...N, as microcosm-pubsub: not 0...N).
            return min(random(1...Self.powerOfTwo(count) - 1), Self.maximumTimeout)
        case .exponentialBaseJitter:
            // Wait at least `count` seconds, plus an equal jitter of up to half a random count...2^count.
            let scaling = random(count...max(count, Self.powerOfTwo(count)))
            return min(count + random(0...scaling / 2), Self.maximumTimeout)
        }
    }

    /// The longest timeout ``visibilityTimeout(receiveCount:requested:)`` can choose for the
    /// `receiveCount`-th receive when no timeout is asked for (the top of its random range); nil
    /// when the policy leaves the visibility alone. A daemon adds these up to check its retry plan
    /// against the queue's retention period.
    package func longestTimeout(receiveCount: Int) -> Int? {
        let count = max(receiveCount, 1)
        switch kind {
        case .naive(let retryTimeout):
            return retryTimeout
        case .exponential:
            return min(Self.powerOfTwo(count) - 1, Self.maximumTimeout)
        case .exponentialBaseJitter:
            return min(count + max(count, Self.powerOfTwo(count)) / 2, Self.maximumTimeout)
        }
    }

    /// 2^exponent, saturating where the result stops mattering (far above ``maximumTimeout``).
    private static func powerOfTwo(_ exponent: Int) -> Int {
        exponent >= 40 ? 1 << 40 : 1 << exponent
    }
}
