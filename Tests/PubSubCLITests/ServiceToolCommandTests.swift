import MicrocosmPubSub
import MicrocosmPubSubDaemon
import PubSubCLI
import Synchronization
import XCTest

final class ServiceToolCommandTests: XCTestCase {
    /// What the fake tool saw.
    private struct Seen: Sendable {
        var command = ""
        var arguments: [String] = []
        var service = ""
        var mediaTypes: [MediaType] = []
    }

    private func run(_ arguments: [String]) async -> (status: Int32, seen: Seen?, errors: [String]) {
        let seen = Mutex<Seen?>(nil)
        let errors = Mutex<[String]>([])
        let tool = ServiceTool(name: "fake", summary: "a fake") { invocation in
            seen.withLock {
                $0 = Seen(command: invocation.command, arguments: invocation.arguments, service: invocation.daemon.name,
                          mediaTypes: invocation.daemon.handlers.mediaTypes)
            }
            return 0
        }
        let output = CommandOutput(standardOutput: { _ in }, standardError: { line in errors.withLock { $0.append(line) } })
        let status = await ServiceToolCommand.main(tool, arguments: arguments, context: CommandContext(output: output, environment: [:]))
        return (status, seen.withLock { $0 }, errors.withLock { $0 })
    }

    func testTheServiceAndItsMediaTypesAreTakenOutAndTheRestGoesToTheTool() async {
        let result = await run(["plan", "--service", "orders-daemon", "--handles", "application/vnd.acme.b",
                                "--json", "--handles=application/vnd.acme.a"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.seen?.command, "pubsub fake")
        XCTAssertEqual(result.seen?.arguments, ["plan", "--json"])
        XCTAssertEqual(result.seen?.service, "orders-daemon")
        // every daemon handles batch messages too
        XCTAssertEqual(result.seen?.mediaTypes, ["application/vnd.acme.a", "application/vnd.acme.b", BatchMessage.mediaType])
    }

    func testWithoutAServiceTheConfigurationIsPubsubs() async {
        let result = await run(["plan"])
        XCTAssertEqual(result.seen?.service, "pubsub")
        XCTAssertEqual(result.seen?.mediaTypes, [BatchMessage.mediaType])
    }

    func testAServiceOptionWithoutAValueIsAUsageErrorAndTheToolDoesNotRun() async {
        for arguments in [["plan", "--handles"], ["--service="]] {
            let result = await run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertNil(result.seen, "\(arguments)")
            XCTAssertEqual(result.errors.count, 1, "\(arguments)")
            XCTAssertTrue(result.errors.first?.hasPrefix("pubsub fake: --") ?? false, "\(result.errors)")
        }
    }
}
