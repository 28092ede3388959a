import Foundation
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import XCTest

/// A created order, handled by the handlers below.
struct OrderCreated: PubSubMessage {
    static let mediaType: MediaType = .created("Order")
    var uri: String
    var customerName: String?
}

/// Ships orders: built once from the graph, gets the typed message and the context, and
/// produces a follow-up through the graph's producer.
struct ShipOrderHandler: MessageHandler {
    static let built = DispatchCallCounter()
    let producer: SNSProducer

    init(graph: Graph) throws {
        producer = try graph.snsProducer
        Self.built.increment()
    }

    func handle(_ order: OrderCreated, context: HandlerContext) async throws -> Bool {
        try await producer.produce(.changed("Order"), ["field_name": "status", "new_value": "shipped"], uri: order.uri)
        return true
    }
}

/// Takes the message as consumed, with the context.
struct RawThingHandler: MessageHandler {
    static let seen = DispatchSeen<String>()
    init(graph: Graph) throws {}
    func handle(_ message: ConsumedMessage, context: HandlerContext) async throws -> Bool {
        Self.seen.append("\(message.messageId) \(context.mediaType) \(context.opaque["handler"] ?? "-")")
        return true
    }
}

/// Written before handlers got a context: `handle(_:)` with the message as consumed; named its own way.
struct LegacyThingHandler: MessageHandler {
    static var handlerName: String { "Thing Refresher" }
    static let seen = DispatchSeen<String>()
    init(graph: Graph) throws {}
    func handle(_ message: ConsumedMessage) async throws -> Bool {
        Self.seen.append(message.uri ?? "-")
        return message.uri != "http://things/skip"
    }
}

/// Decodes a convention message (not a PubSubMessage) for a named media type.
struct RefreshThingHandler: MessageHandler {
    static let seen = DispatchSeen<String>()
    init(graph: Graph) throws {}
    func handle(_ message: URIMessage, context: HandlerContext) async throws -> Bool {
        Self.seen.append(message.uri)
        return true
    }
}

