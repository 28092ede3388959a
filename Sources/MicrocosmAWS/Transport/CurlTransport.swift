import CCurl
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Microcosm
import Synchronization

/// The production ``HTTPTransport``: the system libcurl, driven by one event-loop thread.
///
/// Many requests can be in flight at once; connections are kept alive and reused; TLS peers are
/// always verified (set `AWS_CA_BUNDLE` to use another CA bundle); redirects are not followed;
/// only `http` and `https` are spoken.
///
/// ```swift
/// let transport = CurlTransport(connectTimeout: .seconds(5))
/// let response = try await transport.send(request, timeout: .seconds(30))
/// ```
///
/// Code that mostly waits on this transport (a receive/acknowledge loop) can run on the
/// transport's own event-loop thread, as SwiftNIO code runs on its event loop: requests are then
/// handed over and resumed without any thread switch. Keep CPU-heavy work off that thread.
/// ```swift
/// try await withTaskExecutorPreference(transport.executor) {
///     while running { let reply = try await transport.send(next(), timeout: .seconds(30)); ... }
/// }
/// ```
public final class CurlTransport: HTTPTransport {
    private let loop: CurlLoop

    /// A transport whose connections time out after `connectTimeout`.
    ///
    /// - Parameters:
    ///   - caBundlePath: a PEM file of trusted CAs; nil uses the system's. Defaults to `AWS_CA_BUNDLE`.
    ///   - maxConnections: how many idle connections are kept for reuse.
    public init(connectTimeout: Duration = .seconds(60),
                caBundlePath: String? = ProcessInfo.processInfo.environment["AWS_CA_BUNDLE"],
                maxConnections: Int = 64) {
        loop = CurlLoop(connectTimeout: connectTimeout, caBundlePath: caBundlePath, maxConnections: maxConnections)
    }

    deinit { loop.shutdown() }

    /// The event-loop thread as a task executor (see the type's documentation).
    public var executor: any TaskExecutor { loop }

    /// The event-loop thread, as ``HTTPTransport/ioExecutor``.
    public var ioExecutor: (any TaskExecutor)? { loop }

    /// A timeout meaning none: a transfer given this one (or any longer) waits for its response for
    /// as long as it takes, as the Lambda Runtime API's next-invocation request must.
    public static let noTimeout: Duration = .milliseconds(Int64(Int32.max))

    public func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
        let transfer = CurlTransfer(request: request, timeout: timeout)
        return try await withTaskCancellationHandler {
            // Unsafe, not checked: the loop resumes each transfer exactly once (`CurlTransfer.complete`).
            try await withUnsafeThrowingContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(.add(transfer))
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .releasing)
            loop.submit(.cancel(transfer))
        }
    }
}

/// One request's state. Touched only by the loop thread once submitted (except `cancelled`).
final class CurlTransfer: @unchecked Sendable {
    let request: AWSHTTPRequest
    let timeout: Duration
    let cancelled = Atomic<Bool>(false)
    var continuation: UnsafeContinuation<AWSHTTPResponse, any Error>?
    /// The easy handle sending it, while it is in flight.
    var handle: CurlHandle?

    init(request: AWSHTTPRequest, timeout: Duration) {
        self.request = request
        self.timeout = timeout
    }

    func complete(_ result: Result<AWSHTTPResponse, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }
}

/// A pooled curl easy handle and the buffers it keeps from one request to the next, so that sending a
/// request allocates as little as possible. Touched only by the loop thread.
final class CurlHandle {
    let easy: UnsafeMutableRawPointer
    /// Where curl writes its error message (CURLOPT_ERRORBUFFER, set once).
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// The transfer in flight on this handle.
    var transfer: CurlTransfer?
    /// The response's header lines (CURLOPT_HEADERDATA, set once), read into fields only when asked.
    let head: UnsafeMutablePointer<CurlResponseHead>
    var responseBody: [UInt8] = []
    /// The request's header list (CURLOPT_HTTPHEADER): its nodes, then their lines, in one buffer reused for
    /// every request (curl reads the list while the transfer runs and never frees or changes it).
    private var headerStorage: UnsafeMutableRawPointer?
    private var headerStorageCapacity = 0
    /// The request body for CURLOPT_POSTFIELDS (curl reads it while the transfer runs); bodies larger than
    /// ``maximumBodyStorage`` are copied by curl instead (CURLOPT_COPYPOSTFIELDS).
    private var bodyStorage: UnsafeMutableRawPointer?
    private var bodyStorageCapacity = 0
    static let maximumBodyStorage = 64 * 1024
    /// The most memory reserved for a response body from its Content-Length (larger bodies grow as they arrive).
    static let maximumBodyReservation = 8 * 1024 * 1024

