#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// The daemon's health endpoint: a tiny HTTP/1.1 server on plain sockets, answering
/// microcosm-flask's health convention (`GET /api/health` -> `{"name": ..., "ok": true}`, 200 or
/// 503; `?full=true` adds `checks`), a readiness path (`GET /api/ready`, the same shape), and the
/// requests the daemon has made of SQS and SNS with their estimated cost (`GET /api/cost`).
///
/// It runs on a thread of its own, so it never waits on the daemon's loop and the loop never
/// waits on it; it reads a state the daemon sets. It serves one connection at a time, reads at
/// most 4 KiB of a request, gives a client 1 s to send it and 1 s to take the reply, and closes
/// every connection after one reply. ``stop()`` closes the listening socket and waits for the thread.
final class HealthServer: Sendable {
    /// The port it listens on (the one the kernel chose when asked for 0).
    let port: Int
    /// The address it listens on.
    let host: String
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let finished = ConsumerLoopLatch()

    /// Listens on `host:port` (`0.0.0.0`: every IPv4 interface; port 0: any free one) and starts
    /// serving `name`'s `state`.
    ///
    /// Throws ``HealthServerError`` when the address is not an IPv4 address or the port is taken.
    init(host: String, port: Int, name: String, state: @escaping @Sendable () -> ConsumerDaemonHealth,
         usage: @escaping @Sendable () -> AWSUsage?) throws(HealthServerError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw HealthServerError("consumer_daemon.health_host: '\(host)' is not an IPv4 address")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw HealthServerError("cannot open a socket: \(HealthServer.lastError())") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = HealthServer.lastError()
            close(fd)
            throw HealthServerError("consumer_daemon.health_port: cannot listen on \(host):\(port): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // Non-blocking, so an accept after a client gave up returns at once instead of waiting for the next.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(fd)
            throw HealthServerError("cannot make a pipe: \(HealthServer.lastError())")
        }
        self.listener = fd
        self.wake = (pipeEnds[0], pipeEnds[1])
        self.host = host
        self.port = Int(UInt16(bigEndian: address.sin_port))
        startDetachedThread { [listener = fd, wake = pipeEnds[0], finished] in
            nameCurrentThread("health-server")
            HealthServer.serve(listener: listener, wake: wake, name: name, state: state, usage: usage)
            finished.fire()
        }
    }

    /// The URL of the health path, for logs.
    var healthURL: String { "http://\(host):\(port)/api/health" }

    /// Stops serving: wakes the thread, waits for it to finish its reply, closes the sockets.
    func stop() async {
        var byte: UInt8 = 0
        _ = write(wake.write, &byte, 1)
        await finished.wait()
        close(listener)
        close(wake.read)
        close(wake.write)
    }

