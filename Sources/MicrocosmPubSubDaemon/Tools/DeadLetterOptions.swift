import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// The command line of `dlq inspect` and `dlq replay`: their own options and the daemon's flags
/// that say where SQS is and how bodies are read (the same keys, so the same configuration).
struct DeadLetterOptions: Sendable {
    enum Action: String, Sendable, CaseIterable {
        case inspect, replay
    }

    var action: Action
    /// `--dlq-url`: the dead-letter queue; nil: the service queue's RedrivePolicy target.
    var deadLetterQueueURL: String?
    /// `--from`: a file of JSON lines to dry-run instead of the queue.
    var file: String?
    /// `--to`: the queue to move messages to; nil: the service's queue.
    var destinationURL: String?
    var dryRun = false
    /// `--max`: at most this many messages; nil: all.
    var max: Int?
    /// `--media-type`: only messages of these media types; empty: all.
    var mediaTypes: [MediaType] = []
    /// `--allow-further-redrive`: read a dead-letter queue that has a RedrivePolicy of its own.
    var allowsFurtherRedrive = false
    /// The daemon's flags, read as the daemon reads them.
    var daemon = ConsumerDaemonOptions()
    var wantsHelp = false

    /// The daemon's flags the tool takes.
    static let daemonFlags = ["--sqs-queue-url", "--envelope", "--endpoint-url", "--region", "--log-level", "--testing"]

    /// How many messages `inspect` looks at without `--max`.
    static let defaultInspectMax = 100

    static func summary(of action: Action) -> String {
        switch action {
        case .inspect:
            return "Show what a dead-letter queue holds and why each message fails today: each message is received "
                + "once, with a short visibility timeout, and handed back (nothing is deleted)."
        case .replay:
            return "Move a dead-letter queue's messages back to the service's queue (SQS's message move task where the "
                + "endpoint has it, else receive, send, delete: a message is deleted only once it was sent). With "
                + "--dry-run, only say what would happen to each message."
        }
    }

    static func commandLineInterface(_ action: Action, command: String) -> CommandLineInterface {
        var options: [CommandLineInterface.Option] = [
            .value("--dlq-url", "URL", "the dead-letter queue (default: the target of the service queue's RedrivePolicy)"),
        ]
        if action == .replay {
            options += [
                .flag("--dry-run", "say what would happen to each message; move nothing, call no handler, publish nothing"),
                .value("--from", "FILE", "with --dry-run: read the messages from a file of JSON lines (what the daemon's "
                           + "--sqs-queue-url FILE replays) instead of the queue"),
                .value("--to", "URL", "the queue to move messages to (default: the service's queue)"),
            ]
        }
        options += [
            .value("--max", "N", action == .inspect ? "look at N messages at most (default \(defaultInspectMax))"
                       : "move N messages at most (default: all; moves by receive, send, delete)"),
            .value("--media-type", "TYPE", "only messages of this media type" + (action == .replay ? " (moves by receive, send, delete)" : ""),
                   repeatable: true),
            .flag("--allow-further-redrive", "read a dead-letter queue that has a RedrivePolicy of its own (each read "
                      + "counts as a receive there and brings messages closer to its own dead-letter queue)"),
        ]
        let daemon = ConsumerDaemonOptions.commandLineInterface(command: command, summary: "").options
        options += daemonFlags.compactMap { flag in daemon.first { $0.name == flag } }
        return CommandLineInterface(command: "\(command) \(action.rawValue)", summary: summary(of: action), options: options)
    }

    /// The tool's help: its actions.
    static func help(command: String) -> String {
        """
        usage: \(command) inspect|replay [options]

        Look into a service's dead-letter queue and move its messages back.

        actions (`\(command) <action> --help` describes one):
          inspect  counts by media type, receive counts, ages, and why each message fails today; nothing is consumed
          replay   move the messages back to the service's queue; --dry-run says what would happen to each
        """
    }

    /// Reads `arguments` (the action first).
    static func parse(_ arguments: [String], command: String) throws(UsageError) -> DeadLetterOptions {
        guard let first = arguments.first else { throw UsageError(command: command, message: "needs an action: inspect or replay") }
        guard let action = Action(rawValue: first) else {
            if first == "--help" || first == "-h" {
                var options = DeadLetterOptions(action: .inspect)
                options.wantsHelp = true
                return options
            }
            throw UsageError(command: command, message: "unknown action '\(first)' (inspect or replay)")
        }
        let cli = commandLineInterface(action, command: command)
        let parsed = try cli.parse(Array(arguments.dropFirst()))
        var options = DeadLetterOptions(action: action)
        options.wantsHelp = parsed.wantsHelp
        guard !parsed.wantsHelp else { return options }
        func usage(_ message: String) -> UsageError { UsageError(command: cli.command, message: message) }

        options.deadLetterQueueURL = try parsed.queueURL("--dlq-url")
        options.destinationURL = try parsed.queueURL("--to")
        for (name, url) in [("--dlq-url", options.deadLetterQueueURL), ("--to", options.destinationURL)] {
            if let url, !url.contains("://") { throw usage("\(name) needs an SQS queue URL, got '\(url)'") }
        }
        options.file = parsed["--from"]
        options.dryRun = parsed.flag("--dry-run")
        if let file = options.file {
            guard options.dryRun else { throw usage("--from needs --dry-run (a file's messages are never sent anywhere)") }
            guard options.deadLetterQueueURL == nil else { throw usage("--from and --dlq-url exclude each other") }
            if file == MessageSource.standardInputName || (file.contains("://") && !file.hasPrefix("file://")) {
                throw usage("--from needs a file of JSON lines, got '\(file)'")
            }
            if let problem = MessageSource.problem(withQueueURL: file) { throw usage("--from: \(problem)") }
        }
        options.max = try parsed.int("--max", in: 1...1_000_000) ?? (action == .inspect ? defaultInspectMax : nil)
        options.mediaTypes = parsed.all("--media-type").map { MediaType($0) }
        if options.mediaTypes.contains(where: { $0.rawValue.isEmpty }) { throw usage("--media-type needs a media type") }
        options.allowsFurtherRedrive = parsed.flag("--allow-further-redrive")

        var daemonArguments: [String] = []
        for flag in daemonFlags {
            if parsed.flag(flag) { daemonArguments.append(flag) }
            if let value = parsed[flag] { daemonArguments.append("\(flag)=\(value)") }
        }
        options.daemon = try ConsumerDaemonOptions.parse(daemonArguments, command: cli.command)
        return options
    }
}