    init(easy: UnsafeMutableRawPointer) {
        self.easy = easy
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        head = UnsafeMutablePointer<CurlResponseHead>.allocate(capacity: 1)
        head.initialize(to: CurlResponseHead())
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
        head.pointee.deallocate()
        head.deinitialize(count: 1)
        head.deallocate()
        headerStorage?.deallocate()
        bodyStorage?.deallocate()
    }

    /// Sets CURLOPT_HTTPHEADER to `headers` as `Name: value` lines, then `Expect:` (no "100-continue" round
    /// trip for larger bodies), built in ``headerStorage``.
    func setHeaders(_ headers: AWSHTTPHeaders) {
        let nodeCount = headers.count + 1
        let expect: StaticString = "Expect:"
        var byteCount = nodeCount * MemoryLayout<curl_slist>.stride + expect.utf8CodeUnitCount + 1
        for field in headers { byteCount += field.name.utf8.count + field.value.utf8.count + 3 }
        if byteCount > headerStorageCapacity {
            headerStorage?.deallocate()
            headerStorageCapacity = max(byteCount, 2 * headerStorageCapacity, 512)
            headerStorage = UnsafeMutableRawPointer.allocate(byteCount: headerStorageCapacity,
                                                             alignment: MemoryLayout<curl_slist>.alignment)
        }
        let storage = headerStorage!
        let nodes = storage.bindMemory(to: curl_slist.self, capacity: nodeCount)
        let lines = storage + nodeCount * MemoryLayout<curl_slist>.stride
        lines.bindMemory(to: CChar.self, capacity: byteCount - nodeCount * MemoryLayout<curl_slist>.stride)
        var offset = 0
        func append(_ bytes: UnsafeRawBufferPointer) {
            if let base = bytes.baseAddress { (lines + offset).copyMemory(from: base, byteCount: bytes.count) }
            offset += bytes.count
        }
        func append(_ text: String) {
            var text = text
            text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        }
        var index = 0
        for field in headers {
            let line = (lines + offset).assumingMemoryBound(to: CChar.self)
            append(field.name)
            lines.storeBytes(of: UInt8(ascii: ":"), toByteOffset: offset, as: UInt8.self)
            lines.storeBytes(of: UInt8(ascii: " "), toByteOffset: offset + 1, as: UInt8.self)
            offset += 2
            append(field.value)
            lines.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
            offset += 1
            (nodes + index).initialize(to: curl_slist(data: line, next: nodes + index + 1))
            index += 1
        }
        let line = (lines + offset).assumingMemoryBound(to: CChar.self)
        append(UnsafeRawBufferPointer(start: expect.utf8Start, count: expect.utf8CodeUnitCount))
        lines.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
        (nodes + index).initialize(to: curl_slist(data: line, next: nil))
        ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, storage)
    }

    /// Sets the POST body (after CURLOPT_POSTFIELDSIZE_LARGE): from ``bodyStorage``, or copied by curl when large.
    func setBody(_ body: [UInt8]) {
        guard body.count <= CurlHandle.maximumBodyStorage else {
            body.withUnsafeBytes { bytes in
                _ = ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
            return
        }
        if bodyStorage == nil || body.count > bodyStorageCapacity {
            bodyStorage?.deallocate()
            bodyStorageCapacity = max(body.count, 2 * bodyStorageCapacity, 1024)
            bodyStorage = UnsafeMutableRawPointer.allocate(byteCount: bodyStorageCapacity, alignment: 16)
        }
        body.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { bodyStorage!.copyMemory(from: base, byteCount: bytes.count) }
        }
        ccurl_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, bodyStorage)
    }
}

