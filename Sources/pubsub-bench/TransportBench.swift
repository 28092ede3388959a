import Foundation
import MicrocosmAWS

/// Signed SQS-shaped requests per second through ``CurlTransport`` against a loopback nginx that
/// returns a canned ReceiveMessage reply, next to the C reference loops on libcurl (``CurlReference``) sending
/// one pre-signed request to the same server, and wrk (the outer limit) sending it too.
struct TransportBench {
    let seconds: Double

    /// Rounds in which ours and the C reference alternate (each gets `seconds` in all).
    static let rounds = 3

    static let requestBody = #"{"QueueUrl":"http://127.0.0.1/123456789012/bench","MaxNumberOfMessages":10,"WaitTimeSeconds":0,"AttributeNames":["All"],"MessageAttributeNames":["All"]}"#

    /// A ReceiveMessage reply with one SNS-wrapped message, about the size of a real one.
    static let cannedReply = #"{"Messages":[{"MessageId":"93defba7-abb1-470b-a652-90946b4ecc68","ReceiptHandle":"yanhbvyqknzmuuerojlddjstxwklgrnqppqvmmezoeythvzuptpywlhjnnmlazyqdeyxbfizsvnhfzzwtifdshcfhdtsidkogtjzissfugwrrztuehlcmegfwzhk","MD5OfBody":"8ba3853f5af787a79c50018f7b024eef","Body":"{\n  \"Message\": \"{\\\"mediaType\\\": \\\"application/vnd.globality.pubsub._.created.foo_bar\\\", \\\"opaqueData\\\": {\\\"x-request-id\\\": \\\"req-123\\\"}, \\\"uri\\\": \\\"http://example.com/foo_bars/1\\\"}\",\n  \"MessageId\": \"70cae7bf-198f-4be4-a68c-385ae395cc1f\",\n  \"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:bench\",\n  \"Type\": \"Notification\"\n}","Attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1795960765420"}}]}"#

    /// The transport, signer, credentials and ReceiveMessage request every loop of the bench uses against `server`.
    static func client(for server: LoopbackNginx) throws
        -> (transport: CurlTransport, signer: SigV4Signer, credentials: AWSCredentials, template: AWSHTTPRequest) {
        (CurlTransport(connectTimeout: .seconds(5)), SigV4Signer(service: "sqs", region: "us-east-1"),
         AWSCredentials(accessKeyId: "AKIDBENCHEXAMPLE", secretAccessKey: "bench/secret/not/real"),
         try AWSHTTPRequest(method: "POST", url: server.url + "/",
                            headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ReceiveMessage"],
                            body: Array(TransportBench.requestBody.utf8)))
    }

