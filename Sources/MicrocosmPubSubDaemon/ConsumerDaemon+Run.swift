#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// Running a daemon: the process entry point, the testable one, and the graph they make.
extension ConsumerDaemon {
    /// Runs the daemon with the process's arguments and environment and returns its exit status.
    ///
    /// SIGTERM and SIGINT start a graceful shutdown (a second one exits at once with 128 + the
    /// signal number). The signals are unblocked first: a process may inherit them blocked.
    ///
    /// ```swift
    /// exit(await ThingsDaemon().run())
    /// ```
    public func run() async -> Int32 {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let environment = ProcessInfo.processInfo.environment
        let shutdown = ConsumerDaemonShutdown()
        let name = self.name
        let signals = await MainActor.run {
            ShutdownSignals.install { signal in
                let message = "\(name): \(ShutdownSignals.name(of: signal)): stopping gracefully (send it again to exit at once)\n"
                writeAll(2, message)
                shutdown.trigger()
            }
        }
        ShutdownSignals.unblock()
        let status = await run(arguments: arguments, environment: environment, shutdown: shutdown)
        signals.cancel()
        return status
    }

    /// Runs the daemon with `arguments` (without the program name) and `environment`, and returns
    /// its exit status. Installs no signal handlers: this is the entry point for tests and for
    /// hosts that handle signals themselves.
    ///
    /// - Parameters:
    ///   - shutdown: triggered, starts a graceful shutdown (what a signal does). Cancelling the
    ///     calling task instead stops the daemon at once: running handlers are cancelled and
    ///     nothing more is acknowledged (status 0 all the same).
    ///   - output: where `--help` and the Lambda partial batch response go (standard output).
    ///   - errorOutput: where a usage or configuration error's one line goes (standard error).
    public func run(arguments: [String], environment: [String: String], shutdown: ConsumerDaemonShutdown = ConsumerDaemonShutdown(),
                    output: @escaping @Sendable (String) -> Void = { ConsumerDaemonOutput.standardOutput($0) },
                    errorOutput: @escaping @Sendable (String) -> Void = { ConsumerDaemonOutput.standardError($0) }) async -> Int32 {
        if let first = arguments.first, let tool = ServiceTools.named(first) {   // `<daemon> topology plan`, ...
            return await tool.main(ServiceToolInvocation(command: "\(name) \(first)", arguments: Array(arguments.dropFirst()),
                                                         daemon: self, environment: environment, output: output,
                                                         errorOutput: errorOutput))
        }
        if let endpoint = environment[LambdaRuntimeAPI.environmentVariable] {   // running in AWS Lambda
            return await runLambdaRuntime(endpoint: endpoint, arguments: arguments, environment: environment, shutdown: shutdown,
                                          errorOutput: errorOutput)
        }
        let options: ConsumerDaemonOptions
        do {
            options = try ConsumerDaemonOptions.parse(arguments, command: name, summary: summary ?? "")
        } catch {
            errorOutput(error.description)
            return UsageError.exitStatus
        }
        if options.wantsHelp {
            output(([ConsumerDaemonOptions.commandLineInterface(command: name, summary: summary ?? "").help]
                    + ServiceTools.helpLines(for: name)).joined(separator: "\n"))
            return 0
        }
        let graph: Graph
        do {
            graph = try makeGraph(options, environment: environment)
        } catch {
            errorOutput("\(name): \(error)")
            return UsageError.exitStatus
        }
        return await serve(graph, lambdaMode: options.isLambdaMode, shutdown: shutdown, output: output, errorOutput: errorOutput)
    }

    /// The graph the daemon would run with for `arguments` and `environment`: created, checked
    /// and locked, as ``run(arguments:environment:output:errorOutput:)`` makes it. `overrides`
    /// gets it first, with the handlers assigned and nothing created: replace bindings there.
    ///
    /// Throws ``UsageError`` for bad flags, the graph's error (a `ConfigurationError`,
    /// `GraphError`, ``SQSConsumerError``, ``MessageHandlersError``) for bad configuration, and
    /// what `overrides` throws.
    public func makeGraph(arguments: [String], environment: [String: String],
                          overrides: (Graph) throws -> Void = { _ in }) throws -> Graph {
        try makeGraph(try ConsumerDaemonOptions.parse(arguments, command: name, summary: summary ?? ""), environment: environment,
                      overrides: overrides)
    }

