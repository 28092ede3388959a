import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// The result line's metadata, now written as ``LogFields``, is exactly what the dispatcher's
/// dictionary held before, and a text stream gets the line the general path renders.
final class DispatchLogLineTests: XCTestCase {
    private struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The metadata as the dispatcher built it before its line was written straight into bytes.
    private static func dictionaryBefore(_ result: MessageHandlingResult, messageId: String, context given: OpaqueValues,
                                         handlerName: String?) -> [String: String] {
        var context = given
        if let handlerName { context[PubSubWire.handlerKey] = handlerName }
        var metadata = context.dictionary
        metadata.merge(result.extra) { _, extra in extra }
        if let mediaType = result.mediaType { metadata["pubsub.media_type"] = mediaType.rawValue }
        metadata["pubsub.result"] = result.kind.rawValue
        metadata["pubsub.elapsed_ms"] = SQSMessageDispatcher.milliseconds(result.elapsed)
        metadata["pubsub.message_id"] = messageId
        switch result.error {
        case let skip as SkipMessage:
            metadata["pubsub.reason"] = skip.reason
        case let ignore as IgnoreMessage:
            metadata["pubsub.reason"] = ignore.reason
        case let nack as Nack:
            metadata["pubsub.reason"] = nack.reason
            metadata["pubsub.visibility_timeout"] = String(nack.visibilityTimeout)
        case let error?:
            metadata["pubsub.error"] = String(describing: error)
        case nil:
            break
        }
        return metadata
    }

    func testLogFields_onManyResults_equalTheDictionaryBefore() {
        let keys = ["x-request-id", "handler", "pubsub.reason", "pubsub.result", "uri", "message_id", "receipt_handle", "ключ", "\u{E9}"]
        let values = ["", "req-1", "a=b c", "line\nbreak", "日本語 🙂", "e\u{301}"]
        let extras: [[String: String]] = [[:], ["max": "3"], ["pubsub.reason": "extra"], ["x-request-id": "from extra", "é": "1"],
                                          ["pubsub.result": "X", "pubsub.error": "Y"]]
        let errors: [(any Error)?] = [nil, SkipMessage("skipped", extra: ["k": "v"]), IgnoreMessage("ignored é"),
                                      Nack(visibilityTimeout: 30, reason: "later"), Nack(visibilityTimeout: 0),
                                      Failure(description: "the store is down\nsecond line")]
        let kinds: [MessageHandlingResult.Kind] = [.succeeded, .skipped, .ignored, .expired, .retried, .failed]
        var cases = 0
        for (round, extra) in extras.enumerated() {
            for (index, error) in errors.enumerated() {
                for handlerName in [nil, "things", "Ship Order Handler"] {
                    var context = OpaqueValues()
                    for step in 0..<((round + index) % 5) {
                        let key = keys[(round * 3 + index + step * 2) % keys.count]
                        context[json: key] = step == 2 ? .int(step) : step == 3 ? .object(["a": .bool(true)]) : .string(values[(index + step) % values.count])
                    }
                    let result = MessageHandlingResult(kind: kinds[(round + index) % kinds.count],
                                                       mediaType: index == 2 ? nil : .created("Thing"),
                                                       error: error, elapsed: .microseconds(1234 * index + round), extra: extra)
                    let fields = SQSMessageDispatcher.logFields(result, messageId: "m-\(round)", context: context, handlerName: handlerName)
                    XCTAssertEqual(fields.dictionary, Self.dictionaryBefore(result, messageId: "m-\(round)", context: context,
                                                                            handlerName: handlerName), "\(round) \(index)")
                    cases += 1
                }
            }
        }
        XCTAssertEqual(cases, 90)
    }

    func testLog_toATextStream_isTheLineTheGeneralPathRenders() async throws {
        let pipe = Pipe()
        let streamed = try await DispatchTestBed.make()
        streamed.graph.assign("logger", Logger(label: "things", level: .trace,
                                               handler: StreamLogHandler(descriptor: pipe.fileHandleForWriting.fileDescriptor)))
        let recorded = try await DispatchTestBed.make()
        var lines: [String] = []
        for bed in [streamed, recorded] {
            let dispatcher = try bed.dispatcher { _ in throw SkipMessage("not today: é", extra: ["x-request-id": "extra wins"]) }
            let message = try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1", "Retries": 3])
            _ = await dispatcher.dispatch(message)
            lines.append(message.messageId)
        }
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("Result for media type:") })
        var record = try XCTUnwrap(recorded.resultRecords.first)
        // The two runs differ only in the message id, the receipt handle, the times and the elapsed time.
        record.metadata["message_id"] = lines[0]
        record.metadata["pubsub.message_id"] = lines[0]
        let streamedFields = Dictionary(line.split(separator: " ").compactMap { part -> (String, String)? in
            let pair = part.split(separator: "=", maxSplits: 1)
            return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
        }, uniquingKeysWith: { first, _ in first })
        record.metadata["receipt_handle"] = streamedFields["receipt_handle"]
        for key in ["pubsub.elapsed_ms", "x-request-published"] { record.metadata[key] = streamedFields[key] }
        let rendered = StreamLogHandler(descriptor: -1).render(record)
        XCTAssertEqual(line.dropFirst(25), rendered.dropFirst(25))
        XCTAssertTrue(line.contains(" pubsub.reason=not today: é "), String(line))
        XCTAssertTrue(line.contains(" retries=3 "), String(line))
        XCTAssertTrue(line.contains(" x-request-id=extra wins"), String(line))
    }
}
