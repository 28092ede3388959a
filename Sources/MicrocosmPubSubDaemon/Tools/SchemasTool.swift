#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

extension ServiceTool {
    /// `schemas export` prints the JSON Schema of every media type the service reads or writes as
    /// one document (``PubSubSchemaDocument``); `schemas check FILE` compares them with a committed
    /// document and prints each change, exiting 1 when one is breaking.
    ///
    /// ```
    /// orders-daemon schemas export > schemas.json
    /// orders-daemon schemas check schemas.json     # in CI
    /// ```
    public static let schemas = ServiceTool(
        name: "schemas", summary: "Export the message schemas as JSON Schema, or check them against a committed file."
    ) { invocation in
        await SchemasTool(invocation: invocation).main()
    }
}

/// The `schemas` command.
struct SchemasTool {
    let invocation: ServiceToolInvocation

    private var command: String { invocation.command }

    private var exportInterface: CommandLineInterface {
        CommandLineInterface(command: "\(command) export", summary: """
            Print the JSON Schema (draft 2020-12) of every media type the service reads or writes, as one document
            ({"$schema": ..., "$defs": {"<media type>": {schema}}}) with sorted keys: the same schemas give the same bytes.
            """, options: [Self.testingOption])
    }

    private var checkInterface: CommandLineInterface {
        CommandLineInterface(command: "\(command) check", summary: """
            Compare the service's schemas with FILE (a document `export` wrote) and print one line per change,
            breaking or safe. Exit status: 0 when no change is breaking, 1 when one is, 64 for a usage error,
            an unreadable FILE or bad configuration.
            """, options: [.flag("--json", "print the changes as one JSON document"),
                           .flag("--shared", "FILE holds other services' media types too: compare only the service's own"),
                           Self.testingOption])
    }

    private static let testingOption = CommandLineInterface.Option.flag(
        "--testing", "mock missing required settings, as the daemon's --testing does (for CI without the service's settings)")

    private var help: String {
        """
        usage: \(command) export [--testing]
               \(command) check FILE [--json] [--shared] [--testing]

        Export the service's message schemas as JSON Schema, or check them against a committed file
        (`\(command) <export|check> --help` describes each).
        """
    }

    func main() async -> Int32 {
        let arguments = invocation.arguments
        switch arguments.first {
        case "export"?:
            return await export(Array(arguments.dropFirst()))
        case "check"?:
            return await check(Array(arguments.dropFirst()))
        case "--help"?, "-h"?:
            invocation.output(help)
            return 0
        case let other?:
            return usageError(other.hasPrefix("-") ? "needs export or check before '\(other)'"
                                                   : "unknown subcommand '\(other)' (export or check)")
        case nil:
            return usageError("needs a subcommand: export or check")
        }
    }

    // MARK: Subcommands

    private func export(_ arguments: [String]) async -> Int32 {
        let interface = exportInterface
        let parsed: ParsedArguments
        do {
            parsed = try interface.parse(arguments)
        } catch {
            invocation.errorOutput(error.description)
            return UsageError.exitStatus
        }
        if parsed.wantsHelp {
            invocation.output(interface.help)
            return 0
        }
        guard let document = await document(testing: parsed.flag("--testing")) else { return UsageError.exitStatus }
        invocation.output(String(document.text.dropLast()))
        return 0
    }

