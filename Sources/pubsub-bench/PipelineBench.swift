import Foundation
import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub

/// Messages per second through the library's whole in-process path, next to the same JSON work
/// done with Foundation alone (the floor), alternating in one run on one core.
///
/// Pipeline, per round of ten messages, through a `memory://` graph (`Registry.pubsub`): ten
/// `graph.snsProducer.produce(.created("FooBar"), uri:)` calls inside `graph.opaque.withValues`
/// (`x-request-id`), each published to a topic whose queue subscription wraps the message in the
/// SNS notification envelope (as on AWS); one `graph.sqsConsumer.consume()` (limit 10, no wait);
/// `message.decode(URIMessage.self)` and `message.opaqueData["x-request-id"]` for each; one
/// `graph.sqsConsumer.ack(messages)` (DeleteMessageBatch).
///
/// Floor, per message: `JSONEncoder` writes the same message fields (`mediaType`, `opaqueData`
/// with `x-request-id` and `x-request-published`, `uri`) and then the envelope with the same
/// members (`.prettyPrinted`, `.sortedKeys`, as moto lays it out); `JSONDecoder` reads `Message`
/// and `TopicArn` back from the envelope and decodes the message. Only JSON work: the floor makes
/// no ids, timestamps, digests or queue bookkeeping (the envelope's ids are constants of the real
/// length).
struct PipelineBench {
    let seconds: Double

    static let rounds = 5
    static let batch = 10
    static let accountId = "123456789012"
    static let topicName = "bench-foo-bars"
    static let queueName = "bench-foo-bars-worker"
    static let topicArn = "arn:aws:sns:us-east-1:\(accountId):\(topicName)"
    static let queueURL = "memory://sqs.us-east-1/\(accountId)/\(queueName)"
    static let mediaType = MediaType.created("FooBar")
    static let requestId = "req-123"
    /// One URI per message of a round, as in ../shared/wire (`http://example.com/foo_bars/1`).
    static let uris = (1...batch).map { "http://example.com/foo_bars/\($0)" }

    func run() async throws {
        #if DEBUG
        printError("warning: a debug build; measure with `swift build -c release` and .build/release/pubsub-bench")
        #endif
        let pipeline = try await Pipeline()
        let floor = Floor()
        let cpu = ProcessInfo.processInfo.environment["PUBSUB_BENCH_PINNED"] != nil ? "pinned to CPU \(BenchTools.clientCPU)" : "unpinned"
        printError("pipeline bench: \(PipelineBench.rounds) rounds of \(seconds / Double(PipelineBench.rounds)) s each for the "
                   + "pipeline and the floor, alternating, one task, \(cpu)")

        // The same message fields and envelope members: the sizes show both move about as many bytes
        // (Foundation writes the message without spaces and the envelope with " : ").
        let sample = try await pipeline.sampleBodies()
        let floorSample = try floor.sample()
        let slice = seconds / Double(PipelineBench.rounds)
        _ = try await PipelineBench.measure(seconds: min(0.5, slice)) { try await pipeline.round() }   // warm-up
        _ = try await PipelineBench.measure(seconds: min(0.5, slice)) { try floor.round() }

        var rows: [(pipeline: Double, floor: Double)] = []
        for _ in 0..<PipelineBench.rounds {
            let ours = try await PipelineBench.measure(seconds: slice) { try await pipeline.round() }
            let reference = try await PipelineBench.measure(seconds: slice) { try floor.round() }
            rows.append((ours, reference))
        }

        #if DEBUG
        let build = "debug build"
        #else
        let build = "release build"
        #endif
        print("messages per second, produce -> in-memory broker (SNS -> wrapped SQS) -> consume -> decode -> batch ack, \(build), \(cpu):")
        print("round  pipeline    floor       ratio")
        for (index, row) in rows.enumerated() {
            print(String(format: "%-6d %-11.0f %-11.0f %.3f", index + 1, row.pipeline, row.floor, row.pipeline / row.floor))
        }
        let ratios = rows.map { $0.pipeline / $0.floor }.sorted()
        let pipelineMedian = PipelineBench.median(rows.map(\.pipeline))
        let floorMedian = PipelineBench.median(rows.map(\.floor))
        let ratio = PipelineBench.median(ratios)
        print(String(format: "median %-11.0f %-11.0f %.3f (median of the per-round ratios, which span %.3f...%.3f; goal >= 0.6: %@)",
                     pipelineMedian, floorMedian,
                     ratio, ratios.first!, ratios.last!, ratio >= 0.6 ? "met" : "not met"))
        print("message \(sample.message) bytes, envelope \(sample.envelope) bytes; floor: message \(floorSample.message) bytes, "
              + "envelope \(floorSample.envelope) bytes")
        print(benchJSON("pipeline", [
            ("pipeline_per_s", pipelineMedian.rounded()), ("floor_per_s", floorMedian.rounded()),
            ("ratio", (ratio * 1000).rounded() / 1000),
            ("ratio_min", (ratios.first! * 1000).rounded() / 1000), ("ratio_max", (ratios.last! * 1000).rounded() / 1000),
            ("rounds", Double(PipelineBench.rounds)), ("batch", Double(PipelineBench.batch)),
            ("message_bytes", Double(sample.message)), ("envelope_bytes", Double(sample.envelope)),
            ("floor_message_bytes", Double(floorSample.message)), ("floor_envelope_bytes", Double(floorSample.envelope)),
        ]))
    }

