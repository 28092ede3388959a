import Microcosm
import XCTest

final class CommandLineInterfaceTests: XCTestCase {
    private let cli = CommandLineInterface(command: "tool", summary: "Does things.", options: [
        .value("--queue-url", "URL", "the queue", required: true),
        .flag("--nack", "nack instead of ack"),
        .value("--limit", "N", "how many", default: "10"),
        .value("--config", "KEY=VALUE", "a config value", repeatable: true),
    ])

    private func error(_ arguments: [String]) -> String? {
        do {
            _ = try cli.parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    func testParse_valuesFlagsDefaultsAndRepeats() throws {
        let parsed = try cli.parse(["--queue-url", "http://q", "--nack", "--config=a=1", "--config", "b=2"])
        XCTAssertEqual(parsed["--queue-url"], "http://q")
        XCTAssertTrue(parsed.flag("--nack"))
        XCTAssertEqual(parsed["--limit"], "10")
        XCTAssertEqual(try parsed.int("--limit", in: 1...10), 10)
        XCTAssertEqual(parsed.all("--config"), ["a=1", "b=2"])
        XCTAssertFalse(parsed.wantsHelp)
        XCTAssertEqual(try cli.parse(["--queue-url=http://q", "--limit", "3"])["--limit"], "3")
    }

    func testParse_usageErrorsNameTheProblem() {
        XCTAssertEqual(error([]), "tool: --queue-url is required (see --help)")
        XCTAssertEqual(error(["--queue-url"]), "tool: --queue-url needs a value (URL) (see --help)")
        XCTAssertEqual(error(["--queue-url", "--nack"]), "tool: --queue-url needs a value (URL) (see --help)")
        XCTAssertEqual(error(["--queue-url", "q", "--bogus"]), "tool: unknown option '--bogus' (see --help)")
        XCTAssertEqual(error(["--queue-url", "q", "stray"]), "tool: unexpected argument 'stray' (see --help)")
        XCTAssertEqual(error(["--queue-url", "q", "--nack=yes"]), "tool: --nack takes no value (see --help)")
        XCTAssertEqual(error(["--queue-url", "q", "--queue-url", "r"]), "tool: --queue-url is given twice (see --help)")
    }

    func testTypedValues_checkRanges() throws {
        let parsed = try cli.parse(["--queue-url", "q", "--limit", "11"])
        XCTAssertThrowsError(try parsed.int("--limit", in: 1...10)) { error in
            XCTAssertEqual("\(error)", "tool: --limit needs a whole number from 1 to 10, got '11' (see --help)")
        }
        XCTAssertThrowsError(try cli.parse(["--queue-url", "q", "--limit", "x"]).double("--limit", in: 0...5)) { error in
            XCTAssertEqual("\(error)", "tool: --limit needs a number from 0.0 to 5.0, got 'x' (see --help)")
        }
    }

    func testHelp_skipsRequiredChecksAndListsEveryOption() throws {
        XCTAssertTrue(try cli.parse(["-h"]).wantsHelp)
        XCTAssertEqual(cli.help, """
        usage: tool --queue-url URL [--nack] [--limit N] [--config KEY=VALUE]

        Does things.

        options:
          --queue-url URL     the queue
          --nack              nack instead of ack
          --limit N           how many (default 10)
          --config KEY=VALUE  a config value (repeatable)
          --help              show this help
        """)
    }

    func testHelp_withoutASummary_hasNoBlankLinesForIt() {
        let cli = CommandLineInterface(command: "tool", summary: "", options: [.flag("--nack", "nack instead of ack")])
        XCTAssertEqual(cli.help, """
        usage: tool [--nack]

        options:
          --nack  nack instead of ack
          --help  show this help
        """)
    }
}
