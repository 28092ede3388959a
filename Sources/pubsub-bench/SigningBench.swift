import Foundation
import Microcosm
import MicrocosmAWS

/// SigV4 signing of a typical SendMessage and the SHA-256 compression under it, in CPU time of this thread:
/// the CPU's SHA-256 instructions next to the Swift code, each measured in the same run.
struct SigningBench {
    let seconds: Double

    /// Rounds per figure; the engines alternate, and each figure is the median of its rounds.
    static let rounds = 5

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        let request = try await SigningBench.sendMessageRequest()
        let credentials = AWSCredentials(accessKeyId: "AKIDBENCHEXAMPLE", secretAccessKey: "bench/secret/not/real")
        let date = Date(timeIntervalSince1970: 1_795_960_765)
        let engines: [SHA256.Engine] = SHA256.hardwareAvailable ? [.swift, .hardware] : [.swift]
        let perFigure = seconds / Double(SigningBench.rounds * engines.count * 2)
        printError("signing bench: \(SigningBench.rounds) rounds of \(String(format: "%.2f", perFigure)) s per engine and figure, "
                   + "CPU time of this thread; SHA-256 instructions \(SHA256.hardwareAvailable ? "present" : "absent")")

        // SHA-256: one 16 KiB message (256 blocks and one of padding) hashed again and again.
        let message = [UInt8](repeating: 0x61, count: 256 * SHA256.blockByteCount)
        let blocksPerHash = Double(message.count / SHA256.blockByteCount + 1)
        var blockNanoseconds: [SHA256.Engine: [Double]] = [:]
        var sink: UInt8 = 0
        for _ in 0..<SigningBench.rounds {
            for engine in engines {
                let (count, cpu) = SigningBench.repeatFor(cpuSeconds: perFigure) {
                    sink ^= message.withUnsafeBytes { SHA256.hash(bufferPointer: $0, engine: engine) }[0]
                }
                blockNanoseconds[engine, default: []].append(cpu * 1e9 / (Double(count) * blocksPerHash))
            }
        }

        // Signing: the whole SigV4Signer.sign (canonical request, string to sign, HMAC, Authorization header).
        let signers = Dictionary(uniqueKeysWithValues: engines.map {
            ($0, SigV4Signer(service: "sqs", region: "us-east-1", engine: $0))
        })
        var signMicroseconds: [SHA256.Engine: [Double]] = [:]
        for _ in 0..<SigningBench.rounds {
            for engine in engines {
                let (count, cpu) = SigningBench.sign(request, with: signers[engine]!, credentials: credentials, date: date,
                                                     cpuSeconds: perFigure, sink: &sink)
                signMicroseconds[engine, default: []].append(cpu * 1e6 / Double(count))
            }
        }
        // The first signature in each second (the signer's per-second caches miss: the header plan's path and a new
        // canonical prefix), with the preferred engine: each signature one second after the one before.
        var firstInSecondMicroseconds: [Double] = []
        let preferred = signers[engines.last!]!
        var step = 0.0
        for _ in 0..<SigningBench.rounds {
            let (count, cpu) = SigningBench.repeatFor(cpuSeconds: perFigure) {
                step += 1
                sink ^= UInt8(truncatingIfNeeded: preferred.sign(request, credentials: credentials, date: date + step).headers.count)
            }
            firstInSecondMicroseconds.append(cpu * 1e6 / Double(count))
        }
        if sink == 0x5a { printError("") }   // keeps the hashing from being optimized away

        let signer = signers[.swift]!
        let canonical = signer.canonicalRequest(for: request, credentials: credentials, date: date).utf8.count
        let stringToSign = signer.stringToSign(for: request, credentials: credentials, date: date).utf8.count
        func blocks(_ bytes: Int) -> Int { (bytes + 9 + 63) / 64 }
        // Body and canonical request hashed; the string to sign after the keyed inner pad; the outer hash.
        let blocksPerSignature = blocks(request.body.count) + blocks(canonical) + blocks(64 + stringToSign) - 1 + 1

