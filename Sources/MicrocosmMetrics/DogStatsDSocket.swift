#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket connected to the agent, non-blocking: a send never waits, it succeeds or fails
/// at once (a full send buffer is `EAGAIN`; an earlier datagram refused by the host, with an
/// ICMP "port unreachable", is `ECONNREFUSED` on a later send).
///
/// The host is resolved once, here (IPv4 or IPv6 address, or a name: the first of its addresses
/// a socket connects to wins, as Datadog's Python client does).
final class DogStatsDSocket: Sendable {
    private let descriptor: Int32
    /// The address connected to, numeric (`127.0.0.1`, `::1`).
    let address: String

    /// A socket connected to `host`:`port`; `key` (and `environmentVariable`) name the setting in errors.
    init(host: String, port: Int, key: String, environmentVariable: String?) throws(DogStatsDError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = DogStatsDSocket.datagram
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let detail = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw .unresolvableHost(host, key: key, detail: detail, environmentVariable: environmentVariable)
        }
        defer { freeaddrinfo(list) }
        var failure = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor?.pointee {
            cursor = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
            guard fd >= 0 else {
                failure = String(cString: strerror(errno))
                continue
            }
            guard connect(fd, info.ai_addr, info.ai_addrlen) == 0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
                failure = String(cString: strerror(errno))
                close(fd)
                continue
            }
            descriptor = fd
            address = DogStatsDSocket.numericHost(info.ai_addr, length: info.ai_addrlen) ?? host
            return
        }
        throw .socketFailed(host, key: key, detail: failure, environmentVariable: environmentVariable)
    }

    deinit { close(descriptor) }

    /// Sends one datagram without waiting; nil when it was handed to the kernel, else the errno.
    func send(_ datagram: String) -> Int32? {
        var datagram = datagram
        let sent = datagram.withUTF8 { bytes in
            #if canImport(Darwin)
            Darwin.send(descriptor, bytes.baseAddress, bytes.count, 0)
            #elseif canImport(Musl)
            Musl.send(descriptor, bytes.baseAddress, bytes.count, 0)
            #else
            Glibc.send(descriptor, bytes.baseAddress, bytes.count, 0)
            #endif
        }
        return sent < 0 ? errno : nil
    }

    /// The system's text for `code` (`Connection refused`).
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>?, length: socklen_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard let address, getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    #if canImport(Glibc)
    private static let datagram = Int32(SOCK_DGRAM.rawValue)
    #else
    private static let datagram = SOCK_DGRAM
    #endif
}