/// The event loop: owns the curl multi handle and every easy handle; runs on its own thread.
final class CurlLoop: TaskExecutor, @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case job(UnownedJob)
    }

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    private let multi: UnsafeMutableRawPointer
    private let connectTimeoutMilliseconds: Int
    private let caBundlePath: String?
    /// The commands queued for the loop, whether it is stopping, and the loop thread (set once it starts; read under
    /// the same lock, so a submit takes one lock).
    private let commands = Mutex<(queue: [Command], stopping: Bool, thread: pthread_t?)>(([], false, nil))
    // Loop-thread state.
    /// Every easy handle made, in flight or idle.
    private var handles: [CurlHandle] = []
    private var idleHandles: [CurlHandle] = []

    init(connectTimeout: Duration, caBundlePath: String?, maxConnections: Int) {
        _ = CurlLoop.globalInit
        multi = curl_multi_init()
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        connectTimeoutMilliseconds = CurlLoop.milliseconds(connectTimeout)
        self.caBundlePath = caBundlePath
        startDetachedThread { [self] in
            CurlLoop.nameCurrentThread("CurlTransport")
            run()
        }
    }

    /// Names the calling thread for `top -H` and debuggers. (Foundation's `Thread.name` set at
    /// thread start does not always reach the kernel.)
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        if fd >= 0 {
            _ = name.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        #else
        Thread.current.name = name
        #endif
    }

    func submit(_ command: Command) {
        // nil: refused (stopping); true: queued from the loop thread itself, which drains the queue before it sleeps.
        let accepted = commands.withLock { state -> Bool? in
            guard !state.stopping else { return nil }
            state.queue.append(command)
            return state.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        }
        if let onLoopThread = accepted {
            if !onLoopThread { curl_multi_wakeup(multi) }
            return
        }
        switch command {
        case .add(let transfer):
            transfer.complete(.failure(HTTPTransportError(.cancelled, url: transfer.request.url, detail: "transport shut down")))
        case .job(let job):
            // Never drop a job: after shutdown it runs on the global executor.
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        case .cancel:
            break
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    func shutdown() {
        commands.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    /// Swaps the queued commands into `queue` (which must be empty) and says whether the loop is stopping.
    private func takeCommands(into queue: inout [Command]) -> Bool {
        commands.withLock { state -> Bool in
            swap(&state.queue, &queue)
            return state.stopping
        }
    }

    private func run() {
        commands.withLock { $0.thread = pthread_self() }
        let executor = asUnownedTaskExecutor()
        // Two buffers swapped with the shared queue, so draining it allocates nothing.
        var queue: [Command] = []
        queue.reserveCapacity(64)
        commands.withLock { $0.queue.reserveCapacity(64) }
        while true {
            var stopping = takeCommands(into: &queue)
            // Jobs run here may submit more commands; take those too before touching curl.
            while !queue.isEmpty {
                for command in queue {
                    switch command {
                    case .add(let transfer): start(transfer)
                    case .cancel(let transfer): cancel(transfer)
                    case .job(let job): job.runSynchronously(on: executor)
                    }
                }
                queue.removeAll(keepingCapacity: true)
                stopping = takeCommands(into: &queue)
            }
            if stopping {
                for handle in handles {
                    guard let transfer = handle.transfer else { continue }
                    finish(transfer, failure: HTTPTransportError(.cancelled, url: transfer.request.url, detail: "transport shut down"))
                }
                break
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = CurlLoop.handle(of: easy).transfer else { continue }
                done(transfer, code: message.pointee.data.result)
            }
            // Continuations resumed above may have queued jobs for this thread: no sleeping then.
            if commands.withLock({ !$0.queue.isEmpty }) { continue }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        idleHandles.removeAll()
        handles.removeAll()   // CurlHandle.deinit cleans each easy handle up
        curl_multi_cleanup(multi)
    }

    /// The ``CurlHandle`` an easy handle belongs to (its CURLOPT_PRIVATE).
    private static func handle(of easy: UnsafeMutableRawPointer) -> CurlHandle {
        var pointer: UnsafeMutableRawPointer?
        ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &pointer)
        return Unmanaged<CurlHandle>.fromOpaque(pointer!).takeUnretainedValue()
    }

    private func start(_ transfer: CurlTransfer) {
        let request = transfer.request
        if transfer.cancelled.load(ordering: .acquiring) {
            transfer.complete(.failure(HTTPTransportError(.cancelled, url: request.url, detail: "cancelled before sending")))
            return
        }
        guard let handle = idleHandles.popLast() ?? makeHandle() else {
            transfer.complete(.failure(HTTPTransportError(.other, url: request.url, detail: "curl_easy_init failed")))
            return
        }
        let easy = handle.easy
        transfer.handle = handle
        handle.transfer = transfer
        handle.errorBuffer[0] = 0
        handle.head.pointee.removeAll()
        handle.responseBody = []
        // Pooled handles keep the options makeHandle() set; only what differs per request is set here.
        request.withURLCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, $0) }
        let totalMilliseconds = CurlLoop.milliseconds(transfer.timeout)
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS,
                              totalMilliseconds == 0 ? connectTimeoutMilliseconds : min(connectTimeoutMilliseconds, totalMilliseconds))
        ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, totalMilliseconds)
        ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, nil)
        ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 0)

        switch request.method {
        case "GET" where request.body.isEmpty:
            ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD":
            ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default:
            if request.method != "POST" {
                request.method.withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, $0) }
            }
            ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            handle.setBody(request.body)
        }
        handle.setHeaders(request.headers)

        curl_multi_add_handle(multi, easy)
    }

    /// A new easy handle with the options every request shares.
    private func makeHandle() -> CurlHandle? {
        guard let easy = curl_easy_init() else { return nil }
        let handle = CurlHandle(easy: easy)
        handles.append(handle)
        let context = Unmanaged.passUnretained(handle).toOpaque()
        _ = "http,https".withCString { ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, $0) }
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if let caBundlePath { caBundlePath.withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, $0) } }
        _ = "swift-microcosm-pubsub".withCString { ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, $0) }
        ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, context)
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, handle.errorBuffer)
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, handle.head)
        ccurl_easy_setopt_write_function(easy, curlWriteCallback)
        ccurl_easy_setopt_header_function(easy, curlHeaderCallback)
        return handle
    }

    private func cancel(_ transfer: CurlTransfer) {
        guard let handle = transfer.handle, handle.transfer === transfer else { return }
        finish(transfer, failure: HTTPTransportError(.cancelled, url: transfer.request.url, detail: "cancelled"))
    }

    private func done(_ transfer: CurlTransfer, code: CURLcode) {
        guard let handle = transfer.handle else { return }
        guard code == CURLE_OK else {
            finish(transfer, failure: error(for: code, transfer: transfer, handle: handle))
            return
        }
        var status = 0
        ccurl_easy_getinfo_long(handle.easy, CURLINFO_RESPONSE_CODE, &status)
        let response = AWSHTTPResponse(status: status, headers: AWSHTTPHeaders(lines: handle.head.pointee.lines), body: handle.responseBody)
        handle.responseBody = []
        release(transfer, handle: handle)
        transfer.complete(.success(response))
    }

    private func finish(_ transfer: CurlTransfer, failure: HTTPTransportError) {
        if let handle = transfer.handle { release(transfer, handle: handle) }
        transfer.complete(.failure(failure))
    }

    private func release(_ transfer: CurlTransfer, handle: CurlHandle) {
        curl_multi_remove_handle(multi, handle.easy)
        transfer.handle = nil
        handle.transfer = nil
        // The header list's storage is the handle's own: curl must not read it once another request reuses it.
        ccurl_easy_setopt_pointer(handle.easy, CURLOPT_HTTPHEADER, nil)
        idleHandles.append(handle)
    }

    private func error(for code: CURLcode, transfer: CurlTransfer, handle: CurlHandle) -> HTTPTransportError {
        let buffered = String(cString: handle.errorBuffer)
        let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        let url = transfer.request.url
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPTransportError(.connectFailed, url: url, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            // A connect timeout only when no connection was made and nothing was sent: a reused
            // connection reports a connect time of 0 too, but its request went out, so the wait for
            // the reply is what timed out.
            var connectTime = 0.0
            var requestBytes = 0
            ccurl_easy_getinfo_double(handle.easy, CURLINFO_CONNECT_TIME, &connectTime)
            ccurl_easy_getinfo_long(handle.easy, CURLINFO_REQUEST_SIZE, &requestBytes)
            return HTTPTransportError(connectTime == 0 && requestBytes == 0 ? .connectTimeout : .timedOut, url: url, detail: detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return HTTPTransportError(.tls, url: url, detail: detail)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return HTTPTransportError(.connectionClosed, url: url, detail: detail)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return HTTPTransportError(.invalidURL, url: url, detail: detail)
        default:
            return HTTPTransportError(.other, url: url, detail: detail)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        if duration >= CurlTransport.noTimeout { return 0 }   // curl's "never"
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let handle = Unmanaged<CurlHandle>.fromOpaque(context).takeUnretainedValue()
    if handle.responseBody.capacity == 0, let expected = handle.head.pointee.contentLength {
        // Room for the declared body, up to a bound: a server's Content-Length is no reason to ask for any amount of memory.
        handle.responseBody.reserveCapacity(min(expected, CurlHandle.maximumBodyReservation))
    }
    handle.responseBody.append(contentsOf: UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length))
    return length
}

/// Keeps each header line in the handle's ``CurlResponseHead`` (the context).
private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    context.assumingMemoryBound(to: CurlResponseHead.self).pointee.append(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
