import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// Standard input, replay files and Lambda events: how they are picked, read, acknowledged
/// (not at all) and how they end.
final class MessageSourceTests: XCTestCase {
    private let createdThing = #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/1"}"#

    private func envelope(_ strategy: SQSEnvelope.Strategy) -> SQSEnvelope {
        SQSEnvelope(strategy: strategy, schemaRegistry: PubSubMessageSchemaRegistry())
    }

    private func graph(_ consumer: JSONObject, envelope: JSONObject = [:]) throws -> Graph {
        try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty,
                  config: ["sqs_consumer": .object(consumer), "sqs_envelope": .object(envelope)])
    }

    /// A pipe whose read end stands in for standard input; `lines` are written and the write end
    /// closed (end of input) unless `close` is false.
    private func pipe(_ text: String, close: Bool = true) throws -> Pipe {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        if close { try pipe.fileHandleForWriting.close() }
        return pipe
    }

    // MARK: Standard input

    func testStdin_naiveLines_areConsumedInLimitSizedBatches_thenTheSourceIsExhausted() async throws {
        let lines = (1...3).map { #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "http://things/\#($0)"}"# }
        let input = try pipe(lines.joined(separator: "\n") + "\n")
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive),
                                   limit: 2)
        XCTAssertFalse(consumer.isExhausted)
        let first = try await consumer.consume()
        XCTAssertEqual(first.compactMap(\.uri), ["http://things/1", "http://things/2"])
        XCTAssertFalse(consumer.isExhausted, "the end has not been seen yet")
        let second = try await consumer.consume()
        XCTAssertEqual(second.compactMap(\.uri), ["http://things/3"])
        let third = try await consumer.consume()
        XCTAssertEqual(third.count, 0)
        XCTAssertTrue(consumer.isExhausted, "an empty consume that met the end says so")
        let fourth = try await consumer.consume()
        XCTAssertEqual(fourth.count, 0)
        XCTAssertTrue(consumer.isExhausted)
    }

    func testStdin_exactlyLimitLines_theNextConsumeReturnsNothingAndReportsTheEnd() async throws {
        let input = try pipe(createdThing + "\n" + createdThing + "\n")
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive),
                                   limit: 2)
        let first = try await consumer.consume()
        XCTAssertEqual(first.count, 2)
        let second = try await consumer.consume()
        XCTAssertEqual(second.count, 0)
        XCTAssertTrue(consumer.isExhausted)
    }

    func testStdin_naiveLines_getGeneratedIdsAndHandles() async throws {
        let input = try pipe(createdThing)
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive))
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 1, "a last line without a newline counts")
        let message = try XCTUnwrap(messages.first)
        XCTAssertTrue(message.messageId.hasPrefix("message-id-"), message.messageId)
        XCTAssertTrue(message.receiptHandle.hasPrefix("receipt-handle-"), message.receiptHandle)
        XCTAssertEqual(message.receiveCount, 1)
    }

    func testStdin_blankLinesAreSkipped_andCRLFIsAccepted() async throws {
        let input = try pipe("\n" + createdThing + "\r\n   \n\r\n" + createdThing + "\r\n")
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive))
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.map(\.error?.description), [nil, nil])
        XCTAssertEqual(messages.compactMap(\.uri), ["http://things/1", "http://things/1"])
    }

    func testStdin_lineThatIsNotJSON_givesAMessageWithAnError_andTheRestStillCome() async throws {
        let input = try pipe("oops\n" + createdThing + "\n")
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive))
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages[0].error?.code, .notJSON)
        XCTAssertEqual(messages[1].uri, "http://things/1")
    }

    func testStdin_longLines_spanningReadChunks_areWhole() async throws {
        let long = String(repeating: "x", count: 200_000)
        let line = #"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "uri": "\#(long)"}"#
        let path = try consumerTemporaryFile(self, lines: [line, line])
        let consumer = SQSConsumer(source: try .file(at: path), envelope: envelope(.naive))
        var messages: [ConsumedMessage] = []
        while !consumer.isExhausted { messages += try await consumer.consume() }
        XCTAssertEqual(messages.map { $0.uri?.count }, [200_000, 200_000])
    }

    func testStdin_livePipe_givesTheLinesThatCame_withoutWaitingForTheLimit_andIsNotExhausted() async throws {
        let input = try pipe(createdThing + "\n", close: false)
        let consumer = SQSConsumer(source: .lines(from: input.fileHandleForReading, name: "standard input"), envelope: envelope(.naive),
                                   limit: 10)
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 1)
        XCTAssertFalse(consumer.isExhausted)
        try input.fileHandleForWriting.close()
        let rest = try await consumer.consume()
        XCTAssertEqual(rest.count, 0)
        XCTAssertTrue(consumer.isExhausted)
    }

    func testConfig_STDIN_selectsStandardInput_whichDoesNotAcknowledge() throws {
        let consumer = try graph(["sqs_queue_url": "STDIN"], envelope: ["strategy_name": "NaiveSQSEnvelope"]).sqsConsumer
        XCTAssertEqual(consumer.source.description, "standard input")
        XCTAssertFalse(consumer.source.acknowledges)
        XCTAssertNil(consumer.queueURL)
        XCTAssertEqual(consumer.envelope.strategy, .naive)
    }

    // MARK: Replay files

    func testFile_ofSQSMessages_isReplayedThroughTheCodecEnvelope_keepingIdsAndCounts() async throws {
        let body = #"{"Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:123456789012:things", "Message": "#
            + JSONSerializer.compact.string(.string(createdThing)) + "}"
        let line = JSONSerializer.compact.string([
            "MessageId": "m-1", "ReceiptHandle": "h-1", "Body": .string(body), "MD5OfBody": .string(SQSMessageDigest.md5OfBody(body)),
            "Attributes": ["ApproximateReceiveCount": "4"],
        ])
        let path = try consumerTemporaryFile(self, lines: [line])
        let consumer = try graph(["sqs_queue_url": .string(path)], envelope: ["validate_md5": true]).sqsConsumer
        XCTAssertEqual(consumer.source.description, "file '\(path)'")
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.count, 1)
        let message = try XCTUnwrap(messages.first)
        XCTAssertNil(message.error)
        XCTAssertEqual(message.messageId, "m-1")
        XCTAssertEqual(message.receiptHandle, "h-1")
        XCTAssertEqual(message.receiveCount, 4)
        XCTAssertEqual(message.uri, "http://things/1")
        XCTAssertEqual(message.topicArn, "arn:aws:sns:us-east-1:123456789012:things")
        let rest = try await consumer.consume()
        XCTAssertEqual(rest.count, 0)
        XCTAssertTrue(consumer.isExhausted)
    }

    func testFile_replayedMessageWithAWrongDigest_failsTheMD5Check() async throws {
        let line = JSONSerializer.compact.string(["MessageId": "m-1", "Body": .string(createdThing), "MD5OfBody": "0123"])
        let path = try consumerTemporaryFile(self, lines: [line])
        let consumer = SQSConsumer(source: try .file(at: path),
                                   envelope: SQSEnvelope(strategy: .codec, validateMD5: true, schemaRegistry: PubSubMessageSchemaRegistry()))
        let message = try await consumer.consume()[0]
        XCTAssertEqual(message.error?.code, .checksumMismatch)
        XCTAssertTrue(message.receiptHandle.hasPrefix("receipt-handle-"), "generated when the line has none")
    }

    func testFile_ofBareMessages_isReadByTheCodecEnvelopeToo() async throws {
        let path = try consumerTemporaryFile(self, lines: [createdThing])
        let consumer = SQSConsumer(source: try .file(at: "file://" + path), envelope: envelope(.codec))
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.map(\.uri), ["http://things/1"])
        XCTAssertNil(messages.first?.error)
    }

    func testFile_ofLambdaRecords_isReadLikeAnEvent() async throws {
        let record = JSONSerializer.compact.string(["messageId": "r-1", "receiptHandle": "rh-1", "body": .string(createdThing),
                                                    "attributes": ["ApproximateReceiveCount": "2"]])
        let path = try consumerTemporaryFile(self, lines: [record])
        let messages = try await SQSConsumer(source: try .file(at: path), envelope: envelope(.lambda)).consume()
        XCTAssertEqual(messages.map(\.messageId), ["r-1"])
        XCTAssertEqual(messages.map(\.receiveCount), [2])
        XCTAssertEqual(messages.map(\.uri), ["http://things/1"])
    }

    func testFile_thatCannotBeOpened_failsNamingThePath() {
        XCTAssertThrowsError(try MessageSource.file(at: "/nonexistent/replay.jsonl")) { error in
            let error = error as? SQSConsumerError
            XCTAssertEqual(error?.code, .unreadableSource)
            XCTAssertTrue(error?.description.hasPrefix("cannot read messages from file '/nonexistent/replay.jsonl': ") ?? false,
                          "\(String(describing: error))")
        }
    }

    func testFile_thatCannotBeRead_makesConsumeThrowNamingIt() async throws {
        let directory = FileManager.default.temporaryDirectory.path
        let source: MessageSource
        do {
            source = try .file(at: directory)
        } catch {
            return XCTAssertTrue("\(error)".contains(directory), "\(error)")
        }
        do {
            _ = try await SQSConsumer(source: source, envelope: envelope(.naive)).consume()
            XCTFail("a directory has no lines")
        } catch let error as SQSConsumerError {
            XCTAssertEqual(error.code, .unreadableSource)
            XCTAssertTrue(error.description.contains(directory), error.description)
        }
    }

    func testConfig_pathThatDoesNotExist_failsWhenTheConsumerIsMade_namingTheVariable() throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub,
                              loader: .environment(["ORDERS__SQS_CONSUMER__SQS_QUEUE_URL": "/nonexistent/replay.jsonl"]))
        XCTAssertThrowsError(try graph.sqsConsumer) { error in
            let cause = (error as? GraphError)?.underlying as? SQSConsumerError
            XCTAssertEqual(cause?.code, .invalidQueueURL, "\(error)")
            XCTAssertEqual(cause?.description, "config 'sqs_consumer.sqs_queue_url' (from ORDERS__SQS_CONSUMER__SQS_QUEUE_URL): "
                               + "no file '/nonexistent/replay.jsonl' (a file of JSON lines to replay must exist; "
                               + "a queue URL starts with https://)")
        }
    }

    func testQueueURLProblems_nameWhatIsWrong() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).jsonl")
        try Data("{}\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let cases: [(String, String?)] = [
            ("https://sqs.us-east-1.amazonaws.com/123456789012/orders", nil),
            ("http://127.0.0.1:5000/123456789012/orders", nil),
            ("memory://sqs.us-east-1/123456789012/orders", nil),
            ("STDIN", nil),
            (file.path, nil),
            (file.absoluteString, nil),
            ("not a url", "no file 'not a url' (a file of JSON lines to replay must exist; a queue URL starts with https://)"),
            ("file:///nonexistent/replay.jsonl",
             "no file '/nonexistent/replay.jsonl' (a file of JSON lines to replay must exist; a queue URL starts with https://)"),
            (directory, "'\(directory)' is a directory, not a file of JSON lines"),
            ("ftp://example.com/q", "'ftp://example.com/q' is not a queue URL (http:// or https://), STDIN or a file"),
            ("https://", "'https://' is not a usable queue URL: no host"),
            ("http://bad host/1/q", "'http://bad host/1/q' is not a usable queue URL: it contains spaces or control characters"),
            ("http://host:99999/1/q", "'http://host:99999/1/q' is not a usable queue URL: port out of range"),
        ]
        for (value, problem) in cases {
            XCTAssertEqual(MessageSource.problem(withQueueURL: value), problem, value)
            if problem != nil {
                XCTAssertThrowsError(try graph(["sqs_queue_url": .string(value)]).sqsConsumer, value)
            } else {
                XCTAssertNoThrow(try graph(["sqs_queue_url": .string(value)]).sqsConsumer, value)
            }
        }
    }

    // MARK: Lambda events

    private func record(_ id: String, body: String) -> JSONValue {
        ["messageId": .string(id), "receiptHandle": .string("handle-" + id), "body": .string(body), "md5OfBody": .string(SQSMessageDigest.md5OfBody(body)),
         "attributes": ["ApproximateReceiveCount": "1"], "eventSource": "aws:sqs"]
    }

    func testLambda_eventRecords_areHandedOutOnce_inLimitSizedBatches() async throws {
        let event: JSONValue = ["Records": [record("a", body: createdThing), record("b", body: createdThing), record("c", body: createdThing)]]
        let consumer = SQSConsumer(source: try .lambdaEvent(event), envelope: envelope(.lambda), limit: 2)
        XCTAssertEqual(consumer.source.description, "Lambda event (3 records)")
        let first = try await consumer.consume()
        XCTAssertEqual(first.map(\.messageId), ["a", "b"])
        XCTAssertFalse(consumer.isExhausted)
        let second = try await consumer.consume()
        XCTAssertEqual(second.map(\.messageId), ["c"])
        XCTAssertTrue(consumer.isExhausted)
        let third = try await consumer.consume()
        XCTAssertEqual(third.count, 0)
    }

    func testLambda_oneRecord_asMicrocosmPubSubsHandlerPassesIt() async throws {
        let consumer = SQSConsumer(source: try .lambdaEvent(record("a", body: createdThing)), envelope: envelope(.lambda))
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.map(\.messageId), ["a"])
        XCTAssertEqual(messages.map(\.receiptHandle), ["handle-a"])
    }

    func testConfig_sqsEvent_selectsTheLambdaSource_beforeAnyQueueURL() async throws {
        let event: JSONValue = ["Records": [record("a", body: createdThing)]]
        let consumer = try graph(["sqs_event": event, "sqs_queue_url": "STDIN"], envelope: ["strategy_name": "LambdaSQSEnvelope"]).sqsConsumer
        XCTAssertEqual(consumer.source.description, "Lambda event (1 record)")
        let messages = try await consumer.consume()
        XCTAssertEqual(messages.map(\.uri), ["http://things/1"])
    }

    func testConfig_sqsEventAsJSONText_fromTheEnvironment_isRead() async throws {
        let event = JSONSerializer.compact.string(["Records": [record("a", body: createdThing)]])
        let graph = try Graph(name: "things", testing: true, registry: .pubsub,
                              loader: .standard(environment: ["THINGS__SQS_CONSUMER__SQS_EVENT": event]))
        let messages = try await graph.sqsConsumer.consume()
        XCTAssertEqual(messages.map(\.messageId), ["a"])
    }

    func testConfig_emptySQSEvent_meansNoEvent_asInPython() throws {
        let consumer = try graph(["sqs_event": "", "sqs_queue_url": "STDIN"]).sqsConsumer
        XCTAssertEqual(consumer.source.description, "standard input")
    }

    func testLambda_eventWithoutRecords_failsNamingTheKey() throws {
        XCTAssertThrowsError(try graph(["sqs_event": ["Records": "none"]]).sqsConsumer) { error in
            XCTAssertTrue("\(error)".contains("config 'sqs_consumer.sqs_event': invalid Lambda SQS event: 'Records' is string"), "\(error)")
        }
        XCTAssertThrowsError(try MessageSource.lambdaEvent(42)) { error in
            XCTAssertEqual((error as? SQSConsumerError)?.code, .invalidLambdaEvent)
        }
        XCTAssertThrowsError(try MessageSource.lambdaEvent("{not json")) { error in
            XCTAssertTrue("\(error)".contains("invalid Lambda SQS event: not JSON"), "\(error)")
        }
    }

    // MARK: Acknowledging

    func testSourcesOtherThanAQueue_ackAndNackDoNothing_andBatchesSucceed() async throws {
        let sources: [MessageSource] = [
            try .lambdaEvent(["Records": [record("a", body: createdThing)]]),
            .lines(from: try pipe(createdThing).fileHandleForReading, name: "standard input"),
            try .file(at: consumerTemporaryFile(self, lines: [createdThing])),
        ]
        for source in sources {
            XCTAssertFalse(source.acknowledges, "\(source)")
            XCTAssertNil(source.queueURL)
            let consumer = SQSConsumer(source: source, envelope: envelope(.lambda))
            let message = try await consumer.consume()[0]
            try await message.ack()
            try await message.nack()
            try await message.nack(visibilityTimeout: 0)
            let acked = await consumer.ack([message])
            let nacked = await consumer.nack([message])
            XCTAssertEqual(acked.succeeded.map(\.messageId), [message.messageId], "\(source)")
            XCTAssertEqual(nacked.succeeded.map(\.messageId), [message.messageId], "\(source)")
            let processed = try await message.process { $0.uri }
            XCTAssertEqual(processed, "http://things/1")
        }
    }
}

extension MessageSource {
    /// The source a user holding a Foundation `FileHandle` makes: its descriptor, duplicated so the
    /// source owns (and closes) its copy whatever becomes of the handle.
    static func lines(from handle: FileHandle, name: String) -> MessageSource {
        .lines(fromFileDescriptor: dup(handle.fileDescriptor), name: name, closesDescriptor: true)
    }
}
