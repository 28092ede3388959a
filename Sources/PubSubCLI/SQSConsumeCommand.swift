import Microcosm
import MicrocosmPubSub

/// `sqs-consume`: receives one batch from an SQS queue, prints a line per message and acks each
/// (or, with `--nack`, makes it visible again after `--nack-timeout` seconds).
///
/// ```
/// $ sqs-consume --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/events
/// 5fea7756-...  7f1c4a9e-...  application/vnd.globality.pubsub._.created.simple_message  1  {"mediaType":...,"message":"hello","timestamp":1700000000.25}
/// ```
///
/// Lines are ``ConsumedMessageLine``s. A message that cannot be read is printed with its error and
/// acknowledged like the others (this is a tool for looking at and draining queues; a daemon
/// leaves such messages for the dead-letter queue). The graph is a microcosm service's named
/// `pubsub`: the `PUBSUB__SETTINGS` file and `PUBSUB__...` variables configure it, the flags go on
/// top. Exit status: 0, 64 for a usage or configuration error (found before any request), 1 for
/// anything else (AWS, network, credentials), with one line on standard error.
public enum SQSConsumeCommand {
    /// The options and their help.
    public static let interface = makeInterface(command: "sqs-consume")

    /// The options and their help for the command named `command` (`sqs-consume`, `pubsub consume`).
    package static func makeInterface(command: String) -> CommandLineInterface {
        CommandLineInterface(
            command: command,
            summary: "Receive one batch of messages from an SQS queue; print each and ack it (or nack it).",
            options: [
                .value("--queue-url", "URL", "the queue to receive from (sqs_consumer.sqs_queue_url: also STDIN, or a file of JSON lines)",
                       required: true),
                .flag("--nack", "nack instead of ack: the messages come back after --nack-timeout seconds"),
                .value("--nack-timeout", "S", "with --nack, the visibility timeout in seconds, 0 to 43200 "
                           + "(default \(SQSConsumeOptions.defaultNackTimeout))"),
                .value("--limit", "N", "the most messages to receive, 1 to 10 (sqs_consumer.limit, default 10)"),
                .value("--wait-seconds", "S", "how long to wait for a first message, 0 to 20 (sqs_consumer.wait_seconds, default 1)"),
                .value("--envelope", "NAME", "how bodies are read: " + SQSEnvelope.strategyNames.joined(separator: ", ")
                           + " (sqs_envelope.strategy_name, default CodecSQSEnvelope)"),
                .value("--endpoint-url", "URL", "the SQS endpoint (sqs_consumer.endpoint_url; memory:// for the in-memory broker)"),
                .value("--region", "REGION", "the AWS region (sqs_consumer.region_name)"),
                .value("--profile", "PROFILE", "the AWS profile (sqs_consumer.profile_name)"),
            ])
    }

    /// The help: the options, then the output and where configuration comes from.
    public static var help: String { help(interface) }

    private static func help(_ interface: CommandLineInterface) -> String {
        interface.help + """


        Output: one line per message, tab-separated:
          SQS_MESSAGE_ID SNS_MESSAGE_ID MEDIA_TYPE RECEIVE_COUNT CONTENT
        SNS_MESSAGE_ID is the id sns-produce printed ('-' when the body is not an SNS notification);
        MEDIA_TYPE is '-' when the body names none; CONTENT is the message as compact JSON, or
        'error: ' and why it could not be read. Unreadable messages are acked (or nacked) too.

        Configuration: the JSON file named by PUBSUB__SETTINGS, then PUBSUB__<SECTION>__<KEY>
        variables (PUBSUB__SQS_CONSUMER__LIMIT, PUBSUB__SQS_ENVELOPE__VALIDATE_MD5, ...), then these
        options. AWS credentials come from the environment, the shared files or the instance, as for
        the AWS CLI.

        Exit status: 0 when the batch (possibly empty) was printed and acknowledged; 64 for a usage
        or configuration error (found before any request); 1 otherwise (AWS, network or
        credentials error), with one line on standard error.
        """
    }

    /// Runs `sqs-consume` with `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .standard) async -> Int32 {
        await main(arguments, context: context, command: interface.command)
    }

    /// Runs the command as `command` (`pubsub consume`): its name in help and error lines.
    package static func main(_ arguments: [String], context: CommandContext, command: String) async -> Int32 {
        let interface = makeInterface(command: command)
        return await CommandRun.main(interface, help: help(interface), arguments: arguments, context: context,
                                     initialSubject: "no queue") { parsed, subject in
            let options = try SQSConsumeOptions(parsed)
            subject = "queue '\(options.queueURL)'"
            try await consume(options, context: context)
        }
    }

    private static func consume(_ options: SQSConsumeOptions, context: CommandContext) async throws {
        let graph = try await CommandGraph.make(flags: options.flags, context: context)
        let consumer = try graph.sqsConsumer
        graph.lock()
        for message in try await consumer.consume() {
            context.output.standardOutput(ConsumedMessageLine(message).text)
            if let timeout = options.nackTimeout {
                try await message.nack(visibilityTimeout: timeout)
            } else {
                try await message.ack()
            }
        }
    }
}
