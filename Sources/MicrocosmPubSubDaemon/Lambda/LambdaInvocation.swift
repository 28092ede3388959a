#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// One invocation of the function, as the Lambda Runtime API's next-invocation request gives it:
/// the event and the response headers that describe it.
///
/// While the runtime handles an invocation, handlers can read it through ``current``:
///
/// ```swift
/// handlers.register(.created("Thing")) { message in
///     let requestId = LambdaInvocation.current?.requestId   // nil outside Lambda
///     ...
/// }
/// ```
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: the invocation's id, used to respond to it.
    public var requestId: String
    /// `Lambda-Runtime-Deadline-Ms`: when the function times out; nil when Lambda did not say.
    public var deadline: Date?
    /// `Lambda-Runtime-Invoked-Function-Arn`: the function, version or alias invoked.
    public var invokedFunctionArn: String?
    /// `Lambda-Runtime-Trace-Id`: the X-Ray tracing header (also set as `_X_AMZN_TRACE_ID`).
    public var traceId: String?
    /// `Lambda-Runtime-Client-Context` (invocations from the AWS Mobile SDK).
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (invocations from the AWS Mobile SDK).
    public var cognitoIdentity: String?
    /// The event, as JSON bytes.
    public var event: [UInt8]

    /// An invocation.
    public init(requestId: String, deadline: Date? = nil, invokedFunctionArn: String? = nil, traceId: String? = nil,
                clientContext: String? = nil, cognitoIdentity: String? = nil, event: [UInt8]) {
        self.requestId = requestId
        self.deadline = deadline
        self.invokedFunctionArn = invokedFunctionArn
        self.traceId = traceId
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.event = event
    }

    /// The invocation the runtime is handling in this task (and the tasks it starts); nil outside one.
    @TaskLocal public static var current: LambdaInvocation?

    /// The invocation a next-invocation response describes; nil without a request id.
    init?(response: AWSHTTPResponse) {
        guard let requestId = response.headers["Lambda-Runtime-Aws-Request-Id"], !requestId.isEmpty else { return nil }
        let deadline = response.headers["Lambda-Runtime-Deadline-Ms"].flatMap { Int64($0.trimmingSpaces()) }
        self.init(requestId: requestId, deadline: deadline.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                  invokedFunctionArn: response.headers["Lambda-Runtime-Invoked-Function-Arn"],
                  traceId: response.headers["Lambda-Runtime-Trace-Id"], clientContext: response.headers["Lambda-Runtime-Client-Context"],
                  cognitoIdentity: response.headers["Lambda-Runtime-Cognito-Identity"], event: response.body)
    }
}
