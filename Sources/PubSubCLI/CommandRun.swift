import Microcosm

/// The shape every command's `main` shares: parse, answer `--help`, run, and turn any error into
/// its exit status and one line on standard error.
enum CommandRun {
    /// Runs `body` with the parsed arguments; `subject` (what the command works on, for error
    /// lines) starts as `initialSubject` and `body` may refine it once it knows more.
    static func main(_ interface: CommandLineInterface, help: String, arguments: [String], context: CommandContext,
                     initialSubject: String,
                     body: (ParsedArguments, inout String) async throws -> Void) async -> Int32 {
        var subject = initialSubject
        do {
            let parsed = try interface.parse(arguments)
            if parsed.wantsHelp {
                context.output.standardOutput(help)
                return 0
            }
            try await body(parsed, &subject)
            return 0
        } catch {
            let failure = CommandFailure(error, command: interface.command, subject: subject)
            context.output.standardError(failure.line)
            return failure.status
        }
    }
}
