import Foundation
import Microcosm
import XCTest

final class LoggerTests: XCTestCase {
    func testLevels_filterAndSkipBuildingTheMessage() {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test", level: .warning, handler: logs)
        var built = false
        var metadataBuilt = false
        logger.info({ built = true; return "quiet" }())
        logger.debug("quiet", metadata: { metadataBuilt = true; return ["k": "v"] }())
        logger.warning("loud")
        logger.critical("louder")
        XCTAssertFalse(built)
        XCTAssertFalse(metadataBuilt)
        XCTAssertEqual(logs.messages, ["loud", "louder"])
        XCTAssertEqual(logs.records.map(\.level), [.warning, .critical])
    }

    func testMetadata_loggerThenProviderThenCall() {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test", level: .trace, metadata: ["a": "logger", "b": "logger"], handler: logs) {
            ["b": "provider", "c": "provider"]
        }
        logger.with(["d": "with"]).debug("m", metadata: ["c": "call"])
        XCTAssertEqual(logs.records.first?.metadata, ["a": "logger", "b": "provider", "c": "call", "d": "with"])
    }

    func testGraphLogger_carriesOpaqueValuesOfTheCurrentTask() async throws {
        let graph = try Graph(name: "things", loader: .empty, config: ["opaque": ["x-service": "things"]])
        let logs = InMemoryLogHandler()
        var logger = graph.logger
        logger.handler = logs
        graph.assign("logger", logger)
        await graph.opaque.withValues(["X-Request-Id": "req-9"]) {
            await Task.yield()
            graph.logger.info("inside")
        }
        graph.logger.info("outside")
        XCTAssertEqual(logs.records.map(\.metadata), [["x-service": "things", "x-request-id": "req-9"], ["x-service": "things"]])
        XCTAssertEqual(logs.records.first?.label, "things")
    }

    func testLoggingConfig_setsLevelAndFormat() throws {
        let graph = try Graph(name: "things", loader: .environment(["THINGS__LOGGING__LEVEL": "error"]))
        XCTAssertEqual(graph.logger.level, .error)
        XCTAssertEqual(try Graph(name: "things", loader: .empty).logger.level, .info)
    }

    func testStreamHandler_rendersTextAndJSONLines() throws {
        let record = LogRecord(label: "things", level: .info, message: "handled \"x\"", metadata: ["b": "2", "a": "1"],
                               date: Date(timeIntervalSince1970: 1795960765.357))
        XCTAssertEqual(StreamLogHandler(descriptor: 2).render(record), "2026-11-29T13:59:25.357Z INFO things: handled \"x\" a=1 b=2")
        let json = try JSONParser.parse(StreamLogHandler(descriptor: 2, format: .json).render(record))
        XCTAssertEqual(json, ["timestamp": "2026-11-29T13:59:25.357Z", "level": "info", "logger": "things",
                              "message": "handled \"x\"", "a": "1", "b": "2"])
    }

    func testStreamHandler_writesToItsDescriptor() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let handler = StreamLogHandler(descriptor: fds[1])
        Logger(label: "p", handler: handler).error("to the pipe")
        close(fds[1])
        let data = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        XCTAssertTrue(String(decoding: data, as: UTF8.self).hasSuffix("ERROR p: to the pipe\n"))
    }
}
