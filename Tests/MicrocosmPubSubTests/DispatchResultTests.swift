import Foundation
import Microcosm
import MicrocosmPubSub
import XCTest

/// Every row of the result table: what the handler did (or why no handler ran) and the result
/// the dispatcher returns for it, on messages produced and consumed through a testing graph.
final class DispatchResultTests: XCTestCase {
    func testDispatch_handlerReturnsTrue_succeedsAndDeletes() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual(result.mediaType, .created("Thing"))
        XCTAssertNil(result.retryVisibilityTimeout)
        XCTAssertNil(result.error)
    }

    func testDispatch_handlerGetsTheConsumedMessage() async throws {
        let bed = try await DispatchTestBed.make()
        let seen = DispatchSeen<String>()
        let dispatcher = try bed.dispatcher { message in
            seen.append(try message.decode(URIMessage.self).uri)
            seen.append(message.messageId)
            return true
        }
        let message = try await bed.producedMessage()
        _ = await dispatcher.dispatch(message)
        XCTAssertEqual(seen.all, ["http://things/1", message.messageId])
    }

    func testDispatch_handlerReturnsFalse_skipsAndDeletes() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in false }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .skipped)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertNil(result.error)
    }

    func testDispatch_handlerThrowsSkipMessage_skipsWithItsReasonAndExtra() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw SkipMessage("thing is archived", extra: ["thing_state": "archived"]) }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .skipped)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual((result.error as? SkipMessage)?.reason, "thing is archived")
        XCTAssertEqual(result.extra, ["thing_state": "archived"])
    }

    func testDispatch_handlerThrowsIgnoreMessage_ignoresAndDeletes() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw IgnoreMessage("not ours", extra: ["owner": "other"]) }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .ignored)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual((result.error as? IgnoreMessage)?.reason, "not ours")
        XCTAssertEqual(result.extra, ["owner": "other"])
    }

    func testDispatch_handlerThrowsNack_retriesAfterItsDelay() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw Nack(visibilityTimeout: 30, reason: "not committed yet", extra: ["try": "1"]) }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .retried)
        XCTAssertFalse(result.deletesMessage)
        XCTAssertEqual(result.retryVisibilityTimeout, 30)
        XCTAssertEqual((result.error as? Nack)?.reason, "not committed yet")
        XCTAssertEqual(result.extra, ["try": "1"])
    }

    func testDispatch_nackBeyondWhatSQSAccepts_isHeldToItsRange() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { message in
            throw Nack(visibilityTimeout: message.uri == "http://things/1" ? 50_000 : -5)
        }
        let tooLong = await dispatcher.dispatch(try await bed.producedMessage())
        try await bed.produce(uri: "http://things/2")
        let negative = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(tooLong.retryVisibilityTimeout, 43_200)
        XCTAssertEqual(negative.retryVisibilityTimeout, 0)
    }

    func testDispatch_handlerThrowsAnyOtherError_failsForTheBackoffPolicy() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in throw DispatchTestFailure() }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage)
        XCTAssertNil(result.retryVisibilityTimeout, "the backoff policy decides")
        XCTAssertTrue(result.error is DispatchTestFailure)
    }

    func testDispatch_typedHandlerOnContentThatDoesNotDecode_fails() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { message in
            _ = try message.decode(IdentityMessage.self)   // a created message has no id
            return true
        }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertTrue(result.error is ConsumedMessageError)
    }

    func testDispatch_noHandlerForTheMediaType_ignoresAndDeletes() async throws {
        let bed = try await DispatchTestBed.make()
        let calls = DispatchCallCounter()
        let dispatcher = try bed.dispatcher(for: .changed("Thing")) { _ in calls.increment(); return true }
        let result = await dispatcher.dispatch(try await bed.producedMessage())
        XCTAssertEqual(result.kind, .ignored)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual((result.error as? IgnoreMessage)?.reason, "No handler was registered for: \(MediaType.created("Thing"))")
        XCTAssertEqual(calls.value, 0)
    }

    // MARK: Bodies that could not be read

    func testDispatch_bodyThatIsNotJSON_failsWithoutCallingTheHandler() async throws {
        let bed = try await DispatchTestBed.make()
        let calls = DispatchCallCounter()
        let dispatcher = try bed.dispatcher { _ in calls.increment(); return true }
        try await bed.publishText("this is not JSON", mediaType: MediaType.created("Thing").rawValue)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage, "never delete a message that could not be read")
        XCTAssertEqual((result.error as? ConsumedMessageError)?.code, .notJSON)
        XCTAssertEqual(calls.value, 0)
    }

    func testDispatch_bodyWithoutMediaType_fails() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        try await bed.publishText(#"{"uri": "http://things/1"}"#)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertNil(result.mediaType)
        XCTAssertEqual((result.error as? ConsumedMessageError)?.code, .missingMediaType)
    }

    func testDispatch_contentThatFailsItsSchema_failsNamingTheMediaType() async throws {
        let bed = try await DispatchTestBed.make()
        let calls = DispatchCallCounter()
        let dispatcher = try bed.dispatcher { _ in calls.increment(); return true }
        try await bed.publishText(#"{"mediaType": "application/vnd.globality.pubsub._.created.thing", "url": "http://things/1"}"#)
        let result = await dispatcher.dispatch(try await bed.consumeOne())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertEqual(result.mediaType, .created("Thing"))
        let error = try XCTUnwrap(result.error as? ConsumedMessageError)
        XCTAssertEqual(error.code, .invalidContent)
        XCTAssertEqual(error.field, "uri")
        XCTAssertEqual(calls.value, 0)
    }

    func testDispatch_unregisteredMediaType_ignoresAndDeletes() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { _ in true }
        try await bed.publishText(#"{"mediaType": "application/vnd.acme.announced.thing", "name": "x"}"#)
        let message = try await bed.consumeOne()
        XCTAssertEqual(message.error?.code, .unregistered)
        let result = await dispatcher.dispatch(message)
        XCTAssertEqual(result.kind, .ignored)
        XCTAssertTrue(result.deletesMessage)
        XCTAssertEqual(result.mediaType, "application/vnd.acme.announced.thing")
        XCTAssertEqual((result.error as? IgnoreMessage)?.reason, "Could not parse message for: application/vnd.acme.announced.thing")
    }

    // MARK: Acknowledging is the caller's

    func testDispatch_doesNotAcknowledgeTheMessage() async throws {
        let bed = try await DispatchTestBed.make()
        let dispatcher = try bed.dispatcher { message in
            guard message.uri == "http://things/1" else { throw DispatchTestFailure() }
            return true
        }
        try await bed.produce(uri: "http://things/1")
        try await bed.produce(uri: "http://things/2")
        let messages = try await bed.graph.sqsConsumer.consume()
        XCTAssertEqual(messages.count, 2)
        var kinds: [MessageHandlingResult.Kind] = []
        for message in messages { kinds.append(await dispatcher.dispatch(message).kind) }
        XCTAssertEqual(Set(kinds), [.succeeded, .failed])
        let inFlight = try await bed.broker.inFlightMessages(in: bed.queueURL)
        XCTAssertEqual(inFlight.count, 2, "neither deleted nor handed back")
    }
}
