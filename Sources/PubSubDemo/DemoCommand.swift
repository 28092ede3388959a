import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import PubSubCLI

/// `pubsub demo`: a worker daemon's whole life on the embedded in-memory broker (or on moto or
/// LocalStack with `--endpoint-url`), ending in a table of where every message went.
///
/// ```
/// $ pubsub demo
/// pubsub demo on the embedded in-memory broker (memory://): no AWS, no credentials
/// ...
/// results per media type (application/vnd.globality.pubsub._...):
///
///   media type       messages  received  SUCCEEDED  SKIPPED  IGNORED  EXPIRED  RETRIED  FAILED  in DLQ
///   created.order           6         8          5        0        0        1        0       2       0
///   ...
/// ```
///
/// Exit status: 0 when the queue was drained and every message was deleted once or is in the
/// dead-letter queue; 64 for a usage or configuration error (found before any request); 1 otherwise
/// (AWS, network, credentials, a message not accounted for), with one line on standard error.
public enum DemoCommand {
    /// The options and their help.
    public static let interface = CommandLineInterface(
        command: "pubsub demo",
        summary: "Run a worker daemon on the embedded in-memory broker (no AWS, no credentials) and show where every message ended.",
        options: [
            .value("--endpoint-url", "URL", "run against this SNS/SQS endpoint instead (moto, LocalStack; memory:// is the embedded broker)",
                   default: Registry.memoryEndpoint),
            .value("--region", "REGION", "the AWS region with --endpoint-url (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1)"),
            .value("--concurrency", "N", "messages the daemon loop handles at once, 1 to 100", default: "8"),
            .value("--timeout", "S", "give up when the queue is not drained after S seconds", default: "60"),
            .flag("--verbose", "log each message's result (info) on standard error"),
        ])

    /// The help: the options, then what the demo does.
    public static var help: String {
        interface.help + """


        The demo creates a topic, a queue whose RedrivePolicy sends a message to a dead-letter
        queue after \(DemoResources.maxReceiveCount) receives, and the subscription between them. It publishes created,
        changed and deleted orders and created invoices through the producer: some handlers
        succeed, two fail twice before succeeding (FAILED, then SUCCEEDED on a later receive),
        one asks to be retried (RETRIED), two skip, invoices have no handler (IGNORED), one
        message arrives with its TTL spent (EXPIRED). One body that is not JSON goes straight
        to the queue and fails until SQS moves it to the dead-letter queue. The daemon's loop
        runs until the queue is drained; the demo then prints the results per media type and
        what is in the dead-letter queue. Retries come back after \(DemoScenario.retrySeconds) s, so it takes a few seconds.

        With --endpoint-url the resources get unique names and are deleted at the end; AWS
        credentials come from the usual places (moto and LocalStack accept any, e.g.
        AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test).

        Exit status: 0 when every message was deleted once or is in the dead-letter queue;
        64 for a usage or configuration error; 1 otherwise (AWS, network, credentials),
        with one line on standard error.
        """
    }

    /// Runs `pubsub demo` with `arguments` (after `demo`); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .standard) async -> Int32 {
        let options: DemoOptions
        do {
            let parsed = try interface.parse(arguments)
            if parsed.wantsHelp {
                context.output.standardOutput(help)
                return 0
            }
            options = try DemoOptions(parsed, environment: context.environment)
        } catch {
            context.output.standardError(error.description)
            return UsageError.exitStatus
        }
        let report: DemoReport
        do {
            report = try await Demo(options: options, progress: context.output.standardOutput, prepareGraph: context.prepareGraph).run()
        } catch {
            let cause = cause(of: error)
            let hint = cause is CredentialError ? " (moto and LocalStack accept any: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test)" : ""
            context.output.standardError("\(interface.command): \(cause)\(hint)")
            return cause is ConfigurationError || cause is AWSConfigError ? UsageError.exitStatus : 1
        }
        context.output.standardOutput("")
        for line in report.lines { context.output.standardOutput(line) }
        guard report.everyMessageAccountedFor else {
            let missing = report.rows.filter { !$0.isAccountedFor }.map { DemoReport.shortName($0.mediaType) }
            context.output.standardError("\(interface.command): " + (report.drained ? "" : "the queue was not drained; ")
                                         + (missing.isEmpty ? "" : "not every message accounted for: " + missing.joined(separator: ", ")))
            return 1
        }
        return 0
    }

    /// The error `error` reports: what a graph factory threw.
    static func cause(of error: any Error) -> any Error {
        if let graphError = error as? GraphError, let underlying = graphError.underlying { return cause(of: underlying) }
        return error
    }
}
