import AWSTestSupport
import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
@testable import MicrocosmPubSub
import Synchronization
import XCTest

/// The GETs of URI handlers: retries only where safe, redirects, timeouts and keys from config,
/// errors that name the URI and keep secrets out; and the resource cache on its own.
final class URIResourceClientTests: XCTestCase {
    private func client(maxAttempts: Int = 3, timeout: Duration = .seconds(30), delays: DispatchSeen<Duration>? = nil) -> URIResourceClient {
        URIResourceClient(transport: CurlTransport(connectTimeout: .seconds(5)), timeout: timeout, maxAttempts: maxAttempts,
                          baseDelay: .milliseconds(500), maxDelay: .seconds(5), sleep: { delays?.append($0) })
    }

    // MARK: Retries

    func testGet_whenConnectionIsRefused_retriesThenThrowsATransportErrorNamingTheURI() async throws {
        let server = try StubHTTPServer { _ in .init(status: 200) }
        let uri = server.url + "/api/v1/order/1"
        server.stop()
        let delays = DispatchSeen<Duration>()
        do {
            _ = try await client(maxAttempts: 3, delays: delays).get(uri)
            XCTFail("expected an error")
        } catch let error as URIResourceError {
            XCTAssertEqual(error.code, .transport)
            XCTAssertEqual(error.attempts, 3)
            XCTAssertTrue(String(describing: error).hasPrefix("GET \(uri): connection failed after 3 attempts: "), String(describing: error))
        }
        XCTAssertEqual(delays.all.count, 2)
    }

    func testGet_backoff_isAtMostTheDoublingCeiling() async throws {
        let server = try StubHTTPServer { _ in .init(status: 500) }
        defer { server.stop() }
        let delays = DispatchSeen<Duration>()
        let response = try await client(maxAttempts: 4, delays: delays).get(server.url + "/x")
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(server.requests.count, 4)
        XCTAssertEqual(delays.all.count, 3)
        for (delay, ceiling) in zip(delays.all, [Duration.milliseconds(500), .seconds(1), .seconds(2)]) {
            XCTAssertTrue(delay >= .zero && delay < ceiling, "\(delay) within \(ceiling)")
        }
    }

    func testGet_whenStatusIsNot500_502_503_504_doesNotRetry() async throws {
        for status in [400, 404, 429, 501] {
            let server = try StubHTTPServer { _ in .init(status: status) }
            let response = try await client().get(server.url + "/x")
            XCTAssertEqual(response.status, status)
            XCTAssertEqual(server.requests.count, 1, "status \(status)")
            server.stop()
        }
    }

