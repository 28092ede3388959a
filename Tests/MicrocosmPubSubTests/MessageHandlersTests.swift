import Foundation
import Microcosm
import MicrocosmPubSub
import Synchronization
import XCTest

/// What a handler registered in a test graph (binding `handler_probe`) counts.
private final class HandlerProbe: Sendable {
    private let counts = Mutex((built: 0, handled: 0))
    func built() { counts.withLock { $0.built += 1 } }
    func handled() { counts.withLock { $0.handled += 1 } }
    var builtCount: Int { counts.withLock { $0.built } }
    var handledCount: Int { counts.withLock { $0.handled } }
}

/// A handler type that resolves `handler_probe` from the graph when built.
private struct ProbeHandler: MessageHandler {
    let probe: HandlerProbe
    init(graph: Graph) throws {
        probe = try graph.resolve("handler_probe")
        probe.built()
    }
    func handle(_ message: ConsumedMessage) async throws -> Bool {
        probe.handled()
        return true
    }
}

/// A handler type that needs a binding the graph does not have.
private struct UnbuildableHandler: MessageHandler {
    init(graph: Graph) throws { _ = try graph.resolve("thing_store", as: String.self) }
    func handle(_ message: ConsumedMessage) async throws -> Bool { true }
}

/// A typed message with its own (non-convention) media type.
private struct ThingShipped: PubSubMessage, Equatable {
    static let mediaType: MediaType = "application/vnd.globality.pubsub._.shipped.thing"
    var uri: String
    var carrier: String
}

/// Registering handlers: exact and pattern media types, closures, typed closures and handler types,
/// duplicates rejected when the dispatcher is created, schemas registered, handler types built once.
final class MessageHandlersTests: XCTestCase {
    // MARK: Finding the handler

