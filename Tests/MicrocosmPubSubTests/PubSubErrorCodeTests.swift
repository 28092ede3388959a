import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

private struct NeedsAStore: MessageHandler {
    init(graph: Graph) throws { _ = try graph.resolve("thing_store", as: String.self) }
    func handle(_ message: ConsumedMessage) async throws -> Bool { true }
}

private struct Counter: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.acme.counter"
    var count: UInt64
}

private struct OtherCounter: PubSubMessage {
    static let mediaType: MediaType = "application/vnd.acme.counter"
    var total: Int
}

/// Callers switch on the codes of the errors failing pubsub calls throw (or consumed messages carry).
final class PubSubErrorCodeTests: XCTestCase {
    // MARK: ConsumedMessageError

    private func switched(_ error: ConsumedMessageError?) -> String {
        guard let error else { return "no error" }
        switch error.code {
        case .notJSON: return "notJSON"
        case .notAnObject: return "notAnObject"
        case .missingMediaType: return "missingMediaType"
        case .unregistered: return "unregistered"
        case .invalidContent: return "invalidContent"
        case .checksumMismatch: return "checksumMismatch"
        case .malformedEnvelope: return "malformedEnvelope"
        default: return "another code: \(error.code)"
        }
    }

    func testConsumedMessageErrorCode_ofEachBadBody_isTheOneACallerSwitchesOn() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        try await bed.send("hello, world")
        try await bed.publish("[1, 2]")
        try await bed.publish(#"{"uri": "http://things/2"}"#)
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.announced.thing", "name": "x"}"#)
        try await bed.publish(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "url": "http://things/3"}"#)
        try await bed.send(#"{"Type": "Notification", "Message": 3}"#)
        let messages = try await bed.consumer.consume()
        XCTAssertEqual(messages.map { switched($0.error) },
                       ["no error", "notJSON", "notAnObject", "missingMediaType", "unregistered", "invalidContent", "malformedEnvelope"])
        // A content problem has the code of its PubSubMessageError too.
        XCTAssertEqual(messages.map { $0.error?.contentError?.code },
                       [nil, .notJSON, .notAnObject, .missingMediaType, .unregistered, .invalidContent, nil])
    }

    func testConsumedMessageErrorCode_ofABodyGarbledInTransit_isChecksumMismatch() async throws {
        let bed = try await ConsumerTestBed.make()
        try await bed.publishCreated("http://things/1")
        let garbling = ConsumerTamperingSQS(inner: bed.broker.sqs) { message in
            var message = message
            message.body = message.body.replacingOccurrences(of: "things/1", with: "things/9")
            return message
        }
        let envelope = SQSEnvelope(strategy: .codec, validateMD5: true, schemaRegistry: try bed.graph.pubsubMessageSchemaRegistry)
        let messages = try await SQSConsumer(source: .queue(bed.queueURL, client: garbling), envelope: envelope, waitSeconds: 0).consume()
        XCTAssertEqual(messages.map { switched($0.error) }, ["checksumMismatch"])
        XCTAssertEqual(messages.first?.error?.code.description, "checksumMismatch")
        XCTAssertNil(messages.first?.error?.contentError)
    }

    // MARK: PubSubMessageError

    private func switched(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as PubSubMessageError {
            switch error.code {
            case .notJSON: return "notJSON"
            case .notAnObject: return "notAnObject"
            case .missingMediaType: return "missingMediaType"
            case .unregistered: return "unregistered"
            case .alreadyRegistered: return "alreadyRegistered"
            case .invalidContent: return "invalidContent"
            case .encodingFailed: return "encodingFailed"
            default: return "another code: \(error.code)"
            }
        } catch {
            return "not a PubSubMessageError: \(error)"
        }
    }

    func testPubSubMessageErrorCode_ofEachFailingCodecCall_isTheOneACallerSwitchesOn() throws {
        let registry = PubSubMessageSchemaRegistry()
        try registry.register(Counter.self)
        XCTAssertEqual(switched { _ = try registry.decode("hello") }, "notJSON")
        XCTAssertEqual(switched { _ = try registry.decode("[1]") }, "notAnObject")
        XCTAssertEqual(switched { _ = try registry.decode(#"{"uri": "http://things/1"}"#) }, "missingMediaType")
        XCTAssertEqual(switched { _ = try registry.decode(#"{"mediaType": "application/vnd.acme.unknown"}"#) }, "unregistered")
        XCTAssertEqual(switched { _ = try registry.decode(#"{"mediaType": "application/vnd.acme.counter", "count": "many"}"#) },
                       "invalidContent")
        XCTAssertEqual(switched { try registry.register(OtherCounter.self) }, "alreadyRegistered")
        XCTAssertEqual(switched { _ = try registry.encode(Counter(count: .max)) }, "encodingFailed")
        XCTAssertEqual(switched { _ = try registry.decode(#"{"mediaType": "application/vnd.acme.counter", "count": 3}"#) }, "no error")
    }

    // MARK: SQSConsumerError

    private func switched(_ error: any Error) -> String {
        guard let error = error as? SQSConsumerError ?? (error as? GraphError)?.underlying as? SQSConsumerError else {
            return "not an SQSConsumerError: \(error)"
        }
        switch error.code {
        case .unknownBackoffPolicy: return "unknownBackoffPolicy"
        case .unknownEnvelope: return "unknownEnvelope"
        case .invalidSetting: return "invalidSetting"
        case .noQueueURL: return "noQueueURL"
        case .invalidQueueURL: return "invalidQueueURL"
        case .unreadableSource: return "unreadableSource"
        case .invalidLambdaEvent: return "invalidLambdaEvent"
        default: return "another code: \(error.code)"
        }
    }

    private func consumerError(_ config: JSONObject) async -> String {
        do {
            let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .empty, config: config)
            _ = try await graph.sqsConsumer.consume()
            return "no error"
        } catch {
            return switched(error)
        }
    }

    func testSQSConsumerErrorCode_ofEachUnusableSetting_isTheOneACallerSwitchesOn() async throws {
        let unknownPolicy = await consumerError(["sqs_consumer": ["sqs_queue_url": "STDIN", "backoff_policy": "Linear"]])
        XCTAssertEqual(unknownPolicy, "unknownBackoffPolicy")
        let unknownEnvelope = await consumerError(["sqs_consumer": ["sqs_queue_url": "STDIN"], "sqs_envelope": ["strategy_name": "Snappy"]])
        XCTAssertEqual(unknownEnvelope, "unknownEnvelope")
        let limit = await consumerError(["sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/things",
                                                          "limit": 25]])
        XCTAssertEqual(limit, "invalidSetting")
        let noQueue = await consumerError([:])
        XCTAssertEqual(noQueue, "noQueueURL")
        let missingFile = await consumerError(["sqs_consumer": ["sqs_queue_url": "/nonexistent/replay.jsonl"]])
        XCTAssertEqual(missingFile, "invalidQueueURL")
        let badEvent = await consumerError(["sqs_consumer": ["sqs_event": ["Records": "none"]]])
        XCTAssertEqual(badEvent, "invalidLambdaEvent")
        XCTAssertThrowsError(try MessageSource.file(at: "/nonexistent/replay.jsonl")) { error in
            XCTAssertEqual(self.switched(error), "unreadableSource")
        }
    }

    // MARK: MessageHandlersError

    private func handlersError(_ handlers: MessageHandlers) async throws -> String {
        let bed = try await DispatchTestBed.make()
        do {
            _ = try SQSMessageDispatcher(graph: bed.graph, handlers: handlers)
            return "no error"
        } catch let error as MessageHandlersError {
            switch error.code {
            case .duplicateHandler: return "duplicateHandler"
            case .handlerCreationFailed: return "handlerCreationFailed"
            default: return "another code: \(error.code)"
            }
        }
    }

    func testMessageHandlersErrorCode_ofEachUnusableHandlerSet_isTheOneACallerSwitchesOn() async throws {
        var twice = MessageHandlers()
        twice.register(.created("Thing")) { _ in true }
        twice.register(.created("Thing")) { _ in false }
        let duplicate = try await handlersError(twice)
        XCTAssertEqual(duplicate, "duplicateHandler")
        var unbuildable = MessageHandlers()
        unbuildable.register(NeedsAStore.self, for: .created("Thing"))
        let creation = try await handlersError(unbuildable)
        XCTAssertEqual(creation, "handlerCreationFailed")
    }

    // MARK: SNSProducerError

    private func producerError(_ config: JSONObject = [:], _ body: (SNSProducer) async throws -> Void) async throws -> String {
        let producer = try ProducerTesting.producer(try ProducerTesting.graph(config: config))
        do {
            try await body(producer)
            return "no error"
        } catch let error as SNSProducerError {
            switch error.code {
            case .topicNotDefined: return "topicNotDefined"
            case .messageTooLarge: return "messageTooLarge"
            case .publishFailed:
                switch error.awsErrorCode {
                case .notFound?: return "publishFailed: notFound"
                default: return "publishFailed: \(String(describing: error.awsErrorCode))"
                }
            case .missingMessageGroupId: return "missingMessageGroupId"
            case .invalidFIFOId: return "invalidFIFOId"
            default: return "another code: \(error.code)"
            }
        }
    }

    func testSNSProducerErrorCode_ofEachRefusedMessage_isTheOneACallerSwitchesOn() async throws {
        let noTopic = try await producerError(["sns_topic_arns": ["default": nil]]) { try await $0.produce(.deleted("Thing"), ["id": "1"]) }
        XCTAssertEqual(noTopic, "topicNotDefined")
        let tooLarge = try await producerError {
            try await $0.produce(.created("Thing"), uri: String(repeating: "a", count: RequestValidation.maximumSNSMessageBytes))
        }
        XCTAssertEqual(tooLarge, "messageTooLarge")
        let refused = try await producerError { try await $0.produce(.created("Thing"), uri: "http://things/1") }   // no such topic
        XCTAssertEqual(refused, "publishFailed: notFound")
        let fifo: JSONObject = ["sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:things.fifo"]]
        let noGroup = try await producerError(fifo) { try await $0.produce(.deleted("Thing"), ["id": "1"]) }
        XCTAssertEqual(noGroup, "missingMessageGroupId")
        let emptyGroup = try await producerError(fifo) { try await $0.produce(.created("Thing"), uri: "http://things/1", messageGroupId: "") }
        XCTAssertEqual(emptyGroup, "invalidFIFOId")
    }
}