    func testGet_whenTheTLSPeerIsNotTrusted_failsAtOnceWithoutRetrying() async throws {
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("openssl is not installed; cannot start a TLS server with a self-signed certificate")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uri-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: openssl)
        make.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"]
        make.standardOutput = FileHandle.nullDevice
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        let portServer = try StubHTTPServer { _ in .init() }
        let port = portServer.port
        portServer.stop()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: openssl)
        server.arguments = ["s_server", "-accept", "\(port)", "-key", key, "-cert", cert, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let uri = "https://127.0.0.1:\(port)/api/v1/order/1"
        var lastError: URIResourceError?
        for _ in 0..<50 {   // until s_server listens
            let delays = DispatchSeen<Duration>()
            do {
                _ = try await client(maxAttempts: 3, delays: delays).get(uri)
                return XCTFail("a self-signed certificate was accepted")
            } catch let error as URIResourceError where (error.underlying as? HTTPTransportError)?.kind == .connectFailed {
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as URIResourceError {
                lastError = error
                XCTAssertEqual(delays.all.count, 0, "a TLS failure is not retried")
                break
            }
        }
        let error = try XCTUnwrap(lastError)
        XCTAssertEqual((error.underlying as? HTTPTransportError)?.kind, .tls, "\(error)")
        XCTAssertEqual(error.attempts, 1)
        XCTAssertTrue(String(describing: error).hasPrefix("GET \(uri): TLS failure: "), "\(error)")
    }

    // MARK: Redirects

    func testGet_followsRedirectsKeepingHeaders() async throws {
        let server = try StubHTTPServer { request in
            switch request.path {
            case "/old": return .init(status: 301, headers: [("Location", "/api/v1/order/1")])
            default: return .init(status: 200, text: "{}")
            }
        }
        defer { server.stop() }
        let response = try await client().get(server.url + "/old", headers: ["x-request-id": "req-1"])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(server.requests.map(\.target), ["/old", "/api/v1/order/1"])
        XCTAssertEqual(server.requests.last?.header("x-request-id"), "req-1")
    }

    func testRedirect_toAnotherHost_dropsAuthorization_andResolvesRelativePaths() throws {
        let request = try AWSHTTPRequest(method: "GET", url: "http://orders/api/v1/order/1?x=1",
                                      headers: ["Authorization": "Bearer secret", "x-request-id": "req-1"])
        let elsewhere = try URIResourceClient.redirect(request, to: "https://other:8443/order/1", uri: "u")
        XCTAssertEqual(elsewhere.url, "https://other:8443/order/1")
        XCTAssertNil(elsewhere.headers["Authorization"])
        XCTAssertEqual(elsewhere.headers["x-request-id"], "req-1")
        let relative = try URIResourceClient.redirect(request, to: "2", uri: "u")
        XCTAssertEqual(relative.url, "http://orders/api/v1/order/2")
        XCTAssertEqual(relative.headers["Authorization"], "Bearer secret")
        XCTAssertEqual(try URIResourceClient.redirect(request, to: "//cdn/o/1", uri: "u").url, "http://cdn/o/1")
    }

    // MARK: Errors and secrets

    func testError_neverShowsAPasswordOrSignatureInTheURI() {
        let uri = "https://user:hunter2@orders/api/v1/order/1?X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
        let text = String(describing: URIResourceError.status(500, uri: uri, attempts: 3))
        XCTAssertFalse(text.contains("hunter2"), text)
        XCTAssertFalse(text.contains("abcdef0123"), text)
        XCTAssertFalse(text.contains("AKIAIOSFODNN7EXAMPLE"), text)
        XCTAssertTrue(text.hasPrefix("GET https://<redacted>@orders/api/v1/order/1?"), text)
        XCTAssertTrue(text.hasSuffix(" answered HTTP 500 after 3 attempts"), text)
    }

    func testGet_whenURIIsNotHTTP_throwsInvalidURIWithoutARequest() async throws {
        do {
            _ = try await client().get("ftp://orders/1")
            XCTFail("expected an error")
        } catch let error as URIResourceError {
            XCTAssertEqual(error.code, .invalidURI)
            XCTAssertEqual(String(describing: error), "cannot GET ftp://orders/1: scheme must be http or https")
        }
    }

    // MARK: Configuration

    func testBinding_readsTimeoutsAndAttemptsFromConfig() throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: ["uri_resource_client": ["read_timeout": 2.5, "max_attempts": "5"]])
        let client = try graph.uriResourceClient
        XCTAssertEqual(client.timeout, .milliseconds(2500))
        XCTAssertEqual(client.maxAttempts, 5)
    }

    func testBinding_defaults() throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub, loader: .standard(environment: [:]))
        let client = try graph.uriResourceClient
        XCTAssertEqual(client.timeout, .seconds(30))
        XCTAssertEqual(client.maxAttempts, 3)
        XCTAssertNil(try graph.resourceCache)
    }

    func testBinding_whenATimeoutIsNotPositive_theErrorNamesTheKeyAndVariable() throws {
        XCTAssertThrowsError(try Graph(name: "orders", testing: true, registry: .pubsub,
                                       loader: .standard(environment: ["ORDERS__URI_RESOURCE_CLIENT__READ_TIMEOUT": "0"]))) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("uri_resource_client.read_timeout"), text)
            XCTAssertTrue(text.contains("ORDERS__URI_RESOURCE_CLIENT__READ_TIMEOUT"), text)
        }
    }

    func testBinding_resourceCacheEnabled_usesMaxEntries() throws {
        let graph = try Graph(name: "orders", testing: true, registry: .pubsub, loader: .standard(environment: [:]),
                              config: ["resource_cache": ["enabled": "true", "max_entries": 2]])
        XCTAssertEqual(try graph.resourceCache?.maxEntries, 2)
    }

    // MARK: Resource cache

    func testCache_valueExpiresWhenItsTTLHasPassed() {
        let clock = ManualBrokerClock()
        let cache = URIResourceCache(clock: clock.swiftClock)
        cache.store(.object(["id": "1"]), for: "u1", ttl: .seconds(60))
        clock.advance(by: .seconds(59))
        XCTAssertEqual(cache.value(for: "u1"), .object(["id": "1"]))
        clock.advance(by: .seconds(1))
        XCTAssertNil(cache.value(for: "u1"))
        XCTAssertEqual(cache.count, 0)
    }

    func testCache_keepsAtMostMaxEntries_droppingTheOldestStored() {
        let cache = URIResourceCache(maxEntries: 2, clock: ManualBrokerClock().swiftClock)
        cache.store(.int(1), for: "u1", ttl: .seconds(60))
        cache.store(.int(2), for: "u2", ttl: .seconds(60))
        cache.store(.int(10), for: "u1", ttl: .seconds(60))   // stored again: now the newest
        cache.store(.int(3), for: "u3", ttl: .seconds(60))
        XCTAssertNil(cache.value(for: "u2"))
        XCTAssertEqual(cache.value(for: "u1"), .int(10))
        XCTAssertEqual(cache.value(for: "u3"), .int(3))
        for index in 0..<1000 { cache.store(.int(index), for: "u1", ttl: .seconds(60)) }
        XCTAssertEqual(cache.count, 2)
        XCTAssertEqual(cache.value(for: "u3"), .int(3))
    }

    func testIsCacheable_matchesMicrocosmPubSubsWhitelist() {
        let event = "https://service.env.globality.io/api/v2/project_event/0598355c-5b19-49bd-a755-146204220a5b"
        XCTAssertTrue(URIResourceCache.isCacheable(
            mediaType: "application/vnd.globality.pubsub._.created.project_event.project_brief_submitted", uri: event))
        XCTAssertFalse(URIResourceCache.isCacheable(
            mediaType: "application/vnd.globality.pubsub._.changed.project_event.project_brief_submitted", uri: event))
        XCTAssertFalse(URIResourceCache.isCacheable(mediaType: .created("Project"), uri: "https://projects/api/v2/project/1"))
        XCTAssertFalse(URIResourceCache.isCacheable(mediaType: .created("FooBarEvent"), uri: "https://x/api/foo_bar_event/1"),
                       "[a-z]+ takes no underscore")
        XCTAssertFalse(URIResourceCache.isCacheable(mediaType: .created("OrderEvent"), uri: "https://x/api/order_event"),
                       "no slash after the segment")
        XCTAssertFalse(URIResourceCache.isCacheable(mediaType: "created.x", uri: event), "no character before 'created'")
    }
}
