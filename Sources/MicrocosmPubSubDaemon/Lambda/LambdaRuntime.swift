#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Microcosm
import MicrocosmPubSub

/// A custom Lambda runtime's loop: asks the Runtime API for the next invocation, sets
/// `_X_AMZN_TRACE_ID` from its trace header (as AWS's runtimes do), hands it to `handle` and
/// sends back the response, or reports an invocation error when `handle` throws; then again.
///
/// ```swift
/// let runtime = LambdaRuntime(api: try LambdaRuntimeAPI(endpoint: endpoint), logger: graph.logger)
/// let handler = try LambdaSQSBatchHandler(graph: graph)
/// try await runtime.run { invocation in try await handler.handle(invocation) }
/// ```
///
/// It returns when `shutdown` is triggered while it waits for an invocation (or once the one in
/// hand is answered), and throws ``LambdaRuntimeError`` (code ``LambdaRuntimeError/Code/runtimeAPI``)
/// when the Runtime API fails in a way a runtime cannot go on from: no answer, a next invocation
/// refused, HTTP 5xx ("container error": the runtime should exit). A response or error report
/// refused with HTTP 4xx (the invocation timed out meanwhile, say) is logged and the loop goes on.
public struct LambdaRuntime: Sendable {
    /// The variable AWS's runtimes set to each invocation's trace header.
    public static let traceIdVariable = "_X_AMZN_TRACE_ID"

    /// The Runtime API spoken.
    public let api: LambdaRuntimeAPI
    /// Where invocations failed and refused reports are logged.
    public let logger: Logger

    /// A runtime over `api`.
    public init(api: LambdaRuntimeAPI, logger: Logger) {
        self.api = api
        self.logger = logger
    }

    /// Runs invocations through `handle` until `shutdown` is triggered (see the type's documentation).
    public func run(shutdown: ConsumerDaemonShutdown = ConsumerDaemonShutdown(),
                    handle: @escaping @Sendable (LambdaInvocation) async throws -> [UInt8]) async throws {
        let api = self.api
        while let invocation = try await shutdown.untilTriggered({ try await api.next() }) {
            Self.setTraceId(invocation.traceId)
            let metadata: [String: String] = ["aws.request_id": invocation.requestId]
            let body: [UInt8]
            do {
                body = try await handle(invocation)
            } catch {
                let errorType = (error as? LambdaRuntimeError)?.errorType ?? "Runtime.UnknownReason"
                logger.error("Lambda invocation \(invocation.requestId) failed (\(errorType)): \(error)", metadata: metadata)
                try await report { try await api.reportInvocationError(invocation.requestId, errorType: errorType, errorMessage: "\(error)") }
                continue
            }
            try await report { try await api.respond(to: invocation.requestId, body: body) }
        }
    }

    /// Runs a report to the Runtime API; one it refuses with HTTP 4xx is logged, not thrown.
    private func report(_ send: () async throws -> Void) async throws {
        do {
            try await send()
        } catch let error as LambdaRuntimeError where (400..<500).contains(error.status ?? 0) {
            logger.error("\(error)")
        }
    }

    /// Sets `_X_AMZN_TRACE_ID` to `traceId`, or removes it when the invocation has none.
    static func setTraceId(_ traceId: String?) {
        if let traceId {
            setenv(traceIdVariable, traceId, 1)
        } else {
            unsetenv(traceIdVariable)
        }
    }
}
