import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// Running a daemon as an SQS-triggered Lambda function.
extension ConsumerDaemon {
    /// Runs the daemon as a Lambda custom runtime at `endpoint` (the value of
    /// `AWS_LAMBDA_RUNTIME_API`): what ``run(arguments:environment:shutdown:output:errorOutput:)``
    /// does when that variable is set.
    ///
    /// The graph is made once, as for a daemon (configuration from the settings file and the
    /// environment, the flags in `arguments`), with the Lambda event as its source and
    /// `LambdaSQSEnvelope`; ``prepare(_:)`` runs once; then each invocation's SQS records go
    /// through the dispatcher (see ``LambdaSQSBatchHandler``) and the partial batch response goes
    /// back to Lambda. When the graph or `prepare` fails, the error is reported to Lambda
    /// (`/runtime/init/error`) and written to `errorOutput`; the status is then 64 (configuration)
    /// or 1 (`prepare`). A Runtime API failure ends the runtime with status 1; a graceful shutdown,
    /// with 0.
    func runLambdaRuntime(endpoint: String, arguments: [String], environment: [String: String], shutdown: ConsumerDaemonShutdown,
                          errorOutput: @Sendable (String) -> Void) async -> Int32 {
        let api: LambdaRuntimeAPI
        do {
            api = try LambdaRuntimeAPI(endpoint: endpoint)
        } catch {
            errorOutput("\(name): \(error)")
            return UsageError.exitStatus
        }
        func initFailed(_ errorType: String, _ error: any Error, status: Int32) async -> Int32 {
            let message = (error as? UsageError)?.message ?? "\(error)"   // no "see --help": Lambda runs it without flags
            errorOutput("\(name): \(message)")
            do {
                try await api.reportInitError(errorType: errorType, errorMessage: message)
            } catch {
                errorOutput("\(name): \(error)")
            }
            return status
        }
        let graph: Graph
        do {
            var options = try ConsumerDaemonOptions.parse(arguments, command: name, summary: summary ?? "")
            if let source = ["--sqs-queue-url", "--stdin", "--lambda-event"].first(where: arguments.contains) {
                throw UsageError(command: name, message: "\(source) cannot be used when \(LambdaRuntimeAPI.environmentVariable) is set "
                                     + "(the records come from Lambda)")
            }
            var config = Configuration(options.config)
            config.setValue(["Records": []], at: ConfigKeyPath(dotted: SQSConsumerError.lambdaEventKey))
            config.setValue("", at: ConfigKeyPath(dotted: SQSConsumerError.queueURLKey))
            config.setValue(.string(SQSEnvelope.Strategy.lambda.rawValue), at: "sqs_envelope.strategy_name")
            options.config = config.values
            graph = try makeGraph(options, environment: environment)
        } catch {
            return await initFailed("Runtime.ConfigInvalid", error, status: UsageError.exitStatus)
        }
        let handler: LambdaSQSBatchHandler
        do {
            handler = try LambdaSQSBatchHandler(graph: graph)
            try await prepare(graph)
        } catch {
            return await initFailed("Runtime.PrepareFailed", error, status: 1)
        }
        let logger = graph.logger
        let dispatcher = try? graph.sqsMessageDispatcher
        for (mediaType, handler) in (dispatcher?.handlerNames ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            logger.info("Handling: \(mediaType) with handler: \(handler)")
        }
        logger.info("Starting Lambda runtime \(name): Runtime API \(api.endpoint)")
        do {
            try await LambdaRuntime(api: api, logger: logger).run(shutdown: shutdown) { invocation in
                try await handler.handle(invocation)
            }
        } catch {
            errorOutput("\(name): \(error)")
            return 1
        }
        logger.info("Stopped Lambda runtime \(name)")
        return 0
    }
}
