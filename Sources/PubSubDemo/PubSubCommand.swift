import Microcosm
import MicrocosmPubSubDaemon
import PubSubCLI

/// `pubsub <command> [options]`: the library's tool, one command per task, as microcosm-pubsub's
/// `pubsub write|read`.
///
/// | command | what it does | the same as |
/// |---|---|---|
/// | `pubsub produce` | publish messages to an SNS topic | `sns-produce` |
/// | `pubsub consume` | receive one batch from an SQS queue, print it, ack or nack it | `sqs-consume` |
/// | `pubsub demo` | a worker daemon on the embedded in-memory broker | |
///
/// `produce` and `consume` take the same options and exit with the same statuses as `sns-produce`
/// and `sqs-consume`; their help and error lines name them `pubsub produce` and `pubsub consume`.
///
/// ```swift
/// // Sources/pubsub/main.swift
/// exit(await PubSubCommand.main(Array(CommandLine.arguments.dropFirst())))
/// ```
public enum PubSubCommand {
    /// One command: its name, a one-line summary and how it runs (given the arguments after its name).
    struct Command: Sendable {
        var name: String
        var summary: String
        var main: @Sendable ([String], CommandContext) async -> Int32
    }

    /// The commands, in the order help lists them. A new command is one more entry.
    static let commands: [Command] = [
        Command(name: "produce", summary: SNSProduceCommand.interface.summary) { arguments, context in
            await SNSProduceCommand.main(arguments, context: context, command: "pubsub produce")
        },
        Command(name: "consume", summary: SQSConsumeCommand.interface.summary) { arguments, context in
            await SQSConsumeCommand.main(arguments, context: context, command: "pubsub consume")
        },
        Command(name: "demo", summary: DemoCommand.interface.summary) { arguments, context in
            await DemoCommand.main(arguments, context: context)
        },
    ] + ServiceTools.all.map { tool in
        Command(name: tool.name, summary: tool.summary) { arguments, context in
            await ServiceToolCommand.main(tool, arguments: arguments, context: context)
        }
    }

    /// `usage: pubsub <command> ...` and the commands.
    public static var help: String {
        let width = commands.map(\.name.count).max() ?? 0
        return (["usage: pubsub <command> [options]", "", "commands:"]
                + commands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
                + ["", "`pubsub <command> --help` describes a command."]).joined(separator: "\n")
    }

    /// Runs `pubsub` with `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .standard) async -> Int32 {
        guard let name = arguments.first else {
            context.output.standardError("pubsub: a command is required (see --help)")
            return UsageError.exitStatus
        }
        if let command = commands.first(where: { $0.name == name }) {
            return await command.main(Array(arguments.dropFirst()), context)
        }
        switch name {
        case "--help", "-h", "help":
            context.output.standardOutput(help)
            return 0
        default:
            let names = commands.map(\.name).joined(separator: ", ")
            context.output.standardError("pubsub: unknown command '\(name)'; the commands are \(names) (see --help)")
            return UsageError.exitStatus
        }
    }
}