    /// Messages per second of `round` (``batch`` messages each) run back to back for `seconds`.
    private static func measure(seconds: Double, _ round: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var rounds = 0
        repeat {
            try await round()
            rounds += 1
        } while clock.now < deadline
        return Double(rounds * batch) / BenchTools.seconds(start.duration(to: clock.now))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    // MARK: Pipeline

    /// A `memory://` graph with a topic, a queue and a wrapped subscription between them.
    final class Pipeline {
        let graph: Graph
        let producer: SNSProducer
        let consumer: SQSConsumer
        let broker: InMemoryBroker

        init() async throws {
            graph = try Graph(name: "pubsub-bench", registry: .pubsub, loader: .empty, config: [
                "sns_topic_arns": ["default": .string(PipelineBench.topicArn)],
                "sns_producer": ["endpoint_url": "memory://"],
                "sqs_consumer": ["endpoint_url": "memory://", "sqs_queue_url": .string(PipelineBench.queueURL),
                                 "limit": .int(PipelineBench.batch), "wait_seconds": 0],
            ])
            broker = try graph.pubsubBroker
            let topicArn = try await broker.sns.createTopic(name: PipelineBench.topicName, attributes: [:])
            let queueURL = try await broker.sqs.createQueue(name: PipelineBench.queueName, attributes: [:])
            guard topicArn == PipelineBench.topicArn, queueURL == PipelineBench.queueURL else {
                throw BenchTools.Failure(description: "the broker made \(topicArn) and \(queueURL)")
            }
            _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: broker.queueArn(named: PipelineBench.queueName),
                                               attributes: [:])
            producer = try graph.snsProducer
            consumer = try graph.sqsConsumer
        }

        /// Ten messages produced, consumed, decoded and acknowledged.
        func round() async throws {
            try await graph.opaque.withValues(["X-Request-Id": PipelineBench.requestId]) {
                for uri in PipelineBench.uris {
                    guard try await producer.produce(PipelineBench.mediaType, uri: uri) != nil else {
                        throw BenchTools.Failure(description: "the producer skipped")
                    }
                }
            }
            let messages = try await consumer.consume()
            guard messages.count == PipelineBench.batch else {
                throw BenchTools.Failure(description: "consumed \(messages.count) messages, expected \(PipelineBench.batch)")
            }
            for message in messages {
                let content = try message.decode(URIMessage.self)
                guard content.uri.hasPrefix("http://example.com/foo_bars/"), message.opaqueData["x-request-id"] == PipelineBench.requestId,
                      message.topicArn == PipelineBench.topicArn else {
                    throw BenchTools.Failure(description: "unexpected message \(message)")
                }
            }
            let report = await consumer.ack(messages)
            guard report.failed.isEmpty else { throw BenchTools.Failure(description: "ack failed: \(report.failed)") }
        }

        /// The sizes of one message and of the envelope SQS delivers it in.
        func sampleBodies() async throws -> (message: Int, envelope: Int) {
            try await graph.opaque.withValues(["X-Request-Id": PipelineBench.requestId]) {
                _ = try await producer.produce(PipelineBench.mediaType, uri: PipelineBench.uris[0])
            }
            let messages = try await consumer.consume()
            guard let message = messages.first, case .string(let text)? = try JSONParser.parse(message.sqsMessage.body)["Message"] else {
                throw BenchTools.Failure(description: "no wrapped message came back")
            }
            _ = await consumer.ack(messages)
            return (text.utf8.count, message.sqsMessage.body.utf8.count)
        }
    }

