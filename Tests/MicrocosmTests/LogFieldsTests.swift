import Foundation
import Microcosm
import MicrocosmJSON
import XCTest

/// The text line a logger writes from ``LogFields`` straight into bytes is, byte for byte, the line
/// the general path (a record with a metadata dictionary, rendered by `StreamLogHandler.render`) writes.
final class LogFieldsTests: XCTestCase {
    private static let keys = ["a", "b", "Z", "pubsub.result", "pubsub.media_type", "x-request-id", "receipt_handle", "handler",
                               "", "key with space", "k=v", "\u{E9}t\u{E9}", "e\u{301}t\u{E9}", "ключ", "🙂", "A", "aa", "a.b"]
    private static let values = ["", "v", "SUCCEEDED", "a=b c=d", "line\nbreak", "tab\there", "quote\"d", "back\\slash",
                                 "\u{E9}t\u{E9}", "e\u{301}", "日本語", "🙂🙃", "\u{0}nul", "\r\n", String(repeating: "x", count: 300)]
    private static let json: [JSONValue] = [.int(3), .bool(true), .null, .double(1.5), .array([.int(1), .string("é")]),
                                            .object(["k": .string("v\"")])]

    func testTextLine_onRandomMetadata_equalsTheRenderedRecord() throws {
        var random = LCG(state: 1403)
        for round in 0..<3000 {
            func pick<T>(_ list: [T]) -> T { list.randomElement(using: &random)! }
            func someFields(_ count: ClosedRange<Int>) -> [(String, String)] {
                (0..<Int.random(in: count, using: &random)).map { _ in (pick(Self.keys), pick(Self.values)) }
            }
            var loggerMetadata: [String: String] = [:]
            for (key, value) in someFields(0...3) { loggerMetadata[key] = value }
            var provided: [String: String] = [:]
            for (key, value) in someFields(0...2) { provided[key] = value }
            let frozen = provided
            let provider: (@Sendable () -> [String: String])? = Bool.random(using: &random) ? { @Sendable in frozen } : nil
            func opaqueValues(_ count: ClosedRange<Int>) -> OpaqueValues {
                var values = OpaqueValues()
                for _ in 0..<Int.random(in: count, using: &random) {
                    values[json: pick(Self.keys)] = Bool.random(using: &random) ? .string(pick(Self.values)) : pick(Self.json)
                }
                return values
            }
            let opaque = Opaque(base: opaqueValues(0...2))
            let scoped = opaqueValues(0...5)
            var fields = LogFields()
            for (key, value) in someFields(0...10) { fields.append(key, value) }
            let level = pick(LogLevel.allCases)
            let label = pick(["things", "", "svc ü"]), message = pick(Self.values)
            let date = Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &random))

            let logs = InMemoryLogHandler()
            let logger = Logger(label: label, level: .trace, metadata: loggerMetadata, handler: logs, metadataProvider: provider)
                .carrying(opaque)
            let line = opaque.withValues(scoped) { () -> [UInt8] in
                logger.log(level, message, fields: fields)
                return logger.textLine(level, message, fields: fields, date: date)
            }
            var record = try XCTUnwrap(logs.records.first)
            record.date = date
            let rendered = StreamLogHandler(descriptor: -1).render(record) + "\n"
            XCTAssertEqual(String(decoding: line, as: UTF8.self), rendered, "round \(round)")
            XCTAssertEqual(line, Array(rendered.utf8), "round \(round)")
        }
    }

    func testFields_laterPairWins_firstKeyStays() {
        var fields = LogFields()
        fields.append("b", "1")
        fields.append("a", "2")
        fields.append("b", "3")
        XCTAssertEqual(fields.dictionary, ["a": "2", "b": "3"])
        let logger = Logger(label: "t", handler: InMemoryLogHandler())
        let line = logger.textLine(.info, "m", fields: fields, date: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(String(decoding: line, as: UTF8.self), "1970-01-01T00:00:00.000Z INFO t: m a=2 b=3\n")
    }

    func testTimestamp_bytesEqualTheText() {
        var random = LCG(state: 7)
        var dates = [0, 0.0009, 0.999, 59.9995, 86_399.999, 951_782_400, 1_764_800_000.123, 253_402_300_799.999, 253_402_300_800,
                     -0.001, -1, -86_400.5, -2_208_988_800, -62_135_596_800].map(Date.init(timeIntervalSince1970:))
        for _ in 0..<5000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -70_000_000_000...300_000_000_000, using: &random))) }
        for date in dates {
            var bytes: [UInt8] = []
            StreamLogHandler.appendTimestamp(date, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), StreamLogHandler.timestamp(date), "\(date.timeIntervalSince1970)")
        }
    }

    func testLog_toATextStream_writesTheRenderedLine() throws {
        let pipe = Pipe()
        let logger = Logger(label: "things", level: .debug, metadata: ["svc": "things"],
                            handler: StreamLogHandler(descriptor: pipe.fileHandleForWriting.fileDescriptor))
        var fields = LogFields()
        fields.append("pubsub.result", "SUCCEEDED")
        fields.append("x-request-id", "r é")
        logger.log(.info, "Result for media type: m was : SUCCEEDED", fields: fields)
        logger.log(.trace, "below the level", fields: fields)
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 2, text)
        XCTAssertEqual(lines[0].dropFirst(25), "INFO things: Result for media type: m was : SUCCEEDED pubsub.result=SUCCEEDED svc=things x-request-id=r é")
    }

    func testLog_toAJSONStream_takesTheGeneralPath() throws {
        let pipe = Pipe()
        let logger = Logger(label: "things", handler: StreamLogHandler(descriptor: pipe.fileHandleForWriting.fileDescriptor, format: .json))
        var fields = LogFields()
        fields.append("message", "not the message")
        fields.append("k", "v\"")
        logger.log(.warning, "hello", fields: fields)
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let object = try XCTUnwrap(try JSONParser.parse(text).objectValue)
        XCTAssertEqual(object["message"], .string("hello"))
        XCTAssertEqual(object["k"], .string("v\""))
        XCTAssertEqual(object["level"], .string("warning"))
    }
}

/// A linear congruential generator: enough to vary the cases, and the same cases every run.
private struct LCG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
