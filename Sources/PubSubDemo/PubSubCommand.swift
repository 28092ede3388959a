import Microcosm
import PubSubCLI

/// `pubsub <command> [options]`: the library's tool; `pubsub demo` is its one command so far.
///
/// ```swift
/// // Sources/pubsub/main.swift
/// exit(await PubSubCommand.main(Array(CommandLine.arguments.dropFirst())))
/// ```
public enum PubSubCommand {
    /// The commands and what each does.
    static let commands: [(name: String, summary: String)] = [
        ("demo", DemoCommand.interface.summary),
    ]

    /// `usage: pubsub <command> ...` and the commands.
    public static var help: String {
        let width = commands.map(\.name.count).max() ?? 0
        return (["usage: pubsub <command> [options]", "", "commands:"]
                + commands.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
                + ["", "`pubsub <command> --help` describes a command."]).joined(separator: "\n")
    }

    /// Runs `pubsub` with `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .standard) async -> Int32 {
        guard let command = arguments.first else {
            context.output.standardError("pubsub: a command is required (see --help)")
            return UsageError.exitStatus
        }
        switch command {
        case "demo":
            return await DemoCommand.main(Array(arguments.dropFirst()), context: context)
        case "--help", "-h", "help":
            context.output.standardOutput(help)
            return 0
        default:
            context.output.standardError("pubsub: unknown command '\(command)' (see --help)")
            return UsageError.exitStatus
        }
    }
}