    func testLookup_exactMediaTypeWinsOverItsPattern() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<String>()
        var handlers = MessageHandlers()
        handlers.register("application/vnd.globality.pubsub._.created.*") { _ in seen.append("pattern"); return true }
        handlers.register(.created("Thing")) { _ in seen.append("exact"); return true }
        let dispatcher = try bed.dispatcher(handlers)
        try await bed.produce(.created("Thing"))
        _ = await dispatcher.dispatch(try await bed.consumeOne())
        try await bed.produce(.created("Widget"))
        _ = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(seen.all, ["exact", "pattern"])
    }

    func testLookup_patternCoversOneMoreSegmentOnly() async throws {
        let bed = try await DispatchTestBed.make()
        let calls = DispatchCallCounter()
        let dispatcher = try bed.dispatcher(for: "application/vnd.globality.pubsub._.*") { _ in calls.increment(); return true }
        try await bed.produce(.created("Thing"))
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .ignored)
        XCTAssertEqual(calls.value, 0)
    }

    func testLookup_patternDoesNotCoverOtherChanges() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher(for: "application/vnd.globality.pubsub._.created.*") { _ in true }
        try await bed.produce(.changed("Thing"))
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .ignored)
    }

    func testDispatcher_withTheDefaultHandlers_ignoresEverythingButBatchMessages() async throws {
        let bed = try await DispatchTestBed.make()
        let result = try await bed.graph.sqsMessageDispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .ignored)
        XCTAssertEqual(try bed.graph.sqsMessageDispatcher.handlerNames, [BatchMessage.mediaType: "BatchMessageHandler"])
    }

    // MARK: Duplicates

    func testDuplicateClosures_throwWhenTheDispatcherIsCreated_namingTheMediaTypeAndBothHandlers() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(.created("Thing")) { _ in true }
        handlers.register(.created("Thing")) { _ in false }
        XCTAssertThrowsError(try bed.dispatcher(handlers)) { error in
            let duplicate = (error as? GraphError)?.underlying as? MessageHandlersError
            XCTAssertEqual(duplicate?.code, .duplicateHandler, "\(error)")
            XCTAssertEqual(duplicate?.mediaType, .created("Thing"))
            XCTAssertEqual(duplicate?.handlers.count, 2)
            XCTAssertTrue("\(error)".contains("two handlers for media type '\(MediaType.created("Thing"))'"), "\(error)")
            XCTAssertTrue(duplicate?.handlers.allSatisfy { $0.hasPrefix("closure at MicrocosmPubSubTests/MessageHandlersTests.swift:") } ?? false,
                          "\(duplicate?.handlers ?? [])")
        }
    }

    func testDuplicate_closureAndHandlerType_throwsNamingTheType() async throws {
        let bed = try await DispatchTestBed.make()
        bed.graph.assign("handler_probe", HandlerProbe())
        var handlers = MessageHandlers()
        handlers.register(.deleted("Thing")) { _ in true }
        handlers.register(ProbeHandler.self, for: .deleted("Thing"))
        XCTAssertThrowsError(try SQSMessageDispatcher(graph: bed.graph, handlers: handlers)) { error in
            let duplicate = error as? MessageHandlersError
            XCTAssertEqual(duplicate?.mediaType, .deleted("Thing"))
            XCTAssertEqual(duplicate?.handlers.last, "ProbeHandler")
        }
    }

    func testDuplicatePatternAndExact_areNotDuplicates() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register("application/vnd.globality.pubsub._.created.*") { _ in true }
        handlers.register(.created("Thing")) { _ in true }
        XCTAssertNoThrow(try bed.dispatcher(handlers))
    }

    func testBatchMessageHandler_isRegisteredByDefault_andAnotherHandlerReplacesIt() async throws {
        var handlers = MessageHandlers()
        XCTAssertEqual(handlers.mediaTypes, [BatchMessage.mediaType])
        XCTAssertEqual(handlers.description, "\(BatchMessage.mediaType): BatchMessageHandler")
        handlers.register(BatchMessage.self) { _ in true }
        XCTAssertEqual(handlers.mediaTypes, [BatchMessage.mediaType])
        XCTAssertTrue(handlers.description.hasPrefix("\(BatchMessage.mediaType): BatchMessage closure at "), handlers.description)
        let bed = try await DispatchTestBed.make()
        XCTAssertNoThrow(try bed.dispatcher(handlers), "replacing the built-in handler is not a duplicate")
    }

    func testRegisteringTheBatchMessageTwice_isADuplicate() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(BatchMessage.self) { _ in true }
        handlers.register(BatchMessage.mediaType) { _ in true }
        XCTAssertThrowsError(try SQSMessageDispatcher(graph: bed.graph, handlers: handlers)) { error in
            XCTAssertEqual((error as? MessageHandlersError)?.mediaType, BatchMessage.mediaType)
        }
    }

    // MARK: Typed handlers and schemas

    func testTypedClosure_registersItsSchemaWhenTheDispatcherIsCreated_andGetsTheDecodedMessage() async throws {
        let bed = try await DispatchTestBed.make()
        let schemas = try bed.graph.pubsubMessageSchemaRegistry
        let seen = DispatchSeen<ThingShipped>()
        var handlers = MessageHandlers()
        handlers.register(ThingShipped.self) { shipped in
            seen.append(shipped)
            return true
        }
        XCTAssertNil(schemas.matchingMediaType(ThingShipped.mediaType), "registering the handler alone registers nothing yet")
        let dispatcher = try bed.dispatcher(handlers)
        XCTAssertEqual(try schemas.schema(for: ThingShipped.mediaType), PubSubMessageSchema(ThingShipped.self))
        try await bed.graph.snsProducer.produce(ThingShipped(uri: "http://things/1", carrier: "ups"))
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all, [ThingShipped(uri: "http://things/1", carrier: "ups")])
    }

    func testTypedClosure_onContentMissingAField_failsNamingIt() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(ThingShipped.self) { _ in true }
        let dispatcher = try bed.dispatcher(handlers)
        try await bed.publishText(#"{"mediaType": "application/vnd.globality.pubsub._.shipped.thing", "uri": "http://things/1"}"#)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertEqual((result.error as? ConsumedMessageError)?.field, "carrier")
    }

    func testTypedClosure_whoseMediaTypeHasAnotherSchema_throwsAtStartUp() async throws {
        let bed = try await DispatchTestBed.make()
        try bed.graph.pubsubMessageSchemaRegistry.register(URIMessage.self, for: ThingShipped.mediaType)
        var handlers = MessageHandlers()
        handlers.register(ThingShipped.self) { _ in true }
        XCTAssertThrowsError(try SQSMessageDispatcher(graph: bed.graph, handlers: handlers)) { error in
            XCTAssertEqual((error as? PubSubMessageError)?.code, .alreadyRegistered, "\(error)")
            XCTAssertEqual((error as? PubSubMessageError)?.mediaType, ThingShipped.mediaType)
        }
    }

    func testClosureForAMediaTypeWithoutSchema_makesItKnown_soItsMessagesAreHandled() async throws {
        let bed = try await DispatchTestBed.make()
        let mediaType: MediaType = "application/vnd.acme.pinged.thing"
        let dispatcher = try bed.dispatcher(for: mediaType) { _ in true }
        XCTAssertEqual(try bed.graph.pubsubMessageSchemaRegistry.matchingMediaType(mediaType), mediaType)
        try await bed.publishText(#"{"mediaType": "application/vnd.acme.pinged.thing", "uri": "http://things/1"}"#)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .succeeded, "as microcosm-pubsub's @handles, the media type reads with the convention schema")
    }

    // MARK: Handler types

    func testHandlerType_isBuiltOnceFromTheGraph_whenTheDispatcherIsCreated() async throws {
        let bed = try await DispatchTestBed.make()
        let probe = HandlerProbe()
        bed.graph.assign("handler_probe", probe)
        var handlers = MessageHandlers()
        handlers.register(ProbeHandler.self, for: .created("Thing"))
        handlers.register(ProbeHandler.self, for: .changed("Thing"))
        let dispatcher = try bed.dispatcher(handlers)
        XCTAssertEqual(probe.builtCount, 1, "built at start-up, once for both media types")
        try await bed.produce(.created("Thing"))
        let created = await dispatcher.dispatch(try await bed.consumeOne())
        try await bed.produce(.changed("Thing"))
        let changed = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual([created.kind, changed.kind], [.succeeded, .succeeded])
        XCTAssertEqual(probe.handledCount, 2)
        XCTAssertEqual(probe.builtCount, 1)
        XCTAssertEqual(dispatcher.handlerNames[.created("Thing")], "ProbeHandler")
    }

    func testHandlerTypeForATypedMessage_registersTheSchema() async throws {
        let bed = try await DispatchTestBed.make()
        bed.graph.assign("handler_probe", HandlerProbe())
        var handlers = MessageHandlers()
        handlers.register(ProbeHandler.self, for: ThingShipped.self)
        _ = try bed.dispatcher(handlers)
        XCTAssertEqual(try bed.graph.pubsubMessageSchemaRegistry.schema(for: ThingShipped.mediaType), PubSubMessageSchema(ThingShipped.self))
    }

    func testHandlerTypeThatCannotBeBuilt_throwsAtStartUpNamingItAndTheMediaType() async throws {
        let bed = try await DispatchTestBed.make()
        var handlers = MessageHandlers()
        handlers.register(UnbuildableHandler.self, for: .created("Thing"))
        XCTAssertThrowsError(try SQSMessageDispatcher(graph: bed.graph, handlers: handlers)) { error in
            let failure = error as? MessageHandlersError
            XCTAssertEqual(failure?.code, .handlerCreationFailed, "\(error)")
            XCTAssertEqual(failure?.mediaType, .created("Thing"))
            XCTAssertTrue("\(error)".hasPrefix("cannot build handler UnbuildableHandler for media type '\(MediaType.created("Thing"))': "),
                          "\(error)")
            XCTAssertTrue("\(error)".contains("thing_store"), "\(error)")
        }
    }
}
