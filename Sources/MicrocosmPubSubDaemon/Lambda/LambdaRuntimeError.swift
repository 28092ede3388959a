import MicrocosmPubSub
/// What went wrong in a Lambda function: a bad `AWS_LAMBDA_RUNTIME_API`, an invocation whose
/// event is not an SQS event, a graph that cannot be built, or the Runtime API answering
/// unexpectedly. ``errorType`` and ``description`` are what the runtime reports to Lambda
/// (`Lambda-Runtime-Function-Error-Type`, and `errorType` / `errorMessage` in the body).
///
/// ```
/// AWS_LAMBDA_RUNTIME_API must be host:port, as Lambda sets it; got 'http://127.0.0.1:9001'
/// invalid Lambda SQS event: record 0 has eventSource 'aws:sns', expected 'aws:sqs'
/// ```
public struct LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; callers compare it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// `AWS_LAMBDA_RUNTIME_API` is not `host:port`.
        public static let invalidEndpoint = Code("invalid endpoint")
        /// The invocation's event is not an SQS event this runtime reads (reported as an invocation error).
        public static let invalidEvent = Code("invalid event")
        /// The daemon's graph cannot be built, or its `prepare` failed (reported as an init error).
        public static let initFailed = Code("init failed")
        /// The Runtime API answered with an unexpected status, or not at all.
        public static let runtimeAPI = Code("runtime API")

        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
    }

    /// What kind of failure.
    public let code: Code
    /// The `errorType` reported to Lambda (`Lambda-Runtime-Function-Error-Type`), `Category.Reason`
    /// as AWS recommends.
    public let errorType: String
    /// The human sentence; the `errorMessage` reported to Lambda.
    public let detail: String
    /// The cause, when there is one.
    public let underlying: (any Error)?
    /// The HTTP status the Runtime API answered with, for ``Code/runtimeAPI``; nil when it did not answer.
    public let status: Int?

    private init(code: Code, errorType: String, detail: String, underlying: (any Error)? = nil, status: Int? = nil) {
        self.code = code
        self.errorType = errorType
        self.detail = detail
        self.underlying = underlying
        self.status = status
    }

    /// `AWS_LAMBDA_RUNTIME_API` holds `value`, which is not `host:port`.
    public static func invalidEndpoint(_ value: String, problem: String) -> Self {
        Self(code: .invalidEndpoint, errorType: "Runtime.InvalidEndpoint",
             detail: "\(LambdaRuntimeAPI.environmentVariable) must be host:port, as Lambda sets it; got '\(value)' (\(problem))")
    }

    /// The invocation's event is not an SQS event: `problem` says why.
    public static func invalidEvent(_ problem: String, underlying: (any Error)? = nil) -> Self {
        Self(code: .invalidEvent, errorType: "Runtime.InvalidEvent", detail: "invalid Lambda SQS event: \(problem)", underlying: underlying)
    }

    /// The function cannot start: `errorType` names the stage (`Runtime.ConfigInvalid`,
    /// `Runtime.PrepareFailed`), `error` the cause.
    public static func initFailed(_ errorType: String, _ error: any Error) -> Self {
        Self(code: .initFailed, errorType: errorType, detail: "\(error)", underlying: error)
    }

    /// The Runtime API's `request` failed: `problem` says how.
    public static func runtimeAPI(_ request: String, problem: String, status: Int? = nil, underlying: (any Error)? = nil) -> Self {
        Self(code: .runtimeAPI, errorType: "Runtime.APIError", detail: "Lambda Runtime API \(request): \(problem)", underlying: underlying,
             status: status)
    }

    public var description: String { detail }
}
