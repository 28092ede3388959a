import AWSTestSupport
import Foundation
import MicrocosmAWS
import Synchronization
import XCTest

final class CurlTransportTests: XCTestCase {
    private let transport = CurlTransport(connectTimeout: .seconds(5))

    func testSend_postDeliversMethodPathQueryHeadersAndBody() async throws {
        let server = try StubHTTPServer { request in
            .init(status: 201, headers: [("X-Reply", "yes"), ("X-Multi", "1"), ("X-Multi", "2")], text: "echo:" + request.bodyText)
        }
        defer { server.stop() }
        let request = try AWSHTTPRequest(method: "POST", url: server.url + "/123/queue?Action=Send&x=%2F",
                                      headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.SendMessage"],
                                      body: Array(#"{"QueueUrl":"q"}"#.utf8))
        let response = try await transport.send(request, timeout: .seconds(5))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.bodyText, #"echo:{"QueueUrl":"q"}"#)
        XCTAssertEqual(response.headers["x-reply"], "yes")
        XCTAssertEqual(response.headers.values(for: "X-Multi"), ["1", "2"])
        let seen = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(seen.method, "POST")
        XCTAssertEqual(seen.target, "/123/queue?Action=Send&x=%2F")
        XCTAssertEqual(seen.header("x-amz-target"), "AmazonSQS.SendMessage")
        XCTAssertEqual(seen.header("content-type"), "application/x-amz-json-1.0")
        XCTAssertEqual(seen.header("host"), "127.0.0.1:\(server.port)")
        XCTAssertNil(seen.header("expect"))
    }

    func testSend_getAndPutWithoutBody() async throws {
        let server = try StubHTTPServer { request in .init(text: "\(request.method) \(request.body.count)") }
        defer { server.stop() }
        let get = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/a"), timeout: .seconds(5))
        XCTAssertEqual(get.bodyText, "GET 0")
        let put = try await transport.send(try AWSHTTPRequest(method: "PUT", url: server.url + "/latest/api/token",
                                                           headers: ["x-aws-ec2-metadata-token-ttl-seconds": "21600"]), timeout: .seconds(5))
        XCTAssertEqual(put.bodyText, "PUT 0")
        XCTAssertEqual(server.requests.last?.header("x-aws-ec2-metadata-token-ttl-seconds"), "21600")
    }

    func testSend_reusedHandlesCarryNothingOverBetweenMethods() async throws {
        let server = try StubHTTPServer { request in
            .init(text: "\(request.method) \(request.bodyText) \(request.header("x-one") ?? "-")")
        }
        defer { server.stop() }
        let steps: [(method: String, body: String, headers: AWSHTTPHeaders, expected: String)] = [
            ("POST", "first", ["X-One": "1"], "POST first 1"),
            ("GET", "", [:], "GET  -"),
            ("PUT", "second", [:], "PUT second -"),
            ("DELETE", "", [:], "DELETE  -"),
            ("POST", "third", [:], "POST third -"),
            ("HEAD", "", [:], ""),
            ("GET", "", [:], "GET  -"),
        ]
        for step in steps {
            let request = try AWSHTTPRequest(method: step.method, url: server.url + "/x", headers: step.headers, body: Array(step.body.utf8))
            let response = try await transport.send(request, timeout: .seconds(5))
            XCTAssertEqual(response.bodyText, step.expected, step.method)
        }
        XCTAssertEqual(server.requests.map(\.method), steps.map(\.method))
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testSend_reusedHandlesSendEachRequestsOwnBodyAndHeaders() async throws {
        let server = try StubHTTPServer { request in
            .init(headers: [("X-Count", "\(request.body.count)")],
                  text: "\(request.bodyText.hashValue) \(request.header("x-long")?.count ?? -1) \(request.header("x-last") ?? "-")")
        }
        defer { server.stop() }
        // Small bodies are kept by the handle, large ones copied by curl; header lists grow and shrink.
        for (index, size) in [10, 100_000, 10, 3000, 0, 70_000, 5, 65_536, 65_537].enumerated() {
            let body = (0..<size).map { UInt8(ascii: "a") + UInt8(($0 &+ index) % 26) }
            var headers: AWSHTTPHeaders = ["X-Last": "\(index)"]
            let long = String(repeating: "v", count: index * 400)
            if index % 2 == 1 { headers = ["X-Long": long, "X-Empty-ish": "e", "X-Last": "\(index)"] }
            let response = try await transport.send(try AWSHTTPRequest(method: "POST", url: server.url + "/b", headers: headers, body: body),
                                                     timeout: .seconds(10))
            let expectedLong = index % 2 == 1 ? long.count : -1
            XCTAssertEqual(response.bodyText, "\(String(decoding: body, as: UTF8.self).hashValue) \(expectedLong) \(index)", "body of \(size) bytes")
            XCTAssertEqual(response.headers["x-count"], "\(size)")
        }
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testSend_onTheTransportExecutor_worksAndRunsOnItsThread() async throws {
        let server = try StubHTTPServer { _ in .init(text: "ok") }
        defer { server.stop() }
        let transport = self.transport
        let bodies = try await withTaskExecutorPreference(transport.executor) {
            var bodies: [String] = []
            for _ in 0..<5 {
                bodies.append(try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .seconds(5)).bodyText)
            }
            return (bodies, currentThreadName())
        }
        XCTAssertEqual(bodies.0, Array(repeating: "ok", count: 5))
        XCTAssertEqual(bodies.1, "CurlTransport")
    }

    func testSend_largeBodiesRoundTrip() async throws {
        let server = try StubHTTPServer { request in .init(body: request.body.reversed()) }
        defer { server.stop() }
        let body = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = try await transport.send(try AWSHTTPRequest(method: "POST", url: server.url, body: body), timeout: .seconds(10))
        XCTAssertEqual(response.body, body.reversed())
    }

    func testSend_sequentialRequestsReuseOneConnection() async throws {
        let server = try StubHTTPServer { _ in .init(text: "ok") }
        defer { server.stop() }
        for _ in 0..<10 {
            _ = try await transport.send(try AWSHTTPRequest(method: "POST", url: server.url, body: [1]), timeout: .seconds(5))
        }
        XCTAssertEqual(server.requests.count, 10)
        XCTAssertEqual(server.connectionCount, 1)
    }

    func testSend_manyRequestsAreInFlightAtOnce() async throws {
        let inFlight = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let server = try StubHTTPServer { request in
            let now = inFlight.add(1, ordering: .relaxed).newValue
            most.max(now, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.05)
            inFlight.subtract(1, ordering: .relaxed)
            return .init(text: request.target)
        }
        defer { server.stop() }
        let transport = self.transport
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/\(index)"), timeout: .seconds(10)).bodyText
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        XCTAssertEqual(bodies, Set((0..<16).map { "/\($0)" }))
        XCTAssertGreaterThan(most.load(ordering: .relaxed), 1, "requests were serialized")
    }

    func testSend_errorStatusesAreResponsesNotErrors() async throws {
        let server = try StubHTTPServer { _ in .init(status: 500, text: "broken") }
        defer { server.stop() }
        let response = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .seconds(5))
        XCTAssertEqual(response.status, 500)
        XCTAssertEqual(response.bodyText, "broken")
    }

    func testSend_doesNotFollowRedirects() async throws {
        let server = try StubHTTPServer { request in
            request.path == "/start" ? .init(status: 302, headers: [("Location", "/elsewhere")], text: "") : .init(text: "followed")
        }
        defer { server.stop() }
        let response = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/start"), timeout: .seconds(5))
        XCTAssertEqual(response.status, 302)
        XCTAssertEqual(server.requests.map(\.path), ["/start"])
    }

    func testSend_whenServerIsSlow_timesOut() async throws {
        let server = try StubHTTPServer { _ in .init(text: "late", delay: .seconds(3)) }
        defer { server.stop() }
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .milliseconds(200))
            XCTFail("expected a timeout")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .timedOut)
            XCTAssertTrue(error.isRetryable)
            XCTAssertTrue(error.description.contains(server.url), error.description)
        }
    }

    func testSend_whenTheReplyOnAReusedConnectionIsLate_isAReadTimeoutNotAConnectTimeout() async throws {
        let server = try StubHTTPServer { request in request.path == "/slow" ? .init(text: "late", delay: .seconds(3)) : .init(text: "ok") }
        defer { server.stop() }
        _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/fast"), timeout: .seconds(5))
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url + "/slow"), timeout: .milliseconds(200))
            XCTFail("expected a timeout")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .timedOut, error.description)
            XCTAssertTrue(error.description.hasPrefix("timed out for \(server.url)/slow"), error.description)
        }
        XCTAssertEqual(server.connectionCount, 1, "the second request went out on the first one's connection")
    }

    func testSend_whenNothingListens_failsToConnect() async throws {
        let server = try StubHTTPServer { _ in .init(text: "") }
        let url = server.url
        server.stop()
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: url), timeout: .seconds(2))
            XCTFail("expected a connection failure")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .connectFailed)
            XCTAssertTrue(error.isRetryable)
        }
    }

    func testSend_whenServerDropsTheConnection_saysSo() async throws {
        let server = try StubHTTPServer { _ in .drop }
        defer { server.stop() }
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .seconds(2))
            XCTFail("expected a closed connection")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .connectionClosed)
        }
    }

    func testSend_whenTheDeclaredContentLengthIsHuge_waitsForTheBodyWithoutReservingThatMuch() async throws {
        // The body's memory is reserved from Content-Length; a server declaring 10^18 bytes must not make the
        // transport ask for them.
        let server = try StubHTTPServer { _ in .init(headers: [("Content-Length", "999999999999999999")], text: "ab") }
        defer { server.stop() }
        do {
            _ = try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .milliseconds(300))
            XCTFail("expected a timeout: the rest of the body never comes")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .timedOut)
        }
    }

    func testSend_whenTaskIsCancelled_stopsWaiting() async throws {
        let server = try StubHTTPServer { _ in .init(text: "late", delay: .seconds(5)) }
        defer { server.stop() }
        let transport = self.transport
        let task = Task { try await transport.send(try AWSHTTPRequest(method: "GET", url: server.url), timeout: .seconds(30)) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error.kind, .cancelled)
        }
    }

    func testSend_verifiesTLSPeers() async throws {
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("openssl is not installed; cannot start a TLS server with a self-signed certificate")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
        try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"])
        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: openssl)
        server.arguments = ["s_server", "-accept", "\(port)", "-key", key, "-cert", cert, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: a process started from a Swift task inherits the worker thread's blocked signals,
        // so SIGTERM (terminate()) would leave it running.
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        let request = try AWSHTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/")
        var lastError: HTTPTransportError?
        for _ in 0..<50 {   // until s_server listens
            do {
                _ = try await transport.send(request, timeout: .seconds(2))
                return XCTFail("a self-signed certificate was accepted")
            } catch let error as HTTPTransportError where error.kind == .connectFailed {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as HTTPTransportError {
                lastError = error
                break
            }
        }
        XCTAssertEqual(lastError?.kind, .tls, "\(String(describing: lastError))")
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(executable) \(arguments)")
    }

    private func freePort() throws -> Int {
        let server = try StubHTTPServer { _ in .init(text: "") }
        defer { server.stop() }
        return server.port
    }
}

/// The kernel's name of the thread running the caller (synchronous, so async code may ask).
private func currentThreadName() -> String? {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
}