    private static func serve(listener: Int32, wake: Int32, name: String, state: @Sendable () -> ConsumerDaemonHealth,
                              usage: @Sendable () -> AWSUsage?) {
        var descriptors = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || descriptors[1].revents != 0 { return }
            guard descriptors[0].revents & Int16(POLLIN) != 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) & ~O_NONBLOCK)   // Darwin passes the flag on
            respond(on: connection, name: name, state: state(), usage: usage)
            close(connection)
        }
    }

    private static func respond(on connection: Int32, name: String, state: ConsumerDaemonHealth, usage: () -> AWSUsage?) {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var noSignal: Int32 = 1
        setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while request.count < 4096, !request.containsHeaderEnd {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            request.append(contentsOf: buffer[0..<count])
        }
        let reply = Self.reply(to: String(decoding: request, as: UTF8.self), name: name, state: state, usage: usage)
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        Array(reply.utf8).withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = send(connection, bytes.baseAddress! + offset, bytes.count - offset, flags)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// The HTTP reply to `request` (its text up to the blank line): 200 or 503 with a JSON body for
    /// `GET /api/health` and `GET /api/ready`, 200 with ``costJSON(name:usage:)`` for `GET /api/cost`
    /// (when `usage` gives one), 404 for another path, 405 for another method, 400 for anything that
    /// is not a request line.
    static func reply(to request: String, name: String, state: ConsumerDaemonHealth, usage: () -> AWSUsage? = { nil }) -> String {
        let requestLine = request.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return response(400, "Bad Request", body: nil) }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = target[0]
        let full = target.count > 1 && target[1].split(separator: "&").contains { $0 == "full=true" || $0 == "full=1" }
        let ok: Bool
        switch path {
        case "/api/health": ok = state.isHealthy
        case "/api/ready": ok = state.isReady
        case "/api/cost": ok = true
        default: return response(404, "Not Found", body: nil)
        }
        guard parts[0] == "GET" || parts[0] == "HEAD" else { return response(405, "Method Not Allowed", body: nil) }
        if path == "/api/cost" {
            guard let usage = usage() else { return response(404, "Not Found", body: nil) }
            let text = JSONSerializer.compact.string(.object(costJSON(name: name, usage: usage)))
            return response(200, "OK", body: parts[0] == "HEAD" ? nil : text, length: text.utf8.count)
        }
        var body: JSONObject = ["name": .string(name), "ok": .bool(ok)]
        if full {
            body["checks"] = ["consumer_loop": ["ok": .bool(ok), "message": .string(state.message)]]
        }
        let text = JSONSerializer.compact.string(.object(body))
        return response(ok ? 200 : 503, ok ? "OK" : "Service Unavailable", body: parts[0] == "HEAD" ? nil : text,
                        length: text.utf8.count)
    }

    /// The `/api/cost` body: the daemon's requests by operation, its messages, the figures per message
    /// and the prices they were estimated at.
    static func costJSON(name: String, usage: AWSUsage, prices: AWSRequestPrices = .published) -> JSONObject {
        func number(_ value: Double?, places: Int) -> JSONValue {
            guard let value else { return .null }
            let scale = pow(10, Double(places))
            return .double((value * scale).rounded() / scale)
        }
        let operations: [JSONValue] = usage.operations.sorted { $0.key < $1.key }.map { operation, requests in
            ["service": .string(operation.billingClass.rawValue), "action": .string(operation.action),
             "calls": .int(requests.calls), "request_units": .int(requests.units)]
        }
        let perMillion = prices.perMillion.sorted { $0.key < $1.key }.map { ($0.key.rawValue, JSONValue.double($0.value)) }
        return [
            "name": .string(name),
            "messages": .int(usage.messages), "messages_received": .int(usage.messagesReceived), "messages_sent": .int(usage.messagesSent),
            "calls": .int(usage.calls), "request_units": .int(usage.requestUnits),
            "calls_per_message": number(usage.callsPerMessage, places: 4),
            "receives": .int(usage.receives), "empty_receives": .int(usage.emptyReceives),
            "empty_receive_ratio": number(usage.emptyReceiveRatio, places: 4),
            "estimated_cost_usd": number(usage.estimatedCost(prices: prices), places: 8),
            "cost_per_million_messages_usd": number(usage.costPerMillionMessages(prices: prices), places: 4),
            "prices": ["as_of": .string(prices.asOf), "region": .string(prices.region),
                       "usd_per_million_requests": .object(JSONObject(perMillion)), "free_tier": "ignored"],
            "operations": .array(operations),
        ]
    }

    private static func response(_ status: Int, _ reason: String, body: String?, length: Int? = nil) -> String {
        let body = body ?? ""
        return "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(length ?? body.utf8.count)\r\n"
            + "Connection: close\r\nCache-Control: no-store\r\n\r\n" + body
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// The health endpoint cannot start: a bad address, or a port in use.
struct HealthServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private extension [UInt8] {
    /// True when the bytes hold the blank line that ends an HTTP request's head.
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}
