import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import Synchronization
import XCTest

/// URI handlers through the real dispatcher, against an orders service on a loopback HTTP server:
/// what microcosm-pubsub's `URIHandler` does, and its tests check, for each message.
final class URIHandlerTests: XCTestCase {
    // MARK: Fetching

    func testHandle_whenResourceIsThere_handsTheDecodedResourceAndSucceeds() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(test.seen.orders, [URITestOrder(id: "1", state: "placed")])
        XCTAssertEqual(test.seen.uris, [test.uri()])
        XCTAssertEqual(test.server.requests.map(\.method), ["GET"])
        XCTAssertEqual(test.server.requests.map(\.target), ["/api/v1/order/1"])
    }

    func testHandle_whenResourceIsJSONValue_handsThePlainObject() async throws {
        let test = try await URITestBed.serving(#"{"id": "1", "lines": [{"sku": "a"}]}"#)
        defer { test.stop() }
        let seen = DispatchSeen<JSONValue>()
        test.graph.assign("seen_json", seen)
        let (result, _) = try await test.dispatch(URITestBed.handlers(PlainOrderHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(seen.all, [.object(["id": "1", "lines": .array([.object(["sku": "a"])])])])
    }

    func testHandle_sendsTheOpaqueValuesAsRequestHeaders() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let (_, message) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri(),
                                                   opaqueData: ["X-Request-Id": "req-1", "x-tenant": "acme"])
        let request = try XCTUnwrap(test.server.requests.first)
        XCTAssertEqual(request.header("x-request-id"), "req-1")
        XCTAssertEqual(request.header("x-tenant"), "acme")
        // As microcosm-pubsub's opaque.as_dict(): the message's context too.
        XCTAssertEqual(request.header("message_id"), message.messageId)
        XCTAssertEqual(request.header("x-request-ttl"), "31")
        XCTAssertEqual(request.header("uri"), test.uri())
    }

    func testHandle_whenHandlerReturnsFalse_isSkippedWithOneInfoLineSayingIgnored() async throws {
        let test = try await URITestBed.serving(#"{"id": "1", "state": "cancelled"}"#)
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .skipped)
        XCTAssertTrue(result.deletesMessage)
        let lines = test.handlerRecords(.info)
        XCTAssertEqual(lines.map(\.message), ["Ignored Order Created Handler"])
        XCTAssertEqual(lines.first?.metadata["pubsub.handler"], "Order Created Handler")
        XCTAssertEqual(lines.first?.metadata["pubsub.uri"], test.uri())
    }

    func testHandle_whenHandled_logsNoInfoLineOfItsOwn_onlyStartingAndHandledAtDebug() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(test.handlerRecords(.info).map(\.message), [])
        XCTAssertEqual(test.handlerRecords(.debug).map(\.message), ["Starting Order Created Handler", "Handled Order Created Handler"])
        // The dispatcher's one result line.
        XCTAssertEqual(test.bed.resultRecords.map(\.level), [.info])
        XCTAssertEqual(test.bed.resultRecords.first?.metadata["pubsub.result"], "SUCCEEDED")
    }

    // MARK: Skipping

    func testHandle_whenThereIsAReasonToSkip_makesNoRequestAndIsSkippedWithTheReason() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let uri = test.uri("/api/v1/test/order/1")
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: uri)
        XCTAssertEqual(result.kind, .skipped)
        XCTAssertEqual(test.server.requests.count, 0)
        XCTAssertEqual(test.seen.orders, [])
        let lines = test.handlerRecords(.info)
        XCTAssertEqual(lines.map(\.message), ["Skipping Order Created Handler because it is a test order"])
        XCTAssertEqual(lines.first?.metadata["pubsub.reason"], "it is a test order")
        XCTAssertEqual(lines.first?.metadata["pubsub.uri"], uri)
    }

    // MARK: Not there yet

    func testHandle_when404_nacksWithTheResourceNackTimeout() async throws {
        let test = try await URITestBed.make { _ in .init(status: 404, text: "{}") }
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(PatientOrderHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .retried)
        XCTAssertEqual(result.retryVisibilityTimeout, 30)
        XCTAssertFalse(result.deletesMessage)
        XCTAssertEqual((result.error as? Nack)?.reason, "URI resource not found")
    }

    func testHandle_when404_byDefaultNacksForOneSecond() async throws {
        let test = try await URITestBed.make { _ in .init(status: 404) }
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .retried)
        XCTAssertEqual(result.retryVisibilityTimeout, 1)
    }

    func testHandle_when404AndNotNackIfNotFound_failsNamingTheURIAndStatus() async throws {
        let test = try await URITestBed.make { _ in .init(status: 404) }
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(StrictOrderHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage)
        let error = try XCTUnwrap(result.error as? URIResourceError)
        XCTAssertEqual(error.code, .status)
        XCTAssertEqual(error.status, 404)
        XCTAssertEqual(String(describing: error), "GET \(test.uri()) answered HTTP 404")
    }

    func testHandle_whenChangedFieldDoesNotHaveItsNewValueYet_nacks() async throws {
        let test = try await URITestBed.serving(#"{"id": "1", "state": "placed"}"#)
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderChangedHandler.self, for: .changed("Order")),
                                                  mediaType: .changed("Order"), uri: test.uri(),
                                                  fields: ["field_name": "state", "new_value": "shipped"])
        XCTAssertEqual(result.kind, .retried)
        XCTAssertEqual(result.retryVisibilityTimeout, 1)
        XCTAssertEqual((result.error as? Nack)?.reason, "Resource field value does not match message")
        XCTAssertEqual(test.seen.orders, [])
    }

    func testHandle_whenChangedFieldHasItsNewValue_handles() async throws {
        let test = try await URITestBed.serving(#"{"id": "1", "state": "shipped"}"#)
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderChangedHandler.self, for: .changed("Order")),
                                                  mediaType: .changed("Order"), uri: test.uri(),
                                                  fields: ["field_name": "state", "new_value": "shipped"])
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(test.seen.orders, [URITestOrder(id: "1", state: "shipped")])
    }

    // MARK: Errors

    func testHandle_whenBodyIsNotJSON_failsNamingTheURI() async throws {
        let test = try await URITestBed.serving("<html>oops</html>")
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage)
        let error = try XCTUnwrap(result.error as? URIResourceError)
        XCTAssertEqual(error.code, .invalidJSON)
        XCTAssertTrue(String(describing: error).hasPrefix("GET \(test.uri()): resource is not valid JSON: "), String(describing: error))
        XCTAssertEqual(test.bed.resultRecords.first?.metadata["pubsub.result"], "FAILED")
        XCTAssertEqual(test.bed.resultRecords.first?.metadata["pubsub.error"], String(describing: error))
    }

    func testHandle_whenResourceDoesNotDecode_failsNamingTheURIAndType() async throws {
        let test = try await URITestBed.serving(#"{"id": 1}"#)
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        let error = try XCTUnwrap(result.error as? URIResourceError)
        XCTAssertEqual(error.code, .undecodable)
        XCTAssertTrue(String(describing: error).hasPrefix("GET \(test.uri()): resource does not decode as URITestOrder: "),
                      String(describing: error))
    }

    func testHandle_when5xxPersists_retriesThenFailsNamingTheURIStatusAndAttempts() async throws {
        let test = try await URITestBed.make { _ in .init(status: 503, text: "busy") }
        defer { test.stop() }
        test.useClientWithoutBackoff(maxAttempts: 3)
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertFalse(result.deletesMessage)
        XCTAssertEqual(test.server.requests.count, 3)
        XCTAssertEqual(String(describing: try XCTUnwrap(result.error)), "GET \(test.uri()) answered HTTP 503 after 3 attempts")
        XCTAssertEqual(test.bed.logs.records.filter { $0.message == "Retrying GET after HTTP 503" }.count, 2)
    }

    func testHandle_when5xxThenOK_succeeds() async throws {
        let calls = Mutex(0)
        let test = try await URITestBed.make { _ in
            calls.withLock { count in
                count += 1
                return count == 1 ? .init(status: 502) : .init(status: 200, text: #"{"id": "1", "state": "placed"}"#)
            }
        }
        defer { test.stop() }
        test.useClientWithoutBackoff()
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .succeeded)
        XCTAssertEqual(test.server.requests.count, 2)
    }

    func testHandle_when4xx_failsAfterOneRequest() async throws {
        let test = try await URITestBed.make { _ in .init(status: 403) }
        defer { test.stop() }
        test.useClientWithoutBackoff()
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        XCTAssertEqual(test.server.requests.count, 1)
        XCTAssertEqual((result.error as? URIResourceError)?.status, 403)
    }

    func testHandle_whenURIIsNotHTTP_failsAndLogsMicrocosmPubSubsError() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: "xyz://localhost/order/1")
        XCTAssertEqual(result.kind, .failed)
        XCTAssertEqual((result.error as? URIResourceError)?.code, .invalidURI)
        let errors = test.handlerRecords(.error)
        XCTAssertEqual(errors.map(\.message), ["Error was found when trying to process uri. Check schema"])
        XCTAssertEqual(errors.first?.metadata["pubsub.handler"], "Order Created Handler")
        XCTAssertEqual(errors.first?.metadata["pubsub.uri"], "xyz://localhost/order/1")
    }

    func testHandle_whenAnOpaqueValueCannotBeAHeader_failsWithoutSendingIt() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri(),
                                                  opaqueData: ["x-evil": "a\r\nX-Injected: 1"])
        XCTAssertEqual(result.kind, .failed)
        XCTAssertEqual(test.server.requests.count, 0)
        XCTAssertEqual(String(describing: try XCTUnwrap(result.error)),
                       "opaque value 'x-evil' cannot be sent as an HTTP header (uri \(test.uri()))")
    }

    func testHandle_whenTheReadTimeoutFromConfigPasses_failsAsTimedOut() async throws {
        let test = try await URITestBed.make(config: ["uri_resource_client": ["read_timeout": 0.2, "max_attempts": 1]]) { _ in
            .init(status: 200, text: #"{"id": "1", "state": "placed"}"#, delay: .seconds(3))
        }
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self), uri: test.uri())
        XCTAssertEqual(result.kind, .failed)
        let error = try XCTUnwrap(result.error as? URIResourceError)
        XCTAssertEqual(error.code, .transport)
        XCTAssertEqual((error.underlying as? HTTPTransportError)?.kind, .timedOut)
        XCTAssertTrue(String(describing: error).hasPrefix("GET \(test.uri()): timed out: "), String(describing: error))
    }

    // MARK: Resource cache

    func testCache_isOffByDefault_soEachMessageFetches() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        XCTAssertNil(try test.graph.resourceCache)
        let uri = test.uri("/api/v1/order_event/1")
        _ = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self, for: .created("OrderEvent")),
                                    mediaType: .created("OrderEvent"), uri: uri)
        _ = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self, for: .created("OrderEvent")),
                                    mediaType: .created("OrderEvent"), uri: uri)
        XCTAssertEqual(test.server.requests.count, 2)
    }

    func testCache_createdEvent_isFetchedOnceThenServedFromTheCacheUntilItsTTLPasses() async throws {
        let test = try await URITestBed.serving(config: ["resource_cache": ["enabled": true]])
        defer { test.stop() }
        let clock = ManualBrokerClock()
        test.graph.assign(.resourceCache, URIResourceCache(clock: clock.swiftClock))
        let handlers = URITestBed.handlers(ShortCacheOrderHandler.self, for: .created("OrderEvent"))
        let uri = test.uri("/api/v1/order_event/1")

        let (first, _) = try await test.dispatch(handlers, mediaType: .created("OrderEvent"), uri: uri)
        XCTAssertEqual(first.kind, .succeeded)
        XCTAssertEqual(test.server.requests.count, 1)

        clock.advance(by: .seconds(4))
        let (second, _) = try await test.dispatch(handlers, mediaType: .created("OrderEvent"), uri: uri)
        XCTAssertEqual(second.kind, .succeeded)
        XCTAssertEqual(test.server.requests.count, 1, "served from the cache")
        XCTAssertEqual(test.seen.orders, [URITestOrder(id: "1", state: "placed"), URITestOrder(id: "1", state: "placed")])

        clock.advance(by: .seconds(1))
        _ = try await test.dispatch(handlers, mediaType: .created("OrderEvent"), uri: uri)
        XCTAssertEqual(test.server.requests.count, 2, "fetched again once the TTL passed")
    }

    func testCache_changedEvent_isNeverCached() async throws {
        let test = try await URITestBed.serving(config: ["resource_cache": ["enabled": true]])
        defer { test.stop() }
        let handlers = URITestBed.handlers(OrderChangedHandler.self, for: .changed("OrderEvent"))
        let uri = test.uri("/api/v1/order_event/1")
        _ = try await test.dispatch(handlers, mediaType: .changed("OrderEvent"), uri: uri)
        _ = try await test.dispatch(handlers, mediaType: .changed("OrderEvent"), uri: uri)
        XCTAssertEqual(test.server.requests.count, 2)
        XCTAssertEqual(try test.graph.resourceCache?.count, 0)
    }

    func testCache_createdResourceThatIsNotAnEvent_isNeverCached() async throws {
        let test = try await URITestBed.serving(config: ["resource_cache": ["enabled": true]])
        defer { test.stop() }
        let handlers = URITestBed.handlers(OrderCreatedHandler.self)
        _ = try await test.dispatch(handlers, uri: test.uri())
        _ = try await test.dispatch(handlers, uri: test.uri())
        XCTAssertEqual(test.server.requests.count, 2)
    }

    func testCache_whenTheFetchNacks_storesNothing() async throws {
        let test = try await URITestBed.make(config: ["resource_cache": ["enabled": true]]) { _ in .init(status: 404) }
        defer { test.stop() }
        let (result, _) = try await test.dispatch(URITestBed.handlers(OrderCreatedHandler.self, for: .created("OrderEvent")),
                                                  mediaType: .created("OrderEvent"), uri: test.uri("/api/v1/order_event/1"))
        XCTAssertEqual(result.kind, .retried)
        XCTAssertEqual(try test.graph.resourceCache?.count, 0)
    }

    // MARK: Registration and names

    func testRegister_namesTheHandlerTypeAndRegistersItsMediaType() throws {
        var handlers = MessageHandlers()
        handlers.register(OrderCreatedHandler.self, for: .created("Order"))
        XCTAssertEqual(handlers.mediaTypes, [BatchMessage.mediaType, .created("Order")].sorted { $0.rawValue < $1.rawValue })
        XCTAssertTrue(handlers.description.contains("\(MediaType.created("Order")): URIHandlerAdapter<OrderCreatedHandler>"),
                      handlers.description)
    }

    func testAdapter_whenTheHandlerCannotBeBuilt_theDispatcherIsNotCreated() async throws {
        let test = try await URITestBed.serving()
        defer { test.stop() }
        test.graph.assign("seen_orders", "not a URITestSeen")
        XCTAssertThrowsError(try test.bed.dispatcher(URITestBed.handlers(OrderCreatedHandler.self))) { error in
            XCTAssertTrue("\(error)".contains("cannot build handler URIHandlerAdapter<OrderCreatedHandler> for media type "
                + "'\(MediaType.created("Order"))': binding 'seen_orders' holds String"), "\(error)")
        }
    }
}
