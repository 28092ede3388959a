import Foundation
import Microcosm
import MicrocosmPubSub
import XCTest

/// The opaque context a handler runs in (opaque data, message id, URI, TTL, receipt handle), the
/// TTL loop guard, `message_max_processing_attempts`, and the context carried into produced messages.
final class DispatchContextTests: XCTestCase {
    /// A dispatcher whose created.thing handler records `graph.opaque` as it sees it.
    private func recordingDispatcher(_ bed: DispatchTestBed, seen: DispatchSeen<OpaqueValues>) throws -> SQSMessageDispatcher {
        let graph = bed.graph
        return try bed.dispatcher { _ in
            seen.append(graph.opaque.values)
            return true
        }
    }

    // MARK: The context

    func testDispatch_handlerSeesTheMessagesOpaqueDataIdURIReceiptHandleAndTTL31() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        let message = try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1"])
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded)
        let context = try XCTUnwrap(seen.all.first)
        XCTAssertEqual(context["x-request-id"], "req-1")
        XCTAssertEqual(context["x-request-ttl"], "31", "no TTL in the message: the initial 32, minus one")
        XCTAssertEqual(context["message_id"], message.messageId)
        XCTAssertEqual(context["uri"], "http://things/1")
        XCTAssertEqual(context["receipt_handle"], message.receiptHandle)
        XCTAssertNotNil(context["x-request-published"], "the message's own opaque data")
    }

    func testDispatch_contextEndsWithTheDispatch() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        _ = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1"]))
        XCTAssertEqual(seen.all.count, 1)
        XCTAssertNil(bed.graph.opaque["x-request-id"])
        XCTAssertNil(bed.graph.opaque["message_id"])
    }

    func testDispatch_concurrentMessages_eachHandlerSeesItsOwnContext() async throws {
        let bed = try await DispatchTestBed.make()
        let graph = bed.graph
        let seen = DispatchSeen<[String?]>()
        let dispatcher = try bed.dispatcher { message in
            await Task.yield()
            seen.append([message.uri, graph.opaque["uri"], message.messageId, graph.opaque["message_id"]])
            return true
        }
        for index in 1...10 { try await bed.produce(uri: "http://things/\(index)") }
        var messages: [ConsumedMessage] = []
        while messages.count < 10 { messages += try await bed.graph.sqsConsumer.consume() }
        await withTaskGroup(of: Void.self) { group in
            for message in messages { group.addTask { _ = await dispatcher.dispatch(message) } }
        }
        XCTAssertEqual(seen.all.count, 10)
        for values in seen.all {
            XCTAssertEqual(values[0], values[1])
            XCTAssertEqual(values[2], values[3])
        }
    }

    func testDispatch_handlerProducing_carriesTheContextIntoTheProducedMessage() async throws {
        let bed = try await DispatchTestBed.make()
        let graph = bed.graph
        let dispatcher = try bed.dispatcher { _ in
            try await graph.snsProducer.produce(.changed("Thing"), uri: "http://things/1")
            return true
        }
        let message = try await bed.producedMessage(opaqueData: ["X-Request-Id": "req-1"])
        await bed.broker.clearPublications()
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .succeeded)
        let produced = try await bed.published()
        XCTAssertEqual(produced.count, 1)
        let opaqueData = try XCTUnwrap(produced.first?["opaqueData"])
        XCTAssertEqual(produced.first?["mediaType"]?.stringValue, MediaType.changed("Thing").rawValue)
        XCTAssertEqual(opaqueData["x-request-id"], "req-1")
        XCTAssertEqual(opaqueData["x-request-ttl"], "31")
        XCTAssertEqual(opaqueData["message_id"]?.stringValue, message.messageId)
    }

    func testDispatch_producedMessageConsumedAgain_countsTheTTLDownAHop() async throws {
        let bed = try await DispatchTestBed.make()
        let graph = bed.graph
        let seen = DispatchSeen<String?>()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in
            try await graph.snsProducer.produce(.changed("Thing"), uri: "http://things/1")
            return true
        }
        handlers.register(.changed("Thing")) { _ in
            seen.append(graph.opaque["x-request-ttl"])
            return true
        }
        let dispatcher = try bed.dispatcher(handlers)
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        let second = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(second.kind, .succeeded)
        XCTAssertEqual(seen.all, ["30"])
    }

    // MARK: TTL

    func testDispatch_ttlOne_expiresWithoutCallingTheHandler() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        let result = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["x-request-ttl": "1"]))
        XCTAssertEqual(result.kind, .expired)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual(seen.all.count, 0)
    }

    func testDispatch_ttlTwo_isHandledWithTTLOne() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        let result = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["x-request-ttl": "2"]))
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all.first?["x-request-ttl"], "1")
    }

    func testDispatch_expiredMessageBeyondMaxAttempts_isExpiredFirst() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_dispatcher": ["message_max_processing_attempts": 1]])
        let dispatcher = try bed.dispatcher { _ in true }
        try await bed.produce(opaqueData: ["x-request-ttl": "0"])
        try await bed.consumeOne().nack(visibilityTimeout: 0)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .expired)
    }

    func testDispatch_initialTTLFromConfig_isUsedForMessagesWithoutOne() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_context": ["initial_ttl": 5]])
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        _ = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(seen.all.first?["x-request-ttl"], "4")
    }

    func testDispatch_initialTTLOne_expiresMessagesWithoutOne() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_context": ["initial_ttl": 1]])
        let dispatcher = try bed.dispatcher { _ in true }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .expired)
    }

    func testDispatch_ttlDisabled_addsNoTTLAndKeepsTheMessagesOwn() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_context": ["enable_ttl": false]])
        let seen = DispatchSeen<OpaqueValues>()
        let dispatcher = try recordingDispatcher(bed, seen: seen)
        let withoutTTL = await dispatcher.dispatch(try await bed.producedMessage())
        let withTTL = await dispatcher.dispatch(try await bed.producedMessage(opaqueData: ["x-request-ttl": "1"]))
        XCTAssertEqual(withoutTTL.kind, .succeeded)
        XCTAssertEqual(withTTL.kind, .succeeded, "TTL 1 is not counted down, so it has not expired")
        XCTAssertEqual(seen.all.map { $0["x-request-ttl"] }, [nil, "1"])
    }

    func testDispatch_ttlDisabledByEnvironment_asForAPythonService() async throws {
        let environment = ["THINGS__SQS_MESSAGE_CONTEXT__ENABLE_TTL": "false", "THINGS__SQS_MESSAGE_CONTEXT__INITIAL_TTL": "7"]
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: environment))
        let context = try graph.sqsMessageContext
        XCTAssertFalse(context.enableTTL)
        XCTAssertEqual(context.initialTTL, 7)
    }

    func testSQSMessageContext_defaultsAreMicrocosmPubSubs() throws {
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]))
        XCTAssertEqual(graph.config.value(at: "sqs_message_context.enable_ttl"), true)
        XCTAssertEqual(graph.config.value(at: "sqs_message_context.initial_ttl"), 32)
        XCTAssertEqual(graph.config.value(at: "sqs_message_dispatcher.message_max_processing_attempts"), .null)
        let context = try graph.sqsMessageContext
        XCTAssertTrue(context.enableTTL)
        XCTAssertEqual(context.initialTTL, 32)
        XCTAssertNil(try graph.sqsMessageDispatcher.maxProcessingAttempts)
    }

    // MARK: Processing attempts

    func testDispatch_receivedMoreThanMaxAttempts_isSkippedWithoutCallingTheHandler() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_dispatcher": ["message_max_processing_attempts": 2]])
        let calls = DispatchCallCounter()
        let dispatcher = try bed.dispatcher { _ in calls.increment(); return true }
        try await bed.produce()
        try await bed.consumeOne().nack(visibilityTimeout: 0)
        let second = try await bed.consumeOne()
        XCTAssertEqual(second.receiveCount, 2)
        let atTheLimit = await dispatcher.dispatch(second)
        try await second.nack(visibilityTimeout: 0)
        let third = try await bed.consumeOne()
        XCTAssertEqual(third.receiveCount, 3)
        let beyond = await dispatcher.dispatch(third)
        XCTAssertEqual(atTheLimit.kind, .succeeded)
        XCTAssertEqual(beyond.kind, .skipped)
        XCTAssertTrue(beyond.deletesMessage)
        XCTAssertEqual((beyond.error as? SkipMessage)?.reason, "Message exceeded maximum of 2 processing attempts. Skipping")
        XCTAssertEqual(beyond.extra, ["max": "2"])
        XCTAssertEqual(calls.value, 1)
    }

    func testDispatch_maxAttemptsZero_meansNoLimit() async throws {
        let bed = try await DispatchTestBed.make(config: ["sqs_message_dispatcher": ["message_max_processing_attempts": 0]])
        let dispatcher = try bed.dispatcher { _ in true }
        XCTAssertNil(dispatcher.maxProcessingAttempts)
        try await bed.produce()
        try await bed.consumeOne().nack(visibilityTimeout: 0)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded)
    }

    func testDispatcher_maxAttemptsFromEnvironment() throws {
        let environment = ["THINGS__SQS_MESSAGE_DISPATCHER__MESSAGE_MAX_PROCESSING_ATTEMPTS": "3"]
        let graph = try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: environment))
        XCTAssertEqual(try graph.sqsMessageDispatcher.maxProcessingAttempts, 3)
    }

    func testDispatcher_negativeMaxAttempts_isAConfigErrorNamingTheKey_whenTheGraphIsMade() throws {
        XCTAssertThrowsError(try Graph(name: "things", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                                       config: ["sqs_message_dispatcher": ["message_max_processing_attempts": -1]])) { error in
            XCTAssertEqual("\(error)", "config 'sqs_message_dispatcher.message_max_processing_attempts' (from explicit config): "
                               + "expected a whole number of at least 0, got int -1")
        }
    }
}