    func makeGraph(_ options: ConsumerDaemonOptions, environment: [String: String],
                   overrides: (Graph) throws -> Void = { _ in }) throws -> Graph {
        let graph = try createGraph(options, environment: environment)
        try overrides(graph)
        let consumer = try graph.sqsConsumer
        if case .unconfigured = consumer.source.kind { throw SQSConsumerError.noQueueURL }
        var keys = [BindingKey.consumerDaemon.name, BindingKey.sqsMessageDispatcher.name, BindingKey.pubsubClock.name,
                    BindingKey.pubsubIOExecutor.name, BindingKey.awsUsageMeter.name]
        if try Self.hasTopics(graph.config) { keys.append(BindingKey.snsProducer.name) }
        try graph.use(keys + components)
        graph.lock()
        return graph
    }

    /// The daemon's graph for `options`, its configuration read and its handlers assigned; nothing
    /// created yet, not locked (operator tools create what they need).
    func createGraph(_ options: ConsumerDaemonOptions, environment: [String: String]) throws -> Graph {
        var loader = ConfigLoader.standard(environment: environment)
        if options.testing {
            // A testing daemon runs on its own: without a source, it reads a queue named after it, in
            // the region and account of its topics (as its broker has them).
            let queueName = ConsumerDaemonQueue.name(for: name)
            loader = .twoStage(loader, origin: ConfigOrigin("--testing")) { _, config in
                let topology = EmbeddedTopology(config)
                let queueURL = "memory://sqs.\(topology.region ?? "us-east-1")/\(topology.accountId ?? "123456789012")/\(queueName)"
                return ["sqs_consumer": ["sqs_queue_url": .string(queueURL)]]
            }
        }
        let metadata = Metadata(name: name, debug: options.debug, testing: options.testing, description: summary)
        let graph = try Graph(metadata: metadata, registry: registry, loader: loader, config: options.config)
        graph.assign(.sqsMessageHandlers, handlers)
        return graph
    }

    /// True when `sns_topic_arns` names any topic, so the daemon may produce.
    private static func hasTopics(_ config: Configuration) throws -> Bool {
        func names(_ value: JSONValue) -> Bool {
            switch value {
            case .string(let text): return !text.isEmpty
            case .object(let members): return members.contains { names($0.value) }
            case .array(let elements): return elements.contains(where: names)
            default: return false
            }
        }
        return names(.object(try config.section("sns_topic_arns").values))
    }

    private func serve(_ graph: Graph, lambdaMode: Bool, shutdown: ConsumerDaemonShutdown, output: (String) -> Void,
                       errorOutput: (String) -> Void) async -> Int32 {
        let started: StartedConsumerDaemon
        do {
            guard let value = try await StartedConsumerDaemon.startUp(self, graph: graph, shutdown: shutdown) else {
                graph.logger.info("Stopped daemon \(name) before it started")
                return 0
            }
            started = value
        } catch {
            if error.status == UsageError.exitStatus {
                errorOutput("\(name): \(error.underlying)")
            } else {
                graph.logger.error("cannot start daemon \(name): \(error.underlying)")
            }
            return error.status
        }
        shutdown.onTrigger { started.drain() }
        let ended = await started.runToEnd(self)
        if lambdaMode { output(LambdaBatchResponse(report: ended.report).json) }
        if ended.shutdownError != nil { return 1 }
        if case .sourceFailed = ended.report.ending { return 1 }
        return 0
    }
}

/// Where a daemon's entry point writes.
public enum ConsumerDaemonOutput {
    /// Writes `text` and a newline to standard output, at once.
    public static func standardOutput(_ text: String) {
        writeAll(1, text + "\n")
    }

    /// Writes `text` and a newline to standard error.
    public static func standardError(_ text: String) {
        writeAll(2, text + "\n")
    }
}
