import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

extension ServiceTool {
    /// `topology plan` / `topology apply`: compares the topics, queues, subscriptions and policies
    /// the service needs with what exists, or makes them exist (see ``TopologyCommand``).
    public static let topology = ServiceTool(name: "topology",
                                             summary: "Plan or apply the topics, queues, subscriptions and policies the service needs.") {
        await TopologyCommand.main($0)
    }
}

/// `<daemon> topology plan|apply [--json] [--endpoint-url URL] [--region NAME] [--sqs-queue-url URL] [--envelope NAME]`.
///
/// Reads the service's configuration as its daemon does (settings file, environment, then these
/// flags, which set the daemon's config keys), computes its ``Topology`` from it and the media
/// types it handles, and prints one line per resource (`create`, `change`, `fine`) and notes;
/// `--json` prints ``TopologyPlan/json(service:queueURL:)`` instead.
///
/// Exit status: `plan` 0 when everything exists as needed, 2 when something differs; `apply` 0
/// when it made everything as needed; 1 when SNS or SQS failed; 64 for a usage or configuration error.
public enum TopologyCommand {
    /// The exit status of a plan that found differences.
    public static let differencesExitStatus: Int32 = 2

    static func commandLineInterface(command: String) -> CommandLineInterface {
        CommandLineInterface(command: command, summary: """
            plan: compare the topics, queue, dead-letter queue, RedrivePolicy, queue policy and subscriptions the service \
            needs (from its configuration and handlers) with what exists; one line per resource (create, change, fine).
            apply: create or change what differs; never deletes anything. Running it again changes nothing.
            exit status: 0 nothing differs (plan) or all done (apply); 2 plan found differences; 1 SNS or SQS failed; \
            64 usage or configuration error.
            """, options: [
                .flag("--json", "print the plan as one JSON document"),
                .value("--endpoint-url", "URL", "the SQS and SNS endpoint (moto, LocalStack, memory://) "
                           + "[sqs_consumer.endpoint_url, sns_producer.endpoint_url]"),
                .value("--region", "NAME", "the AWS region [sqs_consumer.region_name, sns_producer.region_name]"),
                .value("--sqs-queue-url", "URL", "the service's queue [sqs_consumer.sqs_queue_url]"),
                .value("--envelope", "NAME", "how the service reads bodies: " + SQSEnvelope.strategyNames.joined(separator: ", ")
                           + " [sqs_envelope.strategy_name]"),
            ])
    }

    /// Runs the command; returns its exit status.
    public static func main(_ invocation: ServiceToolInvocation) async -> Int32 {
        let command = invocation.command
        let cli = commandLineInterface(command: command)
        var arguments = invocation.arguments
        let subcommand = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
        if subcommand != nil { arguments.removeFirst() }
        let parsed: ParsedArguments
        var config = Configuration()
        do {
            parsed = try cli.parse(arguments)
            if parsed.wantsHelp {   // usage: <command> plan|apply [--json] ...
                invocation.output(commandLineInterface(command: command + " plan|apply").help)
                return 0
            }
            guard let subcommand else { throw UsageError(command: command, message: "needs plan or apply") }
            guard subcommand == "plan" || subcommand == "apply" else {
                throw UsageError(command: command, message: "unknown command '\(subcommand)': plan or apply")
            }
            func set(_ value: String, _ keys: String...) {
                for key in keys { config.setValue(.string(value), at: ConfigKeyPath(dotted: key)) }
            }
            if let endpoint = try parsed.endpointURL("--endpoint-url") { set(endpoint, "sqs_consumer.endpoint_url", "sns_producer.endpoint_url") }
            if let region = try parsed.region("--region") { set(region, "sqs_consumer.region_name", "sns_producer.region_name") }
            if let url = parsed["--sqs-queue-url"] { set(url, "sqs_consumer.sqs_queue_url") }
            if let envelope = parsed["--envelope"] {
                guard SQSEnvelope.strategyNames.contains(envelope) else {
                    throw UsageError(command: command, message: "--envelope must be one of \(SQSEnvelope.strategyNames.joined(separator: ", ")), "
                                         + "got '\(envelope)'")
                }
                set(envelope, "sqs_envelope.strategy_name")
            }
        } catch {
            invocation.errorOutput("\(error)")
            return UsageError.exitStatus
        }
        let apply = subcommand == "apply"
        let daemon = invocation.daemon
        let planner: TopologyPlanner
        do {
            var options = ConsumerDaemonOptions()
            options.config = config.values
            let graph = try daemon.createGraph(options, environment: invocation.environment)
            try await invocation.prepareGraph(graph)
            let topology = Topology(settings: try TopologySettings(config: graph.config), handling: daemon.handlers.mediaTypes)
            planner = TopologyPlanner(topology, sns: try graph.snsClient, sqs: try graph.sqsClient)
        } catch {
            invocation.errorOutput("\(command): \(error)")
            return UsageError.exitStatus
        }
        let json = parsed.flag("--json")
        let plan: TopologyPlan
        do {
            if apply {
                // Each line as it is done: a failure shows how far the apply got.
                let output = invocation.output
                plan = try await planner.apply { change in if !json { output(change.line(applied: true)) } }
            } else {
                plan = try await planner.plan()
            }
        } catch {
            invocation.errorOutput("\(command): \(error)")
            return 1
        }
        if json {
            invocation.output(plan.json(service: daemon.name, queueURL: planner.topology.queueURL))
        } else {
            (apply ? plan.notes.map { "note: \($0)" } : plan.lines).forEach(invocation.output)
        }
        return apply || plan.differences.isEmpty ? 0 : differencesExitStatus
    }
}