    func run() async throws {
        let server = try LoopbackNginx(body: TransportBench.cannedReply, contentType: "application/x-amz-json-1.0")
        defer { server.stop() }
        let (transport, signer, credentials, template) = try TransportBench.client(for: server)
        // wrk sends one request signed once; we sign every request.
        let presigned = signer.sign(template, credentials: credentials, date: Date())
        let wrkHeaders = presigned.headers.map { ($0.name, $0.value) }

        let pinning = BenchTools.serverCPUPrefix.isEmpty ? "unpinned"
            : "nginx on CPU \(BenchTools.serverCPU), clients on CPU \(BenchTools.clientCPU)"
        printError("transport bench: \(server.url), \(seconds) s per figure, \(pinning)")
        _ = try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                              concurrency: 8, seconds: min(1, seconds), onEventLoop: true)   // warm-up
        var figures: [(name: String, value: Double)] = []
        var others: [(name: String, value: Double)] = []
        func ratio(_ value: Double, _ reference: Double) -> Double { (value / reference * 1000).rounded() / 1000 }
        for concurrency in [1, 8] {
            // The reference: C on libcurl sending the pre-signed request (easy interface at concurrency 1, multi
            // above), alternating with ours (signing every request, on the transport's executor, as an SQS
            // receive/acknowledge loop runs) in rounds; each figure is the median of its rounds.
            var oursRounds: [Double] = [], referenceRounds: [Double] = []
            for _ in 0..<TransportBench.rounds {
                oursRounds.append(try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                                                    concurrency: concurrency, seconds: seconds / Double(TransportBench.rounds),
                                                    onEventLoop: true))
                referenceRounds.append(try CurlReference.requestsPerSecond(presigned, concurrency: concurrency, multi: concurrency > 1,
                                                                           seconds: seconds / Double(TransportBench.rounds)))
            }
            let ours = median(oursRounds), reference = median(referenceRounds)
            let referenceName = concurrency == 1 ? "easy" : "multi"
            // The transport alone: the same loops sending the pre-signed request.
            let unsigned = try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                                             presigned: presigned, concurrency: concurrency, seconds: seconds, onEventLoop: true)
            // The outer limit: wrk, an event loop in C that does not use libcurl.
            let wrk = try Wrk.requestsPerSecond(url: server.url + "/", method: "POST", headers: wrkHeaders,
                                                body: TransportBench.requestBody, connections: concurrency, seconds: seconds)
            let onPool = try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                                           concurrency: concurrency, seconds: seconds, onEventLoop: false)
            var line = String(format: "concurrency %d: ours %.0f req/s (signed, on the transport's executor), C libcurl %@ loop %.0f req/s "
                              + "(pre-signed), ratio %.3f (goal %.1f); ours sending the pre-signed request %.0f req/s, ratio to C %.3f",
                              concurrency, ours, referenceName, reference, ours / reference, concurrency == 1 ? 0.9 : 0.8,
                              unsigned, unsigned / reference)
            figures += [("ours_c\(concurrency)", ours.rounded()), ("c_\(referenceName)_c\(concurrency)", reference.rounded()),
                        ("ratio_c\(concurrency)", ratio(ours, reference)),
                        ("presigned_c\(concurrency)", unsigned.rounded()), ("presigned_ratio_c\(concurrency)", ratio(unsigned, reference))]
            if concurrency == 1 {
                let multi = try CurlReference.requestsPerSecond(presigned, concurrency: 1, multi: true, seconds: seconds)
                line += String(format: "; C libcurl multi loop %.0f req/s", multi)
                others.append(("c_multi_c1", multi.rounded()))
            }
            line += String(format: "; wrk %.0f req/s (outer limit), ours / wrk %.3f; ours from the global pool %.0f req/s, ratio to C %.3f",
                           wrk, ours / wrk, onPool, onPool / reference)
            print(line)
            others += [("wrk_c\(concurrency)", wrk.rounded()), ("wrk_ratio_c\(concurrency)", ratio(ours, wrk)),
                       ("pool_c\(concurrency)", onPool.rounded()), ("pool_ratio_c\(concurrency)", ratio(onPool, reference))]
        }
        figures += others
        figures.append(("rounds", Double(TransportBench.rounds)))
        print(benchJSON("transport", figures))
    }

    /// `transport-loop`: one variant alone (`signed`, `presigned`, `c`: C easy at concurrency 1 and multi above, `c-multi`)
    /// against the bench's nginx for `seconds`, after a second's pause in which a profiler can attach to this process
    /// (`perf record -p`), so its samples leave nginx out.
    func loop(variant: String, concurrency: Int) async throws {
        let server = try LoopbackNginx(body: TransportBench.cannedReply, contentType: "application/x-amz-json-1.0")
        defer { server.stop() }
        let (transport, signer, credentials, template) = try TransportBench.client(for: server)
        let presigned = signer.sign(template, credentials: credentials, date: Date())
        guard ["signed", "presigned", "c", "c-multi"].contains(variant) else {
            throw BenchTools.Failure(description: "unknown variant '\(variant)' (signed, presigned, c, c-multi)")
        }
        _ = try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                              concurrency: concurrency, seconds: 0.5, onEventLoop: true)   // warm-up
        printError("transport-loop: pid \(getpid()), \(variant) at concurrency \(concurrency) for \(seconds) s in 1 s")
        try await Task.sleep(for: .seconds(1))
        func processCPUSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let startCPU = processCPUSeconds()
        let perSecond: Double
        switch variant {
        case "c", "c-multi":
            perSecond = try CurlReference.requestsPerSecond(presigned, concurrency: concurrency,
                                                            multi: variant == "c-multi" || concurrency > 1, seconds: seconds)
        default:
            perSecond = try await measure(transport: transport, signer: signer, credentials: credentials, template: template,
                                          presigned: variant == "presigned" ? presigned : nil, concurrency: concurrency,
                                          seconds: seconds, onEventLoop: true)
        }
        // This process's CPU (user and system) per request: steadier than requests per second on a busy machine.
        let cpuMicroseconds = (processCPUSeconds() - startCPU) * 1e6 / (perSecond * seconds)
        print(String(format: "%@ at concurrency %d: %.0f req/s, %.1f us of this process's CPU per request", variant, concurrency,
                     perSecond, cpuMicroseconds))
    }

    /// Requests per second through `transport` from `concurrency` loops, each request signed afresh, or, with
    /// `presigned`, that one request sent again and again (what wrk sends: the transport's cost without signing).
    private func measure(transport: CurlTransport, signer: SigV4Signer, credentials: AWSCredentials, template: AWSHTTPRequest,
                         presigned: AWSHTTPRequest? = nil, concurrency: Int, seconds: Double,
                         onEventLoop: Bool) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask(executorPreference: onEventLoop ? transport.executor : nil) {
                    var count = 0
                    while clock.now < deadline {
                        let request = presigned ?? signer.sign(template, credentials: credentials, date: Date())
                        let response = try await transport.send(request, timeout: .seconds(10))
                        guard response.status == 200 else {
                            throw BenchTools.Failure(description: "server answered \(response.status)")
                        }
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / BenchTools.seconds(start.duration(to: clock.now))
    }
}

/// `{"bench":"<name>","a":1,...}`: the last line every bench prints.
func benchJSON(_ name: String, _ figures: [(name: String, value: Double)]) -> String {
    var fields = ["\"bench\":\"\(name)\""]
    for (key, value) in figures {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        fields.append("\"\(key)\":\(text)")
    }
    return "{" + fields.joined(separator: ",") + "}"
}
