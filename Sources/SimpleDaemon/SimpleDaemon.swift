#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmAWS
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// The README's example daemon: handles ``SimpleMessage``s (and the seed microcosm-pubsub
/// README's `SimpleSchema`, ``SimpleSchemaMessage``) by printing
/// `Processed message '<text>' after <seconds>s` (seconds since the message's timestamp).
/// Control characters in the text are printed escaped (``escaped(_:)``), so a message cannot
/// forge lines or drive the terminal.
///
/// ```
/// simple-daemon --sqs-queue-url http://localhost:5000/123456789012/simple   # moto, or an AWS queue URL
/// simple-daemon --testing                    # the in-memory broker, with a few messages to handle
/// ```
///
/// Config (`simple_daemon`): `delay_seconds` (0, at most 86400), how long the handler pretends to work before it
/// prints, to watch concurrency and graceful shutdown (`SIMPLE_DAEMON__SIMPLE_DAEMON__DELAY_SECONDS=2`).
public struct SimpleDaemon: ConsumerDaemon {
    /// Where the handler writes its lines (standard output, unbuffered).
    let output: @Sendable (String) -> Void
    /// The time, in seconds since the epoch.
    let now: @Sendable () -> Double

    /// The daemon, writing to `output`.
    public init(output: @escaping @Sendable (String) -> Void = { ConsumerDaemonOutput.standardOutput($0) },
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.output = output
        self.now = now
    }

    public var name: String { "simple-daemon" }

    public var summary: String? { "Print each SimpleMessage received, with how long it took to arrive." }

    public var registry: Registry {
        var registry = Registry.pubsub
        registry.bind("simple_daemon", defaults: ["delay_seconds": .typed(.seconds(in: 0...86_400), default: 0)]) { [output, now] graph in
            SimpleHandler(delay: try graph.config.seconds("simple_daemon.delay_seconds", in: 0...86_400), output: output, now: now)
        }
        return registry
    }

    public var components: [String] { ["simple_daemon"] }

    public var handlers: MessageHandlers {
        var handlers = MessageHandlers()
        handlers.register(SimpleHandler.self, for: SimpleMessage.self)
        handlers.register(SimpleHandler.self, for: SimpleSchemaMessage.self)   // the seed README's SimpleSchema
        return handlers
    }

    /// When testing (the in-memory broker), sends a few messages to the queue so there is
    /// something to handle.
    public func prepare(_ graph: Graph) async throws {
        guard graph.metadata.testing, let queueURL = try graph.sqsConsumer.queueURL else { return }
        let registry = try graph.pubsubMessageSchemaRegistry
        for text in ["Hello", "from the", "in-memory broker"] {
            let body = try registry.encode(SimpleMessage(message: text, timestamp: now()))
            _ = try await graph.sqsClient.sendMessage(SendMessageRequest(queueURL: queueURL, messageBody: body))
        }
    }

    /// Prints each message with its age (binding `simple_daemon`).
    struct SimpleHandler: MessageHandler {
        let delay: Duration
        let output: @Sendable (String) -> Void
        let now: @Sendable () -> Double

        init(delay: Duration, output: @escaping @Sendable (String) -> Void, now: @escaping @Sendable () -> Double) {
            self.delay = delay
            self.output = output
            self.now = now
        }

        init(graph: Graph) throws {
            self = try graph.resolve("simple_daemon")
        }

        func handle(_ message: ConsumedMessage) async throws -> Bool {
            let simple = try message.decode(SimpleMessage.self)
            if delay > .zero { try await Task.sleep(for: delay) }
            output("Processed message '\(SimpleDaemon.escaped(simple.message))' after \(formatDecimal(now() - simple.timestamp, places: 2))s")
            return true
        }
    }

    /// `text` safe to print on one line: `\` as `\\`, LF, CR and tab as `\n`, `\r`, `\t`, and every other
    /// C0 control, DEL, C1 control and the Unicode line and paragraph separators as `\u{XX}`.
    ///
    /// ```swift
    /// SimpleDaemon.escaped("ok\n2026 INFO forged\u{1B}[2J")   // "ok\\n2026 INFO forged\\u{1b}[2J"
    /// ```
    public static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
