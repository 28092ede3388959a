import MicrocosmJSON
import MicrocosmPubSub
import PubSubCLI
import PubSubDemo
import Synchronization
import XCTest

/// `pubsub schemas ...` for a service described by `--service` and `--handles`.
final class PubSubSchemasCommandTests: XCTestCase {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async -> (status: Int32, output: String, errors: [String]) {
        let captured = Mutex((output: [String](), errors: [String]()))
        let output = CommandOutput(standardOutput: { text in captured.withLock { $0.output.append(text) } },
                                   standardError: { text in captured.withLock { $0.errors.append(text) } })
        let status = await PubSubCommand.main(arguments, context: CommandContext(output: output, environment: environment))
        return captured.withLock { (status, $0.output.joined(separator: "\n"), $0.errors) }
    }

    func testExport_forADescribedService_holdsItsMediaTypesConventionSchemas() async throws {
        let result = await run(["schemas", "export", "--service", "things-daemon", "--handles", "application/vnd.globality.pubsub._.deleted.thing"],
                               environment: ["THINGS_DAEMON__SNS_TOPIC_ARNS__CHANGED__THING": "arn:aws:sns:us-east-1:123456789012:things"])
        XCTAssertEqual(result.status, 0, "\(result.errors)")
        let document = try PubSubSchemaDocument(parsing: result.output)
        XCTAssertEqual(document.schemas.keys.map(\.rawValue).sorted(), [
            "application/vnd.globality.pubsub._.changed.thing", "application/vnd.globality.pubsub._.created.batch_message",
            "application/vnd.globality.pubsub._.deleted.thing",
        ])
        XCTAssertEqual(document.schemas[.deleted("Thing")]?["required"], ["id", "mediaType"])
    }

    func testHelp_listsSchemas_andTheSubcommandHelpShowsTheServiceOptions() async {
        let help = await run(["--help"])
        XCTAssertTrue(help.output.contains("\n  schemas "), help.output)
        let export = await run(["schemas", "export", "--help"])
        XCTAssertEqual(export.status, 0)
        XCTAssertTrue(export.output.hasPrefix("usage: pubsub schemas export [--testing]"), export.output)
        XCTAssertTrue(export.output.contains("--handles MEDIA_TYPE"), export.output)
    }

    func testCheck_withoutAFile_isAUsageError() async {
        let result = await run(["schemas", "check", "--service", "things-daemon"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.errors, ["pubsub schemas: check needs FILE, the committed schema document (see --help)"])
    }
}
