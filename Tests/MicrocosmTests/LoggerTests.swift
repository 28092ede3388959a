import Foundation
import Microcosm
import MicrocosmJSON
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

    func testAssignedLogger_asTheReadmeShows_byNameOrTypedKey_carriesOpaqueValues() async throws {
        let named = try Graph(name: "things", loader: .empty)
        let namedLogs = InMemoryLogHandler()
        named.assign("logger", Logger(label: "test", level: .trace, handler: namedLogs))
        await named.opaque.withValues(["X-Request-Id": "req-0"]) {
            await Task.yield()
            named.logger.info("inside")
        }
        XCTAssertEqual(namedLogs.records.map(\.metadata), [["x-request-id": "req-0"]])

        let graph = try Graph(name: "things", loader: .empty, config: ["opaque": ["x-service": "things"]])
        let logs = InMemoryLogHandler()
        graph.assign(.logger, Logger(label: "test", level: .trace, handler: logs))
        await graph.opaque.withValues(["X-Request-Id": "req-1"]) {
            await Task.yield()
            graph.logger.info("inside")
        }
        XCTAssertEqual(logs.records.map(\.metadata), [["x-service": "things", "x-request-id": "req-1"]])
    }

    func testOverriddenLogger_withItsOwnProvider_carriesOpaqueValuesUnderTheProvidersMetadata() async throws {
        let graph = try Graph(name: "things", loader: .empty)
        let logs = InMemoryLogHandler()
        graph.override("logger") { _ in
            Logger(label: "test", handler: logs) { ["x-request-id": "from-provider", "host": "h1"] }
        }
        await graph.opaque.withValues(["X-Request-Id": "req-2", "message_id": "m-1"]) {
            await Task.yield()
            graph.logger.info("inside")
        }
        XCTAssertEqual(logs.records.map(\.metadata), [["x-request-id": "from-provider", "message_id": "m-1", "host": "h1"]])
    }

    func testGraphLogger_leavesTheReceiptHandleOutOfRecords_keepingTheMessageId() async throws {
        let graph = try Graph(name: "things", loader: .empty)
        let logs = InMemoryLogHandler()
        graph.assign("logger", Logger(label: "test", handler: logs))
        await graph.opaque.withValues(["message_id": "m-1", "receipt_handle": String(repeating: "A", count: 200)]) {
            await Task.yield()
            graph.logger.info("inside")
            XCTAssertNotNil(graph.opaque["receipt_handle"])
        }
        XCTAssertEqual(logs.records.map(\.metadata), [["message_id": "m-1"]])
    }

    func testTestingGraph_logsWarningsByDefault_andWhatLoggingLevelSays() throws {
        XCTAssertEqual(try Graph(name: "things", testing: true, loader: .empty).logger.level, .warning)
        XCTAssertEqual(try Graph(name: "things", testing: true, loader: .empty, config: ["logging": ["level": "info"]]).logger.level, .info)
        XCTAssertEqual(try Graph(name: "things", debug: true, testing: true, loader: .empty).logger.level, .debug)
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
