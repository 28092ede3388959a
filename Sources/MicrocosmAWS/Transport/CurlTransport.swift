import CCurl
import Foundation
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

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let transfer = CurlTransfer(request: request, timeout: timeout)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
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
    let request: HTTPRequest
    let timeout: Duration
    let cancelled = Atomic<Bool>(false)
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var responseHeaders = HTTPHeaders()
    var responseBody: [UInt8] = []
    /// Where curl writes its error message (CURLOPT_ERRORBUFFER needs a stable address).
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    init(request: HTTPRequest, timeout: Duration) {
        self.request = request
        self.timeout = timeout
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    func complete(_ result: Result<HTTPResponse, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
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
    private let commands = Mutex<(queue: [Command], stopping: Bool)>(([], false))
    // Loop-thread state.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []
    /// The loop thread, set once it starts.
    private let loopThread = Mutex<pthread_t?>(nil)

    init(connectTimeout: Duration, caBundlePath: String?, maxConnections: Int) {
        _ = CurlLoop.globalInit
        multi = curl_multi_init()
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        connectTimeoutMilliseconds = CurlLoop.milliseconds(connectTimeout)
        self.caBundlePath = caBundlePath
        Thread { [self] in
            CurlLoop.nameCurrentThread("CurlTransport")
            run()
        }.start()
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
        let accepted = commands.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.queue.append(command)
            return true
        }
        if accepted {
            // On the loop thread itself the queue is drained before the loop sleeps again.
            if !isLoopThread { curl_multi_wakeup(multi) }
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

    private var isLoopThread: Bool {
        loopThread.withLock { thread in thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    func shutdown() {
        commands.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        loopThread.withLock { $0 = pthread_self() }
        let executor = asUnownedTaskExecutor()
        while true {
            var (queue, stopping) = commands.withLock { state -> ([Command], Bool) in
                defer { state.queue.removeAll(keepingCapacity: true) }
                return (state.queue, state.stopping)
            }
            // Jobs run here may submit more commands; take those too before touching curl.
            while !queue.isEmpty {
                for command in queue {
                    switch command {
                    case .add(let transfer): start(transfer)
                    case .cancel(let transfer): cancel(transfer)
                    case .job(let job): job.runSynchronously(on: executor)
                    }
                }
                (queue, stopping) = commands.withLock { state -> ([Command], Bool) in
                    defer { state.queue.removeAll(keepingCapacity: true) }
                    return (state.queue, state.stopping)
                }
            }
            if stopping {
                for transfer in Array(active.values) {
                    finish(transfer, failure: HTTPTransportError(.cancelled, url: transfer.request.url, detail: "transport shut down"))
                }
                break
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = active[easy] else { continue }
                done(transfer, code: message.pointee.data.result)
            }
            // Continuations resumed above may have queued jobs for this thread: no sleeping then.
            if commands.withLock({ !$0.queue.isEmpty }) { continue }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: CurlTransfer) {
        let request = transfer.request
        if transfer.cancelled.load(ordering: .acquiring) {
            transfer.complete(.failure(HTTPTransportError(.cancelled, url: request.url, detail: "cancelled before sending")))
            return
        }
        guard let easy = idleHandles.popLast() ?? makeHandle() else {
            transfer.complete(.failure(HTTPTransportError(.other, url: request.url, detail: "curl_easy_init failed")))
            return
        }
        transfer.easy = easy
        // Pooled handles keep the options makeHandle() set; only what differs per request is set here.
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        request.url.withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_URL, $0) }
        let totalMilliseconds = CurlLoop.milliseconds(transfer.timeout)
        ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, min(connectTimeoutMilliseconds, totalMilliseconds))
        ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, totalMilliseconds)
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
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
            // COPYPOSTFIELDS copies the bytes, so the request need not outlive this call.
            let body = request.body.isEmpty ? [0] : request.body
            body.withUnsafeBytes { bytes in
                _ = ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for field in request.headers {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: field.name.utf8)
            line.append(contentsOf: ": ".utf8)
            line.append(contentsOf: field.value.utf8)
            line.append(0)
            list = line.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { curl_slist_append(list, $0.baseAddress) }
            }
        }
        // No "Expect: 100-continue" round trip for larger bodies.
        list = "Expect:".withCString { curl_slist_append(list, $0) }
        transfer.headerList = list
        ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))

        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    /// A new easy handle with the options every request shares.
    private func makeHandle() -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else { return nil }
        _ = "http,https".withCString { ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, $0) }
        ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if let caBundlePath { caBundlePath.withCString { _ = ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, $0) } }
        _ = "swift-microcosm-pubsub".withCString { ccurl_easy_setopt_string(easy, CURLOPT_USERAGENT, $0) }
        ccurl_easy_setopt_write_function(easy, curlWriteCallback)
        ccurl_easy_setopt_header_function(easy, curlHeaderCallback)
        return easy
    }

    private func cancel(_ transfer: CurlTransfer) {
        guard let easy = transfer.easy, active[easy] === transfer else { return }
        finish(transfer, failure: HTTPTransportError(.cancelled, url: transfer.request.url, detail: "cancelled"))
    }

    private func done(_ transfer: CurlTransfer, code: CURLcode) {
        guard let easy = transfer.easy else { return }
        guard code == CURLE_OK else {
            finish(transfer, failure: error(for: code, transfer: transfer, easy: easy))
            return
        }
        var status = 0
        ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        let response = HTTPResponse(status: status, headers: transfer.responseHeaders, body: transfer.responseBody)
        release(transfer, easy: easy)
        transfer.complete(.success(response))
    }

    private func finish(_ transfer: CurlTransfer, failure: HTTPTransportError) {
        if let easy = transfer.easy { release(transfer, easy: easy) }
        transfer.complete(.failure(failure))
    }

    private func release(_ transfer: CurlTransfer, easy: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        transfer.easy = nil
        ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, nil)
        ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, nil)
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        idleHandles.append(easy)
    }

    private func error(for code: CURLcode, transfer: CurlTransfer, easy: UnsafeMutableRawPointer) -> HTTPTransportError {
        let buffered = String(cString: transfer.errorBuffer)
        let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        let url = transfer.request.url
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPTransportError(.connectFailed, url: url, detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            var connectTime = 0.0
            ccurl_easy_getinfo_double(easy, CURLINFO_CONNECT_TIME, &connectTime)
            return HTTPTransportError(connectTime == 0 ? .connectTimeout : .timedOut, url: url, detail: detail)
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
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.responseBody.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    if bytes.starts(with: "HTTP/".utf8) {
        // A new response head (after a 100 Continue, say): start over.
        transfer.responseHeaders = HTTPHeaders()
        return length
    }
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return length }
    let name = String(decoding: bytes[..<colon], as: UTF8.self)
    var valueStart = colon + 1
    var valueEnd = length
    while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
    while valueEnd > valueStart, [0x0d, 0x0a, 0x20, 0x09].contains(bytes[valueEnd - 1]) { valueEnd -= 1 }
    transfer.responseHeaders.add(name: name, value: String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self))
    if name.caseInsensitiveEquals("content-length"), let expected = Int(String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)) {
        transfer.responseBody.reserveCapacity(expected)
    }
    return length
}