    // MARK: Floor

    /// The message as a Codable struct, with microcosm-pubsub's fields.
    struct FloorMessage: Codable {
        struct OpaqueData: Codable {
            var requestId: String
            var requestPublished: String
            enum CodingKeys: String, CodingKey {
                case requestId = "x-request-id"
                case requestPublished = "x-request-published"
            }
        }

        var mediaType: String
        var opaqueData: OpaqueData
        var uri: String
    }

    /// The SNS notification envelope with every member the broker writes.
    struct FloorEnvelope: Encodable {
        struct Attribute: Encodable {
            var type: String
            var value: String
            enum CodingKeys: String, CodingKey {
                case type = "Type"
                case value = "Value"
            }
        }

        var message: String
        var messageAttributes: [String: Attribute]
        var messageId: String
        var signature: String
        var signatureVersion: String
        var signingCertURL: String
        var timestamp: String
        var topicArn: String
        var type: String
        var unsubscribeURL: String

        enum CodingKeys: String, CodingKey {
            case message = "Message", messageAttributes = "MessageAttributes", messageId = "MessageId", signature = "Signature"
            case signatureVersion = "SignatureVersion", signingCertURL = "SigningCertURL", timestamp = "Timestamp"
            case topicArn = "TopicArn", type = "Type", unsubscribeURL = "UnsubscribeURL"
        }
    }

    /// What a consumer takes from the envelope.
    struct FloorNotification: Decodable {
        var message: String
        var topicArn: String

        enum CodingKeys: String, CodingKey {
            case message = "Message", topicArn = "TopicArn"
        }
    }

    /// The same JSON work with Foundation only, each step the faster of Foundation's two ways on
    /// this platform: `JSONEncoder`/`JSONDecoder` (on Linux, `JSONSerialization.data(withJSONObject:)`
    /// takes about 10x as long as `JSONEncoder` for the envelope, and `jsonObject(with:)` about
    /// 1.6x as long as decoding the two members a consumer reads).
    final class Floor {
        let messageEncoder = JSONEncoder()
        let envelopeEncoder = JSONEncoder()
        let decoder = JSONDecoder()
        let mediaType = PipelineBench.mediaType.rawValue
        // The envelope's other members, constants of the length the broker writes.
        let messageId = "70cae7bf-198f-4be4-a68c-385ae395cc1f"
        let signature = String(repeating: "A", count: 342) + "=="
        let signingCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9b3346a087794c1db1b08a54936dd3a7.pem"
        let timestamp = "2026-11-29T13:59:25.420Z"
        let unsubscribeURL = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
            + "\(PipelineBench.topicArn):2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"

        init() {
            messageEncoder.outputFormatting = [.withoutEscapingSlashes]
            // moto's layout: indented, keys sorted.
            envelopeEncoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        }

        /// Encode, wrap, unwrap and decode one message; returns the two texts' sizes.
        @discardableResult
        func message(uri: String) throws -> (message: Int, envelope: Int) {
            let opaqueData = FloorMessage.OpaqueData(requestId: PipelineBench.requestId,
                                                     requestPublished: String(Date().timeIntervalSince1970))
            let text = String(decoding: try messageEncoder.encode(FloorMessage(mediaType: mediaType, opaqueData: opaqueData, uri: uri)),
                              as: UTF8.self)
            let envelope = try envelopeEncoder.encode(FloorEnvelope(
                message: text, messageAttributes: ["media_type": .init(type: "String", value: mediaType)], messageId: messageId,
                signature: signature, signatureVersion: "1", signingCertURL: signingCertURL, timestamp: timestamp,
                topicArn: PipelineBench.topicArn, type: "Notification", unsubscribeURL: unsubscribeURL))
            let notification = try decoder.decode(FloorNotification.self, from: envelope)
            let decoded = try decoder.decode(FloorMessage.self, from: Data(notification.message.utf8))
            guard decoded.uri == uri, decoded.opaqueData.requestId == PipelineBench.requestId,
                  notification.topicArn == PipelineBench.topicArn else {
                throw BenchTools.Failure(description: "floor: decoded \(decoded) from \(notification.topicArn)")
            }
            return (text.utf8.count, envelope.count)
        }

        func round() throws {
            for uri in PipelineBench.uris { try message(uri: uri) }
        }

        func sample() throws -> (message: Int, envelope: Int) { try message(uri: PipelineBench.uris[0]) }
    }
}
