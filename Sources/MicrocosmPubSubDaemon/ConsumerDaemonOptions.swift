#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// A daemon's command line, read into graph flags and configuration: each flag sets the config key
/// a Python microcosm-pubsub service uses, above every other source (defaults < settings file <
/// environment < flags).
///
/// | flag | config |
/// |---|---|
/// | `--sqs-queue-url URL` | `sqs_consumer.sqs_queue_url` (a queue URL, `STDIN`, or a file of JSON lines) |
/// | `--stdin` | `sqs_consumer.sqs_queue_url: STDIN`, `sqs_envelope.strategy_name: NaiveSQSEnvelope` |
/// | `--lambda-event FILE` | `sqs_consumer.sqs_event` (the file's JSON; `-`: standard input), `sqs_envelope.strategy_name: LambdaSQSEnvelope`; Lambda mode |
/// | `--envelope NAME` | `sqs_envelope.strategy_name` |
/// | `--endpoint-url URL` | `sqs_consumer.endpoint_url`, `sns_producer.endpoint_url` |
/// | `--region NAME` | `sqs_consumer.region_name`, `sns_producer.region_name` |
/// | `--visibility-timeout S` | `sqs_consumer.visibility_timeout_seconds` |
/// | `--concurrency N` | `consumer_daemon.concurrency` |
/// | `--grace-period S` | `consumer_daemon.grace_period_seconds` |
/// | `--health-port PORT` | `consumer_daemon.health_port` |
/// | `--log-level LEVEL` | `logging.level` |
/// | `--debug`, `--testing` | the graph's `debug` / `testing` |
///
/// ```swift
/// let options = try ConsumerDaemonOptions.parse(["--sqs-queue-url", url, "--concurrency", "32"], command: "things-daemon")
/// options.config   // ["sqs_consumer": ["sqs_queue_url": url, "sqs_event": ""], "consumer_daemon": ["concurrency": 32]]
/// ```
public struct ConsumerDaemonOptions: Sendable {
    /// `--debug`.
    public var debug = false
    /// `--testing`: the in-memory broker instead of AWS.
    public var testing = false
    /// `--help` or `-h`.
    public var wantsHelp = false
    /// `--lambda-event`: handle one Lambda event and print the partial batch response.
    public var isLambdaMode = false
    /// The configuration the flags set (explicit values, above the environment).
    public var config: JSONObject = [:]

    /// No flags.
    public init() {}

    /// The daemon's options, for `--help` and the parser.
    public static func commandLineInterface(command: String, summary: String) -> CommandLineInterface {
        CommandLineInterface(command: command, summary: summary, options: [
            .value("--sqs-queue-url", "URL", "the SQS queue to consume (also STDIN, or a file of JSON lines to replay) "
                       + "[sqs_consumer.sqs_queue_url]"),
            .flag("--stdin", "read bare JSON messages, one a line, from standard input [sqs_consumer.sqs_queue_url: STDIN, "
                      + "sqs_envelope.strategy_name: NaiveSQSEnvelope]"),
            .value("--lambda-event", "FILE", "handle the SQS Lambda event in FILE ('-': standard input) once and print the "
                       + "partial batch response [sqs_consumer.sqs_event]"),
            .value("--envelope", "NAME", "how message bodies are read: " + SQSEnvelope.strategyNames.joined(separator: ", ")
                       + " [sqs_envelope.strategy_name]"),
            .value("--endpoint-url", "URL", "the SQS and SNS endpoint (moto, LocalStack, memory://) "
                       + "[sqs_consumer.endpoint_url, sns_producer.endpoint_url]"),
            .value("--region", "NAME", "the AWS region [sqs_consumer.region_name, sns_producer.region_name]"),
            .value("--visibility-timeout", "S", "seconds received messages stay invisible (default: the queue's) "
                       + "[sqs_consumer.visibility_timeout_seconds]"),
            .value("--concurrency", "N", "messages handled at once (default 10) [consumer_daemon.concurrency]"),
            .value("--grace-period", "S", "seconds in-flight handlers get after SIGTERM or SIGINT (default 20) "
                       + "[consumer_daemon.grace_period_seconds]"),
            .value("--health-port", "PORT", "serve GET /api/health and /api/ready on PORT (0: any free port) "
                       + "[consumer_daemon.health_port]"),
            .value("--log-level", "LEVEL", "trace, debug, info, notice, warning, error or critical (default info; warning "
                       + "with --testing) [logging.level]"),
            .flag("--debug", "debug logging; the producer skips publishing"),
            .flag("--testing", "use the in-memory broker instead of AWS"),
        ])
    }

    /// All of standard input (empty when it cannot be read), for `--lambda-event -`.
    @usableFromInline
    static func standardInputBytes() -> Data {
        Data((try? readToEnd(descriptor: 0)) ?? [])
    }

