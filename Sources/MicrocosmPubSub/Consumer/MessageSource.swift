#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmJSON

/// Where an ``SQSConsumer`` gets messages, as microcosm-pubsub's `configure_sqs_consumer` picks
/// them: an SQS queue, standard input (`STDIN`), a file of JSON lines (replay), or a Lambda event.
///
/// Only a queue acknowledges: for the others ack and nack do nothing. Standard input, files and
/// Lambda events end: when they have, ``SQSConsumer/consume()`` returns no messages and
/// ``isExhausted`` is true (Python raises `ExitError("No more messages to replay")` from that
/// receive; here the end is a state to check, not an error). A queue never ends.
///
/// ```swift
/// let queue = MessageSource.queue("https://sqs.us-east-1.amazonaws.com/123456789012/orders", client: try graph.sqsClient)
/// let replay = try MessageSource.file(at: "/var/replay/orders.jsonl")
/// let lambda = try MessageSource.lambdaEvent(event)          // {"Records": [...]} as JSONValue
/// ```
public struct MessageSource: Sendable, CustomStringConvertible {
    package enum Kind: Sendable {
        case queue(url: String, client: any SQSAPI)
        case lines(LineReader)
        case lambda(LambdaEventFeed)
        case unconfigured
    }

    /// The value of `sqs_consumer.sqs_queue_url` that selects standard input.
    public static let standardInputName = "STDIN"

