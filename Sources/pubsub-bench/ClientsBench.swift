import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import Synchronization

/// SendMessage + ReceiveMessage + DeleteMessageBatch round trips through ``SQSClient``:
/// (a) against a loopback nginx that answers each `X-Amz-Target` with a canned reply, next to the
/// bare ``CurlTransport`` sending the same three requests unsigned and unparsed; (b) against a
/// moto server started here, next to Python boto3 doing the same round trips against it.
struct ClientsBench {
    let seconds: Double
    let motoRoundTrips: Int

    static let account = "123456789012"
    /// What microcosm-pubsub publishes, as Python's `json.dumps` writes it.
    static let messageBody = #"{"mediaType": "application/vnd.globality.pubsub._.created.foo_bar", "opaqueData": {"x-request-id": "req-123"}, "uri": "http://example.com/foo_bars/1"}"#
    static let messageAttributes: [String: MessageAttributeValue] = [
        "media_type": .string("application/vnd.globality.pubsub._.created.foo_bar"),
    ]

    /// Canned replies by target; ReceiveMessage returns the one SNS-wrapped message of the transport bench.
    static var cannedReplies: [String: String] {
        let send = #"{"MD5OfMessageBody":"\#(SQSMessageDigest.md5OfBody(messageBody))","#
            + #""MD5OfMessageAttributes":"\#(SQSMessageDigest.md5OfMessageAttributes(messageAttributes))","#
            + #""MessageId":"3b1c9a4e-7d52-4f0e-9a57-1f3c2b8d6e10"}"#
        return ["AmazonSQS.SendMessage": send, "AmazonSQS.ReceiveMessage": TransportBench.cannedReply,
                "AmazonSQS.DeleteMessageBatch": #"{"Successful":[{"Id":"m0"}],"Failed":[]}"#]
    }

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        let transport = CurlTransport(connectTimeout: .seconds(5))
        let pinning = BenchTools.serverCPUPrefix.isEmpty ? "unpinned"
            : "servers on CPU \(BenchTools.serverCPU), clients on CPU \(BenchTools.clientCPU)"
        printError("clients bench: \(seconds) s per loopback figure, \(motoRoundTrips) moto round trips per client, \(pinning)")

        var rows: [(String, Double, String, Double)] = []
        var figures: [(name: String, value: Double)] = []

        let nginx = try LoopbackNginx(body: #"{"__type":"com.amazonaws.sqs#UnsupportedOperation","message":"not canned"}"#,
                                      contentType: SQSClient.contentType, repliesByTarget: ClientsBench.cannedReplies)
        defer { nginx.stop() }
        let nginxQueue = "\(nginx.url)/\(ClientsBench.account)/bench"
        let sqs = try client(endpoint: nginx.url, transport: transport)
        let bare = try await bareRequests(endpoint: nginx.url, queueURL: nginxQueue, transport: transport)
        _ = try await measure(concurrency: 8, seconds: min(1, seconds), on: transport) {
            try await ClientsBench.roundTrip(sqs, queueURL: nginxQueue)
        }
        for concurrency in [1, 8] {
            let ours = try await measure(concurrency: concurrency, seconds: seconds, on: transport) {
                try await ClientsBench.roundTrip(sqs, queueURL: nginxQueue)
            }
            let reference = try await measure(concurrency: concurrency, seconds: seconds, on: transport) {
                for request in bare {
                    let response = try await transport.send(request, timeout: .seconds(10))
                    guard response.status == 200 else { throw BenchTools.Failure(description: "nginx answered \(response.status)") }
                }
            }
            rows.append(("(a) loopback nginx, concurrency \(concurrency)", ours, "bare CurlTransport", reference))
            figures += [("nginx_ours_c\(concurrency)", ours.rounded()), ("nginx_bare_c\(concurrency)", reference.rounded()),
                        ("nginx_ratio_c\(concurrency)", ClientsBench.ratio(ours, reference))]
        }

        let moto = try MotoServer()
        defer { moto.stop() }
        let motoClient = try client(endpoint: moto.url, transport: transport)
        let queueURL = try await motoClient.createQueue(name: "bench-clients-swift-\(UUID().uuidString.prefix(8).lowercased())",
                                                        attributes: [:])
        for _ in 0..<min(20, motoRoundTrips) { try await ClientsBench.roundTrip(motoClient, queueURL: queueURL) }
        let ours = try await measure(count: motoRoundTrips, on: transport) {
            try await ClientsBench.roundTrip(motoClient, queueURL: queueURL)
        }
        try await motoClient.deleteQueue(queueURL: queueURL)
        let boto3 = try Boto3.roundTripsPerSecond(endpoint: moto.url, count: motoRoundTrips, warmUp: min(20, motoRoundTrips),
                                                  body: ClientsBench.messageBody)
        rows.append(("(b) moto, sequential", ours, "Python boto3", boto3))
        figures += [("moto_ours", (ours * 10).rounded() / 10), ("moto_boto3", (boto3 * 10).rounded() / 10),
                    ("moto_ratio", ClientsBench.ratio(ours, boto3)), ("moto_round_trips", Double(motoRoundTrips))]

        #if DEBUG
        let build = "debug build"
        #else
        let build = "release build"
        #endif
        print("SQS round trips per second (SendMessage + ReceiveMessage + DeleteMessageBatch), \(build):")
        print(ClientsBench.pad("", 40) + ClientsBench.pad("SQSClient", 12) + ClientsBench.pad("reference", 32) + "ratio")
        for (name, ours, reference, value) in rows {
            print(ClientsBench.pad(name, 40) + ClientsBench.pad(String(format: "%.1f", ours), 12)
                + ClientsBench.pad(String(format: "%@ %.1f", reference, value), 32) + String(format: "%.3f", ours / value))
        }
        print(benchJSON("clients", figures))
    }

