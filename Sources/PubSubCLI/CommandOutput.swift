import Foundation

/// Where a command writes: results to standard output, problems to standard error.
///
/// Each call is a whole line without its newline (the help is one call of several lines), and the
/// commands write nothing else, so a test can run a command in process and read exactly what a
/// user would see:
///
/// ```swift
/// let lines = Mutex<[String]>([])
/// let output = CommandOutput(standardOutput: { line in lines.withLock { $0.append(line) } },
///                            standardError: { line in lines.withLock { $0.append("error: " + line) } })
/// let status = await SNSProduceCommand.main(["--help"], context: CommandContext(output: output))
/// ```
public struct CommandOutput: Sendable {
    /// Writes one line of results (or the help).
    public var standardOutput: @Sendable (String) -> Void
    /// Writes one line about a problem.
    public var standardError: @Sendable (String) -> Void

    /// An output writing lines to the two closures.
    public init(standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// The process's standard output and standard error, each line written as it comes (unbuffered,
    /// so a consumer's lines show while it runs and nothing is lost at `exit`).
    public static let standard = CommandOutput(standardOutput: { line in write(line, to: .standardOutput) },
                                               standardError: { line in write(line, to: .standardError) })

    private static func write(_ line: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }
}
