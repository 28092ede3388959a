#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A command's options, their help text, and a parser for `--name value`, `--name=value` and flags.
///
/// ```swift
/// let cli = CommandLineInterface(command: "sqs-consume", summary: "Consume one batch of messages.", options: [
///     .value("--queue-url", "URL", "the queue to read", required: true),
///     .flag("--nack", "change visibility instead of deleting"),
///     .value("--limit", "N", "messages to receive (1-10)", default: "10"),
/// ])
/// let arguments = try cli.parse(Array(CommandLine.arguments.dropFirst()))
/// if arguments.wantsHelp { print(cli.help); return 0 }
/// let limit = try arguments.int("--limit", in: 1...10)
/// ```
public struct CommandLineInterface: Sendable {
    /// One option.
    public struct Option: Sendable {
        public let name: String
        /// The placeholder in help (`URL`); nil for flags.
        public let valueName: String?
        public let help: String
        public let isRequired: Bool
        public let defaultValue: String?
        /// May be given more than once (values are collected in order).
        public let isRepeatable: Bool

        /// An option that takes a value.
        public static func value(_ name: String, _ valueName: String, _ help: String, required: Bool = false,
                                 default defaultValue: String? = nil, repeatable: Bool = false) -> Option {
            Option(name: name, valueName: valueName, help: help, isRequired: required, defaultValue: defaultValue,
                   isRepeatable: repeatable)
        }

        /// A flag (no value).
        public static func flag(_ name: String, _ help: String) -> Option {
            Option(name: name, valueName: nil, help: help, isRequired: false, defaultValue: nil, isRepeatable: false)
        }
    }

    public let command: String
    public let summary: String
    public let options: [Option]

    public init(command: String, summary: String, options: [Option]) {
        self.command = command
        self.summary = summary
        self.options = options
    }

    /// Parses `arguments` (without the program name). `--help`/`-h` anywhere makes
    /// ``ParsedArguments/wantsHelp`` true and skips the required-option checks.
    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var wantsHelp = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" {
                wantsHelp = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                if argument.hasPrefix("-") { throw usage("unknown option '\(name)'") }
                throw usage("unexpected argument '\(argument)'")
            }
            if option.valueName == nil {
                if inlineValue != nil { throw usage("\(name) takes no value") }
                flags.insert(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count, !(arguments[index].hasPrefix("--") && arguments[index].count > 2) else {
                    throw usage("\(name) needs a value (\(option.valueName!))")
                }
                value = arguments[index]
                index += 1
            }
            if values[name] != nil, !option.isRepeatable { throw usage("\(name) is given twice") }
            values[name, default: []].append(value)
        }
        if !wantsHelp, let missing = options.first(where: { $0.isRequired && values[$0.name] == nil }) {
            throw usage("\(missing.name) is required")
        }
        for option in options where values[option.name] == nil {
            if let defaultValue = option.defaultValue { values[option.name] = [defaultValue] }
        }
        return ParsedArguments(command: command, values: values, flags: flags, wantsHelp: wantsHelp)
    }

    /// The help text: usage line, summary (when there is one), and one line per option.
    public var help: String {
        let usageLine = "usage: \(command)" + options.map { option -> String in
            let text = option.valueName.map { "\(option.name) \($0)" } ?? option.name
            return " " + (option.isRequired ? text : "[\(text)]")
        }.joined()
        let width = options.map { option in option.name.count + (option.valueName.map { $0.count + 1 } ?? 0) }.max() ?? 0
        let lines = options.map { option -> String in
            let left = option.valueName.map { "\(option.name) \($0)" } ?? option.name
            var line = "  " + left + String(repeating: " ", count: width - left.count + 2) + option.help
            if let defaultValue = option.defaultValue { line += " (default \(defaultValue))" }
            if option.isRepeatable { line += " (repeatable)" }
            return line
        }
        let summary = summary.trimmingWhitespace()
        return ([usageLine, ""] + (summary.isEmpty ? [] : [summary, ""]) + ["options:"] + lines + ["  --help" + String(repeating: " ", count: max(0, width - 6) + 2) + "show this help"])
            .joined(separator: "\n")
    }

    private func usage(_ message: String) -> UsageError {
        UsageError(command: command, message: message)
    }
}

/// What ``CommandLineInterface/parse(_:)`` found.
public struct ParsedArguments: Sendable {
    /// The command the arguments are for (`sqs-consume`), for error lines.
    public let command: String
    let values: [String: [String]]
    let flags: Set<String>
    /// `--help` or `-h` was given.
    public let wantsHelp: Bool

    /// The value of `name` (its default when not given), or nil.
    public subscript(name: String) -> String? { values[name]?.last }

    /// Every value given for a repeatable option, in order.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// True when the flag `name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The value of `name` as a whole number within `range`, or nil when absent.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(UsageError) -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(command: command, message: "\(name) needs a whole number"
                                 + (range == Int.min...Int.max ? "" : " from \(range.lowerBound) to \(range.upperBound)")
                                 + ", got '\(text)'")
        }
        return value
    }

    /// The value of `name` as a number within `range`, or nil when absent.
    public func double(_ name: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        throws(UsageError) -> Double? {
        guard let text = self[name] else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw UsageError(command: command, message: "\(name) needs a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }
}

/// A command line that cannot be run; exit status 64 (EX_USAGE, as swift-argument-parser and
/// sysexits.h use it) with ``description`` as the one line.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public let command: String
    public let message: String

    public init(command: String, message: String) {
        self.command = command
        self.message = message
    }

    /// The exit status for usage errors (sysexits.h EX_USAGE).
    public static let exitStatus: Int32 = 64

    /// `sqs-consume: --queue-url is required (see --help)`
    public var description: String { "\(command): \(message) (see --help)" }
}
