/// What a command did: its exit status and what it wrote, in process or as a child process.
struct CommandResult: Sendable, CustomStringConvertible {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Standard output's lines (without the final newline's empty line).
    var outputLines: [String] { CommandResult.lines(standardOutput) }
    /// Standard error's lines.
    var errorLines: [String] { CommandResult.lines(standardError) }

    /// Each line's tab-separated columns (`sqs-consume`'s output).
    var outputColumns: [[String]] { outputLines.map { $0.components(separatedBy: "\t") } }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var description: String { "exit \(status)\n--- stdout\n\(standardOutput)--- stderr\n\(standardError)" }
}
