import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import Synchronization

/// A loopback HTTP/1.1 server standing in for SQS (AWS JSON 1.0) and SNS (query protocol) with canned replies, for
/// the `costs` bench: both daemons and both producers talk to it, so what differs is only the client process.
///
/// - ReceiveMessage: when ``loaded``, 10 SNS-wrapped messages of microcosm-pubsub 3.0.0 (the created.foo_bar message
///   of `Fixtures/wire`); otherwise none, after holding the long poll for its `WaitTimeSeconds` (at most 1 s).
/// - DeleteMessage, ChangeMessageVisibility: `{}`. DeleteMessageBatch, ChangeMessageVisibilityBatch: every entry
///   succeeds (its `Id` echoed). GetQueueAttributes: `VisibilityTimeout` 30.
/// - SNS Publish (form body `Action=Publish`, or JSON target `...Publish`): a message id.
///
/// Each connection has its own thread (the CPU benches pin the whole bench process, and so the server, to
/// ``BenchTools/serverCPU``). The server counts what it answered (``Counts``, and as AWS would bill it in
/// ``usage``); anything else gets a 400 and is counted as unexpected.
final class CannedAWSEndpoint: @unchecked Sendable {
    /// What the server has answered.
    struct Counts: Sendable {
        var receiveCalls = 0
        var messagesReceived = 0
        var messagesDeleted = 0
        var deleteCalls = 0
        var visibilityChanges = 0
        var published = 0
        var other = 0
        var unexpected: [String] = []
    }

    let port: Int
    /// Whether ReceiveMessage returns messages.
    let loaded = Atomic<Bool>(false)
    /// The requests answered, as AWS would bill them (request units from the request body's size).
    let usage = AWSUsageMeter()
    private let receivePayloadBytes: Int
    private let listener: Int32
    private let receiveReply: [UInt8]
    private let counts = Mutex(Counts())
    private let stopped = Atomic<Bool>(false)

    /// Messages per ReceiveMessage reply.
    static let batchSize = 10

