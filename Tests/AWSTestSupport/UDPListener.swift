#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket bound to a free loopback port, to read what a client sends (a DogStatsD agent
/// stand-in). Reads wait at most `timeoutSeconds` (a guard against a hung test, not a measure).
///
/// ```swift
/// let agent = try UDPListener()
/// client.histogram("message", 1.5)
/// XCTAssertEqual(agent.receive(), "message:1.5|h")
/// ```
public final class UDPListener: @unchecked Sendable {
    private let descriptor: Int32
    /// The port bound.
    public let port: Int
    /// The address bound (`127.0.0.1` or `::1`).
    public let host: String

    /// Binds `host` (an IPv4 or IPv6 loopback address) on a free port.
    public init(host: String = "127.0.0.1", timeoutSeconds: Int = 10) throws {
        let ipv6 = host.contains(":")
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { throw UDPListenerError(what: "socket", code: errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bound: Int32
        var port = 0
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin6_port))
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, host, &address.sin_addr)
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw UDPListenerError(what: "bind \(host)", code: code)
        }
        self.descriptor = fd
        self.port = port
        self.host = host
    }

    deinit { close(descriptor) }

    /// The next datagram, or nil when none came within the timeout.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The datagrams waiting now, without waiting for more.
    public func drain() -> [String] {
        var datagrams: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { return datagrams }
            datagrams.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }
}

/// A listener's socket call failed.
public struct UDPListenerError: Error, CustomStringConvertible {
    let what: String
    let code: Int32
    public var description: String { "\(what): \(String(cString: strerror(code)))" }
}
