import Microcosm
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// `pubsub <tool> [--service NAME] [--handles MEDIA_TYPE]... <tool's arguments>`: a ``ServiceTool``
/// for a service described on the command line. `--service` names its configuration
/// (`<NAME>__SETTINGS`, `<NAME>__...`; default `pubsub`), each `--handles` a media type it consumes.
/// A service's own daemon runs the same command with its real handlers: `orders-daemon topology plan`.
public enum ServiceToolCommand {
    /// The options `pubsub` reads before handing the rest to the tool.
    static let serviceOptions = """
        service options (pubsub only; a service's daemon knows its own):
          --service NAME        the service whose configuration is read (<NAME>__SETTINGS, <NAME>__...) [default: pubsub]
          --handles MEDIA_TYPE  a media type the service consumes (repeat for each)
        """

    /// Runs `tool` for the service the arguments describe; returns the exit status.
    public static func main(_ tool: ServiceTool, arguments: [String], context: CommandContext) async -> Int32 {
        let command = "pubsub \(tool.name)"
        var service = "pubsub"
        var mediaTypes: [MediaType] = []
        var rest: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let (name, inline) = split(argument)
            guard name == "--service" || name == "--handles" else {
                rest.append(argument)
                index += 1
                continue
            }
            let value: String
            if let inline {
                value = inline
                index += 1
            } else if index + 1 < arguments.endIndex {
                value = arguments[index + 1]
                index += 2
            } else {
                context.output.standardError(UsageError(command: command, message: "\(name) needs a value").description)
                return UsageError.exitStatus
            }
            guard !value.isEmpty else {
                context.output.standardError(UsageError(command: command, message: "\(name) needs a non-empty value").description)
                return UsageError.exitStatus
            }
            if name == "--service" { service = value } else { mediaTypes.append(MediaType(value)) }
        }
        let output = context.output
        let invocation = ServiceToolInvocation(
            command: command, arguments: rest, daemon: DescribedService(name: service, mediaTypes: mediaTypes),
            environment: context.environment,
            output: { text in
                output.standardOutput(text)
                if text.hasPrefix("usage: ") { output.standardOutput("\n" + serviceOptions) }
            },
            errorOutput: output.standardError, prepareGraph: context.prepareGraph)
        return await tool.main(invocation)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
