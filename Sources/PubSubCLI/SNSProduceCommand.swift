import Microcosm
import MicrocosmPubSub
import SimpleDaemon

/// `sns-produce`: publishes messages to an SNS topic and prints one message id per line.
///
/// ```
/// $ sns-produce --topic-arn arn:aws:sns:us-east-1:123456789012:events --count 2
/// 7f1c4a9e-2b0d-5d3e-9a51-0c2f8e6b1d44
/// 0b9d3e57-81a2-5c6f-b4e0-3d7a9c2e5f18
/// $ sns-produce --topic-arn "$ARN" --media-type Order --uri http://orders/1     # created.order
/// $ sns-produce --topic-arn "$ARN" --media-type application/vnd.globality.pubsub._.changed.order \
///       --uri http://orders/1 --message '{"field_name": "state", "new_value": "shipped"}'
/// ```
///
/// The graph is a microcosm service's named `pubsub`: the `PUBSUB__SETTINGS` file and
/// `PUBSUB__...` variables configure it, the flags go on top. Exit status: 0, 64 for a usage or
/// configuration error (found before any request), 1 for anything else (AWS, network,
/// credentials), with one line on standard error.
public enum SNSProduceCommand {
    /// The options and their help.
    public static let interface = makeInterface(command: "sns-produce")

    /// The options and their help for the command named `command` (`sns-produce`, `pubsub produce`).
    package static func makeInterface(command: String) -> CommandLineInterface {
        CommandLineInterface(
            command: command,
            summary: "Publish messages to an SNS topic; print each message id on its own line.",
            options: [
                .value("--topic-arn", "ARN", "the topic to publish to", required: true),
                .value("--media-type", "TYPE", "the media type, or a resource name for its created media type "
                           + "(Order: application/vnd.globality.pubsub._.created.order); default: SimpleMessage"),
                .value("--uri", "URI", "the message's uri field (needs --media-type)"),
                .value("--message", "TEXT", "SimpleMessage's text (default '\(SNSProduceOptions.defaultText)'); "
                           + "with --media-type, a JSON object of the message's fields"),
                .value("--count", "N", "how many messages to publish, 1 to \(SNSProduceOptions.maximumCount)", default: "1"),
                .value("--endpoint-url", "URL", "the SNS endpoint (sns_producer.endpoint_url; memory:// for the in-memory broker)"),
                .value("--region", "REGION", "the AWS region (sns_producer.region_name)"),
                .value("--profile", "PROFILE", "the AWS profile (sns_producer.profile_name)"),
            ])
    }

    /// The help: the options, then what is sent and where configuration comes from.
    public static var help: String { help(interface) }

    private static func help(_ interface: CommandLineInterface) -> String {
        interface.help + """


        Without --media-type each message is a SimpleMessage, media type
        \(SimpleMessage.mediaType), with fields
        {"message": TEXT, "timestamp": seconds since the epoch}. A media type that is not
        a created, changed or deleted one is sent with the fields as given.

        Configuration: the JSON file named by PUBSUB__SETTINGS, then PUBSUB__<SECTION>__<KEY>
        variables (PUBSUB__SNS_PRODUCER__ENDPOINT_URL, ...), then these options. AWS credentials
        come from the environment, the shared files or the instance, as for the AWS CLI.

        Exit status: 0 when every message was published; 64 for a usage or configuration
        error (found before any request); 1 otherwise (AWS, network or credentials error),
        with one line on standard error.
        """
    }

    /// Runs `sns-produce` with `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .standard) async -> Int32 {
        await main(arguments, context: context, command: interface.command)
    }

    /// Runs the command as `command` (`pubsub produce`): its name in help and error lines.
    package static func main(_ arguments: [String], context: CommandContext, command: String) async -> Int32 {
        let interface = makeInterface(command: command)
        return await CommandRun.main(interface, help: help(interface), arguments: arguments, context: context,
                                     initialSubject: "no topic") { parsed, subject in
            let options = try SNSProduceOptions(parsed)
            subject = "topic '\(options.topicArn)'"
            try await produce(options, command: command, context: context)
        }
    }

    private static func produce(_ options: SNSProduceOptions, command: String, context: CommandContext) async throws {
        let graph = try await CommandGraph.make(flags: options.flags, context: context)
        if case .fields(let mediaType, _, _) = options.content {
            try registerIfUnknown(mediaType, in: graph.pubsubMessageSchemaRegistry)
        }
        let producer = try graph.snsProducer
        graph.lock()
        guard !producer.skip else {
            context.output.standardError("\(command): sns_producer.skip is set, so nothing was published")
            return
        }
        for _ in 0..<options.count {
            let messageId: String?
            do {
                switch options.content {
                case .simple(let text):
                    messageId = try await producer.produce(SimpleMessage(message: text, timestamp: context.now()))
                case .fields(let mediaType, let fields, let uri):
                    messageId = try await producer.produce(mediaType, fields, uri: uri)
                }
            } catch let error as PubSubMessageError {
                throw UsageError(command: command, message: "\(error) (give the fields with --message or --uri)")
            }
            context.output.standardOutput(messageId ?? "")
        }
    }

    /// Makes a media type that has no schema (not a convention one) known with the dynamic schema,
    /// so its fields are sent as given.
    private static func registerIfUnknown(_ mediaType: MediaType, in registry: PubSubMessageSchemaRegistry) throws {
        do {
            _ = try registry.schema(for: mediaType)
        } catch where error.code == .unregistered {
            try registry.register(.dynamic, for: mediaType)
        }
    }
}