final class HandlerContextTests: XCTestCase {
    func testTypedClosure_getsTheDecodedMessageAndTheContext() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<String>()
        var handlers = MessageHandlers()
        handlers.register(OrderCreated.self) { order, context in
            seen.append("\(order.uri) \(order.customerName ?? "-") \(context.mediaType) \(context.opaque["x-request-id"] ?? "-") "
                        + "\(context.opaque["handler"] ?? "-") \(context.message.messageId == context.opaque["message_id"]) "
                        + "\(context.graph.metadata.name)")
            return true
        }
        let dispatcher = try bed.dispatcher(handlers)
        try await bed.graph.snsProducer.produce(OrderCreated(uri: "http://orders/1", customerName: "Ada"), opaqueData: ["X-Request-Id": "req-1"])
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all, ["http://orders/1 Ada application/vnd.globality.pubsub._.created.order req-1 Function true things"])
    }

    func testClosure_withContext_usesTheGraphsProducer() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { message, context in
            try await context.graph.snsProducer.produce(.deleted("Thing"), ["id": "1"])
            return true
        }
        let dispatcher = try bed.dispatcher(handlers)
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .succeeded)
        let published = try await bed.published()
        XCTAssertEqual(published.last?["mediaType"], "application/vnd.globality.pubsub._.deleted.thing")
        XCTAssertEqual(published.last?["opaqueData"]?["handler"], "Function")
    }

    func testHandlerType_isRegisteredByItsMessagesMediaType_andBuiltOnce() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(ShipOrderHandler.self)
        XCTAssertEqual(handlers.mediaTypes, [BatchMessage.mediaType, .created("Order")].sorted { $0.rawValue < $1.rawValue })
        let builtBefore = ShipOrderHandler.built.value
        let dispatcher = try bed.dispatcher(handlers)
        XCTAssertEqual(ShipOrderHandler.built.value, builtBefore + 1)
        for index in 1...2 { try await bed.graph.snsProducer.produce(OrderCreated(uri: "http://orders/\(index)")) }
        var messages: [ConsumedMessage] = []
        while messages.count < 2 { messages += try await bed.graph.sqsConsumer.consume() }
        for message in messages {
            let result = await dispatcher.dispatch(message)
            XCTAssertEqual(result.kind, .succeeded)
        }
        XCTAssertEqual(ShipOrderHandler.built.value, builtBefore + 1, "built once, when the dispatcher was made")
        XCTAssertEqual(dispatcher.handlerNames[.created("Order")], "ShipOrderHandler")
    }

    func testHandlerType_withConsumedMessage_getsTheRawMessageAndContext() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(RawThingHandler.self, for: .created("Thing"))
        let message = try await bed.producedMessage()
        _ = try await bed.dispatcher(handlers).dispatch(message)
        XCTAssertEqual(RawThingHandler.seen.all.last, "\(message.messageId) application/vnd.globality.pubsub._.created.thing Raw Thing Handler")
    }

    func testHandlerType_writtenWithHandleWithoutContext_stillWorks() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(LegacyThingHandler.self, for: .created("Thing"))
        let dispatcher = try bed.dispatcher(handlers)
        let handled = await dispatcher.dispatch(try await bed.producedMessage())
        try await bed.produce(uri: "http://things/skip")
        let skipped = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual([handled.kind, skipped.kind], [.succeeded, .skipped])
        XCTAssertEqual(LegacyThingHandler.seen.all.suffix(2), ["http://things/1", "http://things/skip"])
        XCTAssertEqual(bed.resultRecords.last?.metadata["handler"], "Thing Refresher", "its own handlerName")
    }

    func testHandlerType_withDecodableMessage_forANamedMediaType() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(RefreshThingHandler.self, for: .created("Thing"))
        let result = try await bed.dispatcher(handlers).dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(RefreshThingHandler.seen.all.last, "http://things/1")
    }

    // MARK: Opaque values and the handler key, as microcosm-pubsub

    /// What microcosm-pubsub 3.0.0 publishes from a `ShipOrderHandler` class handling this consumed
    /// message (graph `opaque` config `{"X-Base": "base"}`, SQS message id `sqs-1`, receipt handle
    /// `rh-1`), run in process with a mocked SNS client: `SQSMessageDispatcher.handle_message` with
    /// the handler calling `sns_producer.produce(changed("Order"), uri=message["uri"],
    /// field_name="status", new_value="shipped")`.
    private static let pythonConsumed = #"{"mediaType": "application/vnd.globality.pubsub._.created.order", "opaqueData": {"x-request-id": "req-1", "retries": 3, "flags": {"a": [1, true]}, "none": null, "x-request-published": "1795960760.25"}, "uri": "http://orders/1"}"#
    private static let pythonProduced = #"{"mediaType": "application/vnd.globality.pubsub._.changed.order", "opaqueData": {"x-base": "base", "x-request-id": "req-1", "retries": 3, "flags": {"a": [1, true]}, "none": null, "x-request-published": "1796268286.601651", "message_id": "sqs-1", "x-request-ttl": "31", "uri": "http://orders/1", "receipt_handle": "rh-1", "handler": "Ship Order Handler"}, "uri": "http://orders/1", "field_name": "status", "new_value": "shipped"}"#

    func testProducedInsideAHandler_carriesTypedOpaqueValuesAndTheHandlerKey_asPythonWritesThem() async throws {
        let bed = try await DispatchTestBed.make(config: ["opaque": ["X-Base": "base"]])
        var handlers = MessageHandlers()
        handlers.register(ShipOrderHandler.self)
        let dispatcher = try bed.dispatcher(handlers)
        try await bed.publishText(Self.pythonConsumed, mediaType: OrderCreated.mediaType.rawValue)
        let message = try await bed.consumeOne()
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded)
        let publications = await bed.broker.publications(to: DispatchTestBed.topicArn)
        let produced = try XCTUnwrap(publications.last?.message)
        let published = try XCTUnwrap(JSONParser.parse(produced)["opaqueData"]?["x-request-published"]?.stringValue)
        let expected = Self.pythonProduced
            .replacingOccurrences(of: #""sqs-1""#, with: #""\#(message.messageId)""#)
            .replacingOccurrences(of: #""rh-1""#, with: #""\#(message.receiptHandle)""#)
            .replacingOccurrences(of: "1796268286.601651", with: published)
        XCTAssertEqual(produced, expected)
    }

    func testConsumedOpaqueValues_keepTheirJSONTypesInTheGraphsOpaque() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<[JSONValue?]>()
        let graph = bed.graph
        let dispatcher = try bed.dispatcher(for: .created("Order")) { _ in
            seen.append(["retries", "flags", "none", "x-request-id"].map { graph.opaque[json: $0] })
            return true
        }
        try await bed.publishText(Self.pythonConsumed, mediaType: OrderCreated.mediaType.rawValue)
        _ = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(seen.all.first, [.int(3), ["a": [1, true]], .null, "req-1"])
    }

    func testResultLog_namesTheHandler() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(RawThingHandler.self, for: .created("Thing"))
        _ = try await bed.dispatcher(handlers).dispatch(try await bed.producedMessage())
        XCTAssertEqual(bed.resultRecords.last?.metadata["handler"], "Raw Thing Handler")
    }
}