    /// One round trip: send a message, receive (up to 10, no wait), delete what came in one batch.
    static func roundTrip(_ sqs: SQSClient, queueURL: String) async throws {
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: messageBody, messageAttributes: messageAttributes))
        let messages = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, maxNumberOfMessages: 10, waitTimeSeconds: 0))
        guard !messages.isEmpty else { return }
        let result = try await sqs.deleteMessageBatch(queueURL: queueURL, entries: messages.enumerated().map {
            DeleteMessageBatchEntry(id: "m\($0.offset)", receiptHandle: $0.element.receiptHandle)
        })
        guard result.allSucceeded else { throw BenchTools.Failure(description: "DeleteMessageBatch failed: \(result.failed)") }
    }

    private func client(endpoint: String, transport: any HTTPTransport) throws -> SQSClient {
        let settings = AWSServiceSettings(service: "sqs", region: "us-east-1", endpoint: endpoint, credentialProvider: StaticCredentialProvider(
            AWSCredentials(accessKeyId: "AKIDBENCHEXAMPLE", secretAccessKey: "bench/secret/not/real")))
        return try SQSClient(settings: settings, transport: transport, logger: Logger(label: "pubsub-bench", level: .error),
                             retryPolicy: .noRetries, readTimeout: .seconds(10))
    }

    /// The three requests of one round trip as ``SQSClient`` sends them, without the signature.
    private func bareRequests(endpoint: String, queueURL: String, transport: CurlTransport) async throws -> [AWSHTTPRequest] {
        let recorder = RecordingTransport(transport)
        try await ClientsBench.roundTrip(client(endpoint: endpoint, transport: recorder), queueURL: queueURL)
        let requests = recorder.requests.map { request in
            var unsigned = request
            unsigned.headers["Authorization"] = nil
            unsigned.headers["X-Amz-Date"] = nil
            return unsigned
        }
        guard requests.count == 3 else { throw BenchTools.Failure(description: "expected 3 requests per round trip, saw \(requests.count)") }
        return requests
    }

    /// Round trips per second of `concurrency` loops of `body` for `seconds`, on the transport's executor.
    private func measure(concurrency: Int, seconds: Double, on transport: CurlTransport,
                         _ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask(executorPreference: transport.executor) {
                    var count = 0
                    while clock.now < deadline {
                        try await body()
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / BenchTools.seconds(start.duration(to: clock.now))
    }

    /// Round trips per second of `count` sequential runs of `body`, on the transport's executor.
    private func measure(count: Int, on transport: CurlTransport, _ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let elapsed = try await withTaskExecutorPreference(transport.executor) {
            let start = clock.now
            for _ in 0..<count { try await body() }
            return start.duration(to: clock.now)
        }
        return Double(count) / BenchTools.seconds(elapsed)
    }

    private static func ratio(_ ours: Double, _ reference: Double) -> Double {
        (ours / reference * 1000).rounded() / 1000
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// Passes requests on to a transport and keeps a copy of each.
    private final class RecordingTransport: HTTPTransport {
        private let base: CurlTransport
        private let recorded = Mutex<[AWSHTTPRequest]>([])

        init(_ base: CurlTransport) { self.base = base }

        var requests: [AWSHTTPRequest] { recorded.withLock { $0 } }

        func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
            recorded.withLock { $0.append(request) }
            return try await base.send(request, timeout: timeout)
        }
    }

    /// A `moto_server` on a free loopback port (pip-installing `moto[server]` when missing), pinned
    /// like the other bench servers; its request log goes to a temporary file.
    private final class MotoServer {
        let url: String
        private let process: Process

        init() throws {
            try Python.require(module: "moto.server", spec: "moto[server]")
            guard let motoServer = BenchTools.which("moto_server") else {
                throw BenchTools.Failure(description: "moto_server is not on PATH after installing moto[server]")
            }
            let port = try BenchTools.freePort()
            url = "http://127.0.0.1:\(port)"
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-moto-\(port).log")
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                throw BenchTools.Failure(description: "cannot create \(log.path)")
            }
            process = Process()
            let command = BenchTools.serverCPUPrefix + [motoServer, "-H", "127.0.0.1", "-p", String(port)]
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            for _ in 0..<200 {
                if ClientsBench.isListening(port: port) { return }
                guard process.isRunning else { throw BenchTools.Failure(description: "moto_server exited at start (log: \(log.path))") }
                usleep(50_000)
            }
            stop()
            throw BenchTools.Failure(description: "moto_server did not start listening on port \(port) (log: \(log.path))")
        }

        /// SIGKILL: the server inherits the blocked signal mask of the thread that spawned it, and
        /// Python does not unblock SIGTERM, so `terminate()` would leave it running.
        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        deinit { stop() }
    }

    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Python packages the bench needs, installed with pip when missing (python3 with apt-get).
    private enum Python {
        static func require(module: String, spec: String) throws {
            let python = try BenchTools.require("python3", package: "python3")
            if (try? BenchTools.run([python, "-c", "import \(module)"], quiet: true)) != nil { return }
            printError("==> installing \(spec) (pip)")
            // Debian's own python3 refuses pip installs outside a virtual environment (PEP 668) unless told.
            try BenchTools.run(["env", "PIP_BREAK_SYSTEM_PACKAGES=1", python, "-m", "pip", "install", "-q", spec], quiet: true)
        }
    }

    /// Python boto3 doing the same round trips against the same moto, in its own queue.
    private enum Boto3 {
        static let script = #"""
        import json, sys, time, uuid
        import boto3

        endpoint, count, warm_up, body = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="AKIDBENCHEXAMPLE", aws_secret_access_key="bench/secret/not/real")
        url = sqs.create_queue(QueueName="bench-clients-boto3-" + uuid.uuid4().hex[:8])["QueueUrl"]
        attributes = {"media_type": {"DataType": "String", "StringValue": "application/vnd.globality.pubsub._.created.foo_bar"}}

        def round_trip():
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                           MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
            if messages:
                result = sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
                if result.get("Failed"):
                    raise SystemExit("DeleteMessageBatch failed: %r" % result["Failed"])

        for _ in range(warm_up):
            round_trip()
        start = time.perf_counter()
        for _ in range(count):
            round_trip()
        elapsed = time.perf_counter() - start
        sqs.delete_queue(QueueUrl=url)
        print(json.dumps({"round_trips": count, "seconds": elapsed, "boto3": boto3.__version__}))
        """#

        static func roundTripsPerSecond(endpoint: String, count: Int, warmUp: Int, body: String) throws -> Double {
            try Python.require(module: "boto3", spec: "boto3")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-bench-boto3-\(UUID().uuidString).py")
            defer { try? FileManager.default.removeItem(at: path) }
            try script.write(to: path, atomically: true, encoding: .utf8)
            let output = try BenchTools.run(["python3", path.path, endpoint, String(count), String(warmUp), body])
            guard let line = output.split(separator: "\n").last,
                  let object = (try? JSONParser.parse(String(line)))?.objectValue,
                  let seconds = object["seconds"]?.doubleValue, seconds > 0 else {
                throw BenchTools.Failure(description: "could not read the boto3 script's output:\n\(output)")
            }
            if let version = object["boto3"]?.stringValue { printError("boto3 \(version)") }
            return Double(count) / seconds
        }
    }
}