        let swiftBlock = median(blockNanoseconds[.swift]!), swiftSign = median(signMicroseconds[.swift]!)
        print(String(format: "SendMessage request: %d-byte body, %d-byte canonical request, %d-byte string to sign: "
                     + "%d SHA-256 blocks per signature", request.body.count, canonical, stringToSign, blocksPerSignature))
        print(String(format: "SHA-256 per 64-byte block: Swift %.1f ns", swiftBlock)
              + (blockNanoseconds[.hardware].map { String(format: ", CPU instructions %.1f ns (%.2fx)", median($0), swiftBlock / median($0)) } ?? ""))
        print(String(format: "SigV4 signing per request: with Swift SHA-256 %.2f us", swiftSign)
              + (signMicroseconds[.hardware].map { String(format: ", with the instructions %.2f us (%.2fx); goal <= 2 us", median($0), swiftSign / median($0)) } ?? ""))
        var figures: [(name: String, value: Double)] = [
            ("sha256_block_ns_swift", SigningBench.rounded(swiftBlock, 1)),
            ("sign_us_swift", SigningBench.rounded(swiftSign, 3)),
        ]
        if let hardwareBlock = blockNanoseconds[.hardware].map(median), let hardwareSign = signMicroseconds[.hardware].map(median) {
            figures += [("sha256_block_ns_hardware", SigningBench.rounded(hardwareBlock, 1)),
                        ("sha256_block_speedup", SigningBench.rounded(swiftBlock / hardwareBlock, 2)),
                        ("sign_us", SigningBench.rounded(hardwareSign, 3)),
                        ("sign_speedup", SigningBench.rounded(swiftSign / hardwareSign, 2))]
        }
        figures.append(("sign_us_first_in_second", SigningBench.rounded(median(firstInSecondMicroseconds), 3)))
        print(String(format: "SigV4 signing, the first signature in a second (no per-second cache): %.2f us", median(firstInSecondMicroseconds)))
        figures += [("blocks_per_signature", Double(blocksPerSignature)), ("body_bytes", Double(request.body.count)),
                    ("canonical_request_bytes", Double(canonical)), ("rounds", Double(SigningBench.rounds))]
        print(benchJSON("signing", figures))
    }

    /// `pubsub-bench sign-loop`: signing alone, with the preferred engine, for ``seconds`` of this thread's CPU.
    func loop() async throws {
        let request = try await SigningBench.sendMessageRequest()
        let credentials = AWSCredentials(accessKeyId: "AKIDBENCHEXAMPLE", secretAccessKey: "bench/secret/not/real")
        let signer = SigV4Signer(service: "sqs", region: "us-east-1")
        var sink: UInt8 = 0
        let (count, cpu) = SigningBench.sign(request, with: signer, credentials: credentials,
                                             date: Date(timeIntervalSince1970: 1_795_960_765), cpuSeconds: seconds, sink: &sink)
        if sink == 0x5a { printError("") }
        print(String(format: "%d signatures in %.2f CPU-s: %.2f us each (SHA-256 instructions %@)", count, cpu, cpu * 1e6 / Double(count),
                     SHA256.hardwareAvailable ? "used" : "absent"))
    }

    /// The SendMessage request ``SQSClient`` builds for a microcosm-pubsub message with its `media_type`
    /// attribute (as ``ClientsBench`` sends it), caught before it would be signed and sent.
    static func sendMessageRequest() async throws -> AWSHTTPRequest {
        let transport = CapturingTransport()
        let settings = AWSServiceSettings(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
                                          credentialProvider: StaticCredentialProvider(
                                              AWSCredentials(accessKeyId: "AKIDBENCHEXAMPLE", secretAccessKey: "bench/secret/not/real")))
        let sqs = try SQSClient(settings: settings, transport: transport, logger: Logger(label: "pubsub-bench", level: .error),
                                retryPolicy: .noRetries, readTimeout: .seconds(10))
        _ = try await sqs.sendMessage(SendMessageRequest(queueURL: "https://sqs.us-east-1.amazonaws.com/123456789012/bench",
                                                         messageBody: ClientsBench.messageBody,
                                                         messageAttributes: ClientsBench.messageAttributes))
        guard var request = transport.captured else { throw BenchTools.Failure(description: "SQSClient sent no request") }
        request.headers["Authorization"] = nil
        request.headers["X-Amz-Date"] = nil
        return request
    }

    /// Signs `request` until this thread has used `cpuSeconds` of CPU (a synchronous function, as the client's
    /// signing step is, so the loop copies nothing an async frame would).
    static func sign(_ request: AWSHTTPRequest, with signer: SigV4Signer, credentials: AWSCredentials, date: Date,
                     cpuSeconds: Double, sink: inout UInt8) -> (count: Int, cpuSeconds: Double) {
        var local = sink
        defer { sink = local }
        return repeatFor(cpuSeconds: cpuSeconds) {
            local ^= UInt8(truncatingIfNeeded: signer.sign(request, credentials: credentials, date: date).headers.count)
        }
    }

    /// Runs `body` until this thread has used `cpuSeconds` of CPU; returns the runs and the CPU seconds used.
    static func repeatFor(cpuSeconds: Double, _ body: () -> Void) -> (count: Int, cpuSeconds: Double) {
        let start = threadCPUSeconds()
        var count = 0
        var used = 0.0
        repeat {
            for _ in 0..<64 { body() }
            count += 64
            used = threadCPUSeconds() - start
        } while used < cpuSeconds
        return (count, used)
    }

    /// CPU time of the calling thread (user and system).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }

    /// Answers SendMessage with the canned reply and keeps the request.
    private final class CapturingTransport: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var request: AWSHTTPRequest?

        var captured: AWSHTTPRequest? { lock.withLock { request } }

        func send(_ request: AWSHTTPRequest, timeout: Duration) async throws -> AWSHTTPResponse {
            lock.withLock { self.request = request }
            return AWSHTTPResponse(status: 200, headers: ["Content-Type": SQSClient.contentType],
                                body: Array(ClientsBench.cannedReplies["AmazonSQS.SendMessage"]!.utf8))
        }
    }
}

/// The median of `values` (not empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