    private func check(_ arguments: [String]) async -> Int32 {
        let interface = checkInterface
        let files = arguments.filter { !$0.hasPrefix("-") }
        let parsed: ParsedArguments
        do {
            parsed = try interface.parse(arguments.filter { $0.hasPrefix("-") })
        } catch {
            invocation.errorOutput(error.description)
            return UsageError.exitStatus
        }
        if parsed.wantsHelp {
            invocation.output(interface.help.replacing("usage: \(interface.command)",
                                                                  with: "usage: \(interface.command) FILE"))
            return 0
        }
        guard files.count == 1, let file = files.first else {
            return usageError(files.isEmpty ? "check needs FILE, the committed schema document"
                                            : "check takes one FILE, not \(files.count)")
        }
        var committed: PubSubSchemaDocument
        do {
            committed = try PubSubSchemaDocument(parsing: try SchemasTool.text(ofFile: file))
        } catch let error as PubSubSchemaDocumentError {
            invocation.errorOutput("\(command) check: \(file): \(error)")
            return UsageError.exitStatus
        } catch {
            invocation.errorOutput("\(command) check: cannot read \(file): \(Self.reason(error))")
            return UsageError.exitStatus
        }
        guard let current = await document(testing: parsed.flag("--testing")) else { return UsageError.exitStatus }
        if parsed.flag("--shared") { committed.schemas = committed.schemas.filter { current.schemas[$0.key] != nil } }
        let changes = current.changes(from: committed)
        let breaking = changes.filter { $0.kind == .breaking }.count
        if parsed.flag("--json") {
            let report: JSONValue = ["file": .string(file), "breaking": .int(breaking), "safe": .int(changes.count - breaking),
                                     "changes": .array(changes.map(\.json))]
            invocation.output(JSONSerializer.pythonIndented.string(report))
        } else {
            for change in changes { invocation.output(change.description) }
            invocation.output(changes.isEmpty ? "no changes from \(file)"
                                              : "\(breaking) breaking, \(changes.count - breaking) safe change(s) from \(file)")
        }
        return breaking > 0 ? 1 : 0
    }

    // MARK: The service's schemas

    /// The service's schemas: its graph's registry once the handlers registered theirs (what the
    /// daemon does at start-up), plus the media types `sns_topic_arns` names (what it produces);
    /// nil after printing the error.
    private func document(testing: Bool) async -> PubSubSchemaDocument? {
        let daemon = invocation.daemon
        var document: PubSubSchemaDocument
        let registry: PubSubMessageSchemaRegistry
        let produced: [MediaType]
        do {
            var options = ConsumerDaemonOptions()
            options.testing = testing
            let graph = try daemon.createGraph(options, environment: invocation.environment)
            try await invocation.prepareGraph(graph)
            registry = try graph.pubsubMessageSchemaRegistry
            try daemon.handlers.registerSchemas(in: registry)
            document = try PubSubSchemaDocument(registry: registry)
            produced = try SNSTopicArns(config: try graph.config.section("sns_topic_arns")).mappedMediaTypes
        } catch {
            invocation.errorOutput("\(command): \(error)")
            return nil
        }
        for mediaType in produced where document.schemas[mediaType] == nil {
            do {
                document.schemas[mediaType] = try registry.schema(for: mediaType).jsonSchema(for: mediaType)
            } catch {
                invocation.errorOutput("\(command): note: \(mediaType) has a topic in sns_topic_arns but no schema registered; not exported")
            }
        }
        for (mediaType, schema) in document.schemas.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if let comment = Self.incompleteComment(in: schema) {
                invocation.errorOutput("\(command): note: \(mediaType): \(comment)")
            }
        }
        return document
    }

    /// The first `incomplete: ...` comment in `schema`, depth first.
    static func incompleteComment(in schema: JSONValue) -> String? {
        switch schema {
        case .object(let object):
            if let comment = object["$comment"]?.stringValue, comment.hasPrefix("incomplete:") { return comment }
            return object.lazy.compactMap { incompleteComment(in: $0.value) }.first
        case .array(let elements):
            return elements.lazy.compactMap { incompleteComment(in: $0) }.first
        default:
            return nil
        }
    }

    private static func reason(_ error: any Error) -> String {
        "\(error)"
    }

    /// The UTF-8 text of the file at `path`.
    private static func text(ofFile path: String) throws -> String {
        struct NotUTF8: Error, CustomStringConvertible { var description: String { "it is not UTF-8 text" } }
        guard let text = String(validating: try readFile(atPath: path), as: UTF8.self) else { throw NotUTF8() }
        return text
    }

    private func usageError(_ message: String) -> Int32 {
        invocation.errorOutput(UsageError(command: command, message: message).description)
        return UsageError.exitStatus
    }
}