    package let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The SQS queue at `url`, through `client` (an `SQSClient`, or the in-memory broker's `sqs`).
    public static func queue(_ url: String, client: any SQSAPI) -> MessageSource {
        MessageSource(.queue(url: url, client: client))
    }

    /// Lines of JSON from standard input (config `sqs_consumer.sqs_queue_url: STDIN`).
    public static var standardInput: MessageSource {
        lines(fromFileDescriptor: 0, name: "standard input")
    }

    /// Lines of JSON read from the open file descriptor `descriptor` (a pipe's read end, a socket, a file;
    /// `handle.fileDescriptor` of a Foundation `FileHandle`); `name` says what it is in errors. With
    /// `closesDescriptor` the source closes it when it is released; otherwise the caller keeps it open while
    /// the source is used.
    public static func lines(fromFileDescriptor descriptor: Int32, name: String, closesDescriptor: Bool = false) -> MessageSource {
        MessageSource(.lines(LineReader(descriptor: descriptor, name: name, closesDescriptor: closesDescriptor)))
    }

    /// Lines of JSON from the file at `path` (a path, or a `file://` URL), to replay.
    ///
    /// Throws ``SQSConsumerError/unreadableSource(_:_:)`` naming the path when it cannot be opened.
    public static func file(at path: String) throws(SQSConsumerError) -> MessageSource {
        let filePath = localPath(path) ?? path
        let name = "file '\(filePath)'"
        let descriptor = open(filePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableSource(name, SystemCallError(code: errno)) }
        return MessageSource(.lines(LineReader(descriptor: descriptor, name: name, closesDescriptor: true)))
    }

    /// The records of a Lambda SQS event: `{"Records": [...]}`, an array of records, one record
    /// (what microcosm-pubsub's Lambda handler passes), or any of these as JSON text.
    ///
    /// Throws ``SQSConsumerError/invalidLambdaEvent(_:key:underlying:)`` for anything else.
    public static func lambdaEvent(_ event: JSONValue) throws(SQSConsumerError) -> MessageSource {
        try lambdaEvent(event, key: nil)
    }

    static func lambdaEvent(_ event: JSONValue, key: String?) throws(SQSConsumerError) -> MessageSource {
        MessageSource(.lambda(LambdaEventFeed(records: try LambdaEventFeed.records(of: event, key: key))))
    }

    /// No source configured: consuming throws ``SQSConsumerError/noQueueURL``.
    static var unconfigured: MessageSource { MessageSource(.unconfigured) }

    /// The source `sqs_consumer` configures, in microcosm-pubsub's order: a Lambda event
    /// (`sqs_event`), then `STDIN`, then a file, then a queue URL.
    ///
    /// `client` is called only for a queue. A file is a path, or a `file://` URL; it must exist
    /// (Python also tries the path of other URLs; a queue URL's path never names a local file, so
    /// this does not). A value that is none of these (see ``problem(withQueueURL:)``) throws
    /// ``SQSConsumerError/invalidQueueURL(_:problem:origin:)`` naming `origin`, so a daemon stops at
    /// start-up instead of failing on every receive.
    static func configured(queueURL: String?, origin: ConfigOrigin? = nil, lambdaEvent: JSONValue?,
                           client: () throws -> any SQSAPI) throws -> MessageSource {
        if let lambdaEvent, Self.isPresent(lambdaEvent) {
            return try Self.lambdaEvent(lambdaEvent, key: SQSConsumerError.lambdaEventKey)
        }
        guard let queueURL, !queueURL.isEmpty else { return .unconfigured }
        if queueURL == standardInputName { return .standardInput }
        if let problem = problem(withQueueURL: queueURL) { throw SQSConsumerError.invalidQueueURL(queueURL, problem: problem, origin: origin) }
        if let path = localPath(queueURL) { return try .file(at: path) }
        return .queue(queueURL, client: try client())
    }

    /// Why `text`, a value of `sqs_consumer.sqs_queue_url` (`--queue-url`, `--sqs-queue-url`), names
    /// no source, or nil when it names one: `STDIN`, an existing file (a path or a `file://` URL),
    /// an http(s) queue URL, or the in-memory broker's `memory://` queue URL.
    ///
    /// ```swift
    /// MessageSource.problem(withQueueURL: "/var/replay/missing.jsonl")
    /// // "no file '/var/replay/missing.jsonl' (a file of JSON lines to replay must exist; a queue URL starts with https://)"
    /// ```
    public static func problem(withQueueURL text: String) -> String? {
        if text == standardInputName { return nil }
        if text.isEmpty { return "an SQS queue URL, STDIN or a file of JSON lines is needed, got ''" }
        if let path = localPath(text) {
            guard !path.isEmpty, let isDirectory = isDirectory(atPath: path) else {
                return "no file '\(path)' (a file of JSON lines to replay must exist; a queue URL starts with https://)"
            }
            return isDirectory ? "'\(path)' is a directory, not a file of JSON lines" : nil
        }
        if text.hasPrefix("memory://") { return nil }
        let scheme = text[..<text.firstRange(of: "://")!.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "'\(text)' is not a queue URL (http:// or https://), STDIN or a file"
        }
        return AWSServiceSettings.urlProblem(text).map { "'\(text)' is not a usable queue URL: \($0)" }
    }

    /// Python's truthiness of `sqs_event`: null, "", [] and {} mean "no event".
    private static func isPresent(_ event: JSONValue) -> Bool {
        switch event {
        case .null: return false
        case .string(let text): return !text.isEmpty
        case .array(let items): return !items.isEmpty
        case .object(let members): return !members.isEmpty
        default: return true
        }
    }

    /// The local path `text` names: itself, or the path of a `file://` URL (empty when it has none);
    /// nil for other URLs.
    private static func localPath(_ text: String) -> String? {
        if text.hasPrefix("file://") { return URL(string: text)?.path ?? "" }
        if text.contains("://") { return nil }
        return text
    }

    // MARK: State

    /// The queue URL, for a queue.
    public var queueURL: String? {
        if case .queue(let url, _) = kind { return url }
        return nil
    }

    /// True for a queue: ack and nack act. Other sources ignore them.
    public var acknowledges: Bool {
        if case .queue = kind { return true }
        return false
    }

    /// True once a finite source has ended: a Lambda event when its last record has been handed
    /// out, standard input and files when a receive has met the end of the input (that receive
    /// returns no lines). Receiving then returns nothing. Always false for a queue.
    public var isExhausted: Bool {
        switch kind {
        case .queue, .unconfigured: return false
        case .lines(let reader): return reader.isExhausted
        case .lambda(let feed): return feed.isExhausted
        }
    }

    public var description: String {
        switch kind {
        case .queue(let url, _): return "queue '\(url)'"
        case .lines(let reader): return reader.name
        case .lambda(let feed): return "Lambda event (\(feed.count) record\(feed.count == 1 ? "" : "s"))"
        case .unconfigured: return "no source"
        }
    }

    // MARK: Receiving

    /// Up to `limit` inputs; from a queue, long-polling `waitSeconds`.
    func receive(limit: Int, waitSeconds: Int, visibilityTimeout: Int?) async throws -> [EnvelopeInput] {
        switch kind {
        case .queue(let url, let client):
            let request = ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: limit, waitTimeSeconds: waitSeconds,
                                                visibilityTimeout: visibilityTimeout)
            return try await client.receiveMessage(request).map(EnvelopeInput.message)
        case .lines(let reader):
            return try await reader.next(limit: limit).map(EnvelopeInput.line)
        case .lambda(let feed):
            return feed.take(limit: limit).map(EnvelopeInput.record)
        case .unconfigured:
            throw SQSConsumerError.noQueueURL
        }
    }
}