    /// Reads `arguments` (without the program name).
    ///
    /// Throws ``UsageError`` (exit status 64) naming the flag: an unknown flag, a bad value, flags
    /// that exclude each other, an unknown envelope, a queue URL that is none (nor `STDIN`, nor an
    /// existing file), a malformed endpoint URL or region name, a Lambda event file that cannot be
    /// read or is not JSON. `readStandardInput` supplies standard input for `--lambda-event -`.
    public static func parse(_ arguments: [String], command: String, summary: String = "",
                             readStandardInput: () -> Data = { ConsumerDaemonOptions.standardInputBytes() })
        throws(UsageError) -> ConsumerDaemonOptions {
        let cli = commandLineInterface(command: command, summary: summary)
        let parsed = try cli.parse(arguments)
        func usage(_ message: String) -> UsageError { UsageError(command: command, message: message) }

        var options = ConsumerDaemonOptions()
        options.wantsHelp = parsed.wantsHelp
        guard !parsed.wantsHelp else { return options }
        options.debug = parsed.flag("--debug")
        options.testing = parsed.flag("--testing")
        if options.debug && options.testing { throw usage("--debug and --testing exclude each other") }
        let sources = ["--sqs-queue-url", "--stdin", "--lambda-event"].filter { parsed[$0] != nil || parsed.flag($0) }
        if sources.count > 1 { throw usage("\(sources.joined(separator: " and ")) exclude each other") }

        var config = Configuration()
        func set(_ value: JSONValue, _ keys: String...) {
            for key in keys { config.setValue(value, at: ConfigKeyPath(dotted: key)) }
        }
        if parsed.flag("--stdin") {
            set(.string(MessageSource.standardInputName), "sqs_consumer.sqs_queue_url")
            set("", "sqs_consumer.sqs_event")
            set(.string(SQSEnvelope.Strategy.naive.rawValue), "sqs_envelope.strategy_name")
        }
        if let url = parsed["--sqs-queue-url"] {
            guard !url.isEmpty else { throw usage("--sqs-queue-url needs a queue URL, STDIN or a file") }
            _ = try parsed.queueURL("--sqs-queue-url")
            set(.string(url), "sqs_consumer.sqs_queue_url")
            set("", "sqs_consumer.sqs_event")
        }
        if let path = parsed["--lambda-event"] {
            set(try lambdaEvent(at: path, command: command, readStandardInput: readStandardInput), "sqs_consumer.sqs_event")
            set("", "sqs_consumer.sqs_queue_url")
            set(.string(SQSEnvelope.Strategy.lambda.rawValue), "sqs_envelope.strategy_name")
            options.isLambdaMode = true
        }
        if let envelope = parsed["--envelope"] {
            guard SQSEnvelope.strategyNames.contains(envelope) else {
                throw usage("--envelope must be one of \(SQSEnvelope.strategyNames.joined(separator: ", ")), got '\(envelope)'")
            }
            set(.string(envelope), "sqs_envelope.strategy_name")
        }
        if let endpoint = try parsed.endpointURL("--endpoint-url") {
            set(.string(endpoint), "sqs_consumer.endpoint_url", "sns_producer.endpoint_url")
        }
        if let region = try parsed.region("--region") {
            set(.string(region), "sqs_consumer.region_name", "sns_producer.region_name")
        }
        if let timeout = try parsed.int("--visibility-timeout", in: 0...43_200) {
            set(.int(timeout), "sqs_consumer.visibility_timeout_seconds")
        }
        if let concurrency = try parsed.int("--concurrency", in: 1...10_000) {
            set(.int(concurrency), "consumer_daemon.concurrency")
        }
        if let grace = try parsed.double("--grace-period", in: 0...86_400) {
            set(.double(grace), "consumer_daemon.grace_period_seconds")
        }
        if let port = try parsed.int("--health-port", in: 0...65_535) {
            set(.int(port), "consumer_daemon.health_port")
        }
        if let level = parsed["--log-level"] {
            guard LogLevel(name: level) != nil else {
                throw usage("--log-level must be one of trace, debug, info, notice, warning, error, critical, got '\(level)'")
            }
            set(.string(level), "logging.level")
        }
        options.config = config.values
        return options
    }

    private static func lambdaEvent(at path: String, command: String, readStandardInput: () -> Data) throws(UsageError) -> JSONValue {
        let name = path == "-" ? "standard input" : "'\(path)'"
        let data: Data
        if path == "-" {
            data = readStandardInput()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
                throw UsageError(command: command, message: "--lambda-event: \(name) \(reason)")
            }
        }
        do {
            return try JSONParser.parse(data)
        } catch {
            throw UsageError(command: command, message: "--lambda-event: \(name) is not JSON: \(error)")
        }
    }
}