    /// Starts listening on a free loopback port. `messageBody` is the SQS body of each received message.
    init(messageBody: String) throws {
        receiveReply = CannedAWSEndpoint.receiveReply(messageBody: messageBody)
        receivePayloadBytes = messageBody.utf8.count * CannedAWSEndpoint.batchSize
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchTools.Failure(description: "socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw BenchTools.Failure(description: "bind/listen failed: errno \(errno)")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(port)" }

    /// A snapshot of the counts.
    var snapshot: Counts { counts.withLock { $0 } }

    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// `pubsub-bench canned-endpoint`: a loaded server with daemon-cpu's messages for `seconds`, then its counts.
    static func serve(seconds: Double) throws {
        let server = try CannedAWSEndpoint(messageBody: try DaemonCPUBench.fixtureMessageBody())
        defer { server.stop() }
        server.loaded.store(true, ordering: .releasing)
        FileHandle.standardOutput.write(Data((server.url + "\n").utf8))
        usleep(UInt32(min(seconds, 4000) * 1_000_000))
        let counts = server.snapshot
        print("received \(counts.messagesReceived), deleted \(counts.messagesDeleted), published \(counts.published), "
              + "unexpected \(counts.unexpected.count)")
    }

    /// The ReceiveMessage reply: 10 messages with `messageBody`, each with its own id and receipt handle.
    static func receiveReply(messageBody: String) -> [UInt8] {
        let md5 = SQSMessageDigest.md5OfBody(messageBody)
        let messages: [JSONValue] = (0..<batchSize).map { index in
            .object([
                "MessageId": .string("6f0c6e1e-2b7a-4c57-9d3e-00000000000\(index)"),
                "ReceiptHandle": .string("bench-receipt-handle-\(index)-" + String(repeating: "x", count: 160)),
                "MD5OfBody": .string(md5),
                "Body": .string(messageBody),
                "Attributes": .object(["ApproximateReceiveCount": .string("1"), "SentTimestamp": .string("1795960765420"),
                                       "SenderId": .string("AIDAIT2UOQQY3AUEKVGXU"),
                                       "ApproximateFirstReceiveTimestamp": .string("1795960765937")]),
            ])
        }
        return JSONSerializer.compact.bytes(.object(["Messages": .array(messages)]))
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in
                serve(connection)
                close(connection)
            }.start()
        }
    }

    /// Answers requests on `connection` until the peer closes it.
    private func serve(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var filled = 0
        while !stopped.load(ordering: .relaxed) {
            // A complete head, then the body its Content-Length announces.
            var headEnd: Int?
            var scanned = 0
            while headEnd == nil {
                headEnd = CannedAWSEndpoint.find(Array("\r\n\r\n".utf8), in: buffer, from: max(0, scanned - 3), to: filled)
                if headEnd != nil { break }
                scanned = filled
                if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
                let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress! + filled, $0.count - filled) }
                guard count > 0 else { return }
                filled += count
            }
            let bodyStart = headEnd! + 4
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            var contentLength = 0
            var target = ""
            for line in head.split(separator: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-length" { contentLength = Int(value) ?? 0 }
                if name == "x-amz-target" { target = value }
            }
            while filled < bodyStart + contentLength {
                if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
                let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress! + filled, $0.count - filled) }
                guard count > 0 else { return }
                filled += count
            }
            let body = Array(buffer[bodyStart..<(bodyStart + contentLength)])
            let (status, contentType, reply) = answer(target: target, body: body)
            var response = Array("HTTP/1.1 \(status) \(status == 200 ? "OK" : "Bad Request")\r\nContent-Type: \(contentType)\r\n".utf8)
            response += Array("x-amzn-RequestId: 2c3e6f9a-1b5d-4e7f-8a9b-0c1d2e3f4a5b\r\nContent-Length: \(reply.count)\r\n\r\n".utf8)
            response += reply
            var sent = 0
            while sent < response.count {
                let count = response.withUnsafeBytes { write(connection, $0.baseAddress! + sent, $0.count - sent) }
                guard count > 0 else { return }
                sent += count
            }
            // Keep what came after this request (a pipelined next one).
            let used = bodyStart + contentLength
            if filled > used {
                buffer.withUnsafeMutableBytes { bytes in
                    bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + used, byteCount: filled - used)
                }
            }
            filled -= used
        }
    }

    private static let sqsJSON = "application/x-amz-json-1.0"

    /// The status, content type and body for one request.
    private func answer(target: String, body: [UInt8]) -> (Int, String, [UInt8]) {
        let reply = cannedReply(target: target, body: body)
        if reply.0 == 200 {
            let action = target.isEmpty ? "Publish" : String(target.split(separator: ".").last ?? "")
            let operation = AWSUsage.Operation(target.hasPrefix("AmazonSQS.") ? .sqs : .sns, action)
            usage.recordCall(operation, units: AWSUsage.requestUnits(payloadBytes: body.count))
            if action == "ReceiveMessage" {
                let messages = reply.2.count == receiveReply.count ? CannedAWSEndpoint.batchSize : 0
                usage.recordReceive(operation, messages: messages, payloadBytes: messages > 0 ? receivePayloadBytes : 0)
            }
            if action == "Publish" { usage.recordSent(1) }
        }
        return reply
    }

    /// The canned status, content type and body for one request, counted in ``Counts``.
    private func cannedReply(target: String, body: [UInt8]) -> (Int, String, [UInt8]) {
        switch target {
        case "AmazonSQS.ReceiveMessage":
            if loaded.load(ordering: .relaxed) {
                counts.withLock {
                    $0.receiveCalls += 1
                    $0.messagesReceived += CannedAWSEndpoint.batchSize
                }
                return (200, CannedAWSEndpoint.sqsJSON, receiveReply)
            }
            counts.withLock { $0.receiveCalls += 1 }
            let wait = CannedAWSEndpoint.number(after: "\"WaitTimeSeconds\"", in: body) ?? 0
            if wait > 0 { usleep(1_000_000) }
            return (200, CannedAWSEndpoint.sqsJSON, Array("{}".utf8))
        case "AmazonSQS.DeleteMessage":
            counts.withLock {
                $0.deleteCalls += 1
                $0.messagesDeleted += 1
            }
            return (200, CannedAWSEndpoint.sqsJSON, Array("{}".utf8))
        case "AmazonSQS.DeleteMessageBatch", "AmazonSQS.ChangeMessageVisibilityBatch":
            let ids = CannedAWSEndpoint.strings(after: "\"Id\"", in: body)
            counts.withLock {
                if target.hasSuffix("DeleteMessageBatch") {
                    $0.deleteCalls += 1
                    $0.messagesDeleted += ids.count
                } else {
                    $0.visibilityChanges += ids.count
                }
            }
            let successful = ids.map { JSONValue.object(["Id": .string($0)]) }
            return (200, CannedAWSEndpoint.sqsJSON,
                    JSONSerializer.compact.bytes(.object(["Successful": .array(successful), "Failed": .array([])])))
        case "AmazonSQS.ChangeMessageVisibility":
            counts.withLock { $0.visibilityChanges += 1 }
            return (200, CannedAWSEndpoint.sqsJSON, Array("{}".utf8))
        case "AmazonSQS.GetQueueAttributes":
            counts.withLock { $0.other += 1 }
            return (200, CannedAWSEndpoint.sqsJSON, Array(#"{"Attributes":{"VisibilityTimeout":"30"}}"#.utf8))
        case "AmazonSimpleNotificationService.Publish":
            counts.withLock { $0.published += 1 }
            return (200, CannedAWSEndpoint.sqsJSON, Array(#"{"MessageId":"5f3c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"}"#.utf8))
        case "" where body.starts(with: Array("Action=Publish&".utf8)) || CannedAWSEndpoint.find(Array("&Action=Publish&".utf8), in: body, from: 0, to: body.count) != nil:
            counts.withLock { $0.published += 1 }
            return (200, "text/xml", Array(CannedAWSEndpoint.publishReply.utf8))
        default:
            let what = target.isEmpty ? String(decoding: body.prefix(80), as: UTF8.self) : target
            counts.withLock { $0.unexpected.append(what) }
            return (400, CannedAWSEndpoint.sqsJSON,
                    Array(#"{"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"not canned"}"#.utf8))
        }
    }

    private static let publishReply = """
    <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>\
    <MessageId>5f3c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f</MessageId></PublishResult><ResponseMetadata>\
    <RequestId>2c3e6f9a-1b5d-4e7f-8a9b-0c1d2e3f4a5b</RequestId></ResponseMetadata></PublishResponse>
    """

    /// The first index of `needle` in `haystack[from..<to]`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, to: Int) -> Int? {
        guard to - from >= needle.count else { return nil }
        for start in from...(to - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// Every JSON string value after `key` (`"Id": "3"` or `"Id":"3"`) in `body`.
    private static func strings(after key: String, in body: [UInt8]) -> [String] {
        var values: [String] = []
        var position = 0
        let needle = Array(key.utf8)
        while let found = find(needle, in: body, from: position, to: body.count) {
            var index = found + needle.count
            while index < body.count, body[index] == 0x20 || body[index] == 0x3a { index += 1 }
            guard index < body.count, body[index] == 0x22 else { position = index; continue }
            let start = index + 1
            var end = start
            while end < body.count, body[end] != 0x22 { end += 1 }
            values.append(String(decoding: body[start..<end], as: UTF8.self))
            position = end
        }
        return values
    }

    /// The integer after `key` in `body`, if any.
    private static func number(after key: String, in body: [UInt8]) -> Int? {
        let needle = Array(key.utf8)
        guard let found = find(needle, in: body, from: 0, to: body.count) else { return nil }
        var index = found + needle.count
        while index < body.count, body[index] == 0x20 || body[index] == 0x3a { index += 1 }
        var value = 0
        var digits = 0
        while index < body.count, body[index] >= 0x30, body[index] <= 0x39 {
            value = value * 10 + Int(body[index] - 0x30)
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
