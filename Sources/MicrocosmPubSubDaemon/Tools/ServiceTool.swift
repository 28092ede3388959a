import Microcosm
import MicrocosmPubSub

/// An operator command every service answers besides running: its daemon's binary takes it as
/// the first argument (`orders-daemon topology plan`), reading the service's own configuration,
/// bindings and handlers; `pubsub` takes the same command for a service it is told about
/// (`pubsub topology plan --service orders-daemon --handles application/vnd...`).
///
/// A new command is one ``ServiceTool`` in ``ServiceTools/all``.
public struct ServiceTool: Sendable {
    /// The word that selects it: `topology`.
    public let name: String
    /// One line for the daemon's and `pubsub`'s help.
    public let summary: String
    /// Runs the command; returns the exit status (0, 1 for a failure or a finding, 64 for a usage error).
    public let main: @Sendable (ServiceToolInvocation) async -> Int32

    /// A command named `name`.
    public init(name: String, summary: String, main: @escaping @Sendable (ServiceToolInvocation) async -> Int32) {
        self.name = name
        self.summary = summary
        self.main = main
    }
}

/// What a ``ServiceTool`` runs with: the service, its arguments and where it writes.
public struct ServiceToolInvocation: Sendable {
    /// The command as typed, for usage and error lines: `orders-daemon topology`, `pubsub topology`.
    public var command: String
    /// The arguments after the command's name (`plan`, `--json`, ...).
    public var arguments: [String]
    /// The service: its name (so its `<NAME>__SETTINGS` file and `<NAME>__...` variables), its
    /// bindings and its handlers (so the media types it consumes).
    public var daemon: any ConsumerDaemon
    /// The environment its configuration is read from.
    public var environment: [String: String]
    /// Writes one line (or block) to standard output.
    public var output: @Sendable (String) -> Void
    /// Writes one line to standard error.
    public var errorOutput: @Sendable (String) -> Void
    /// Runs on each graph the command makes before it is used: tests assign a shared in-memory
    /// broker or a stub here.
    public var prepareGraph: @Sendable (Graph) async throws -> Void

    /// An invocation; by default the process's output and no graph preparation.
    public init(command: String, arguments: [String], daemon: any ConsumerDaemon, environment: [String: String],
                output: @escaping @Sendable (String) -> Void = { ConsumerDaemonOutput.standardOutput($0) },
                errorOutput: @escaping @Sendable (String) -> Void = { ConsumerDaemonOutput.standardError($0) },
                prepareGraph: @escaping @Sendable (Graph) async throws -> Void = { _ in }) {
        self.command = command
        self.arguments = arguments
        self.daemon = daemon
        self.environment = environment
        self.output = output
        self.errorOutput = errorOutput
        self.prepareGraph = prepareGraph
    }
}

/// The operator commands, in the order help lists them.
public enum ServiceTools {
    /// Every command.
    public static let all: [ServiceTool] = [
        .topology,
        .schemas,
        .deadLetter,
    ]

    /// The command named `name`, if there is one.
    public static func named(_ name: String) -> ServiceTool? {
        all.first { $0.name == name }
    }

    /// The help lines that list the commands (empty when there are none): `commands:` and one
    /// line each, for `command` (`orders-daemon`, `pubsub`).
    static func helpLines(for command: String) -> [String] {
        guard !all.isEmpty else { return [] }
        let width = all.map(\.name.count).max() ?? 0
        return ["", "commands (`\(command) <command> --help` describes one):"]
            + all.map { "  " + $0.name.padded(toLength: width + 2) + $0.summary }
    }
}

/// A service `pubsub` is told about on its command line: its name (so its configuration) and the
/// media types it handles. Its handlers are never called.
public struct DescribedService: ConsumerDaemon {
    public let name: String
    public let mediaTypes: [MediaType]

    /// The service `name` handling `mediaTypes`.
    public init(name: String, mediaTypes: [MediaType]) {
        self.name = name
        self.mediaTypes = mediaTypes
    }

    public var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        for mediaType in mediaTypes {
            handlers.register(mediaType) { _ in false }
        }
        return handlers
    }
}
