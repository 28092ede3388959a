import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// How `pubsub demo` runs: where, how concurrently, for how long at most, and how much it logs.
public struct DemoOptions: Sendable, Hashable {
    /// `memory://` (the embedded in-memory broker), or the SNS and SQS endpoint (moto, LocalStack).
    public var endpointURL: String
    /// The AWS region of the clients (ignored by the embedded broker).
    public var region: String
    /// Messages the daemon loop handles at once (`consumer_daemon.concurrency`).
    public var concurrency: Int
    /// How long the loop may take to drain the queue before the demo gives up.
    public var timeout: Duration
    /// Log every result (info) rather than errors only.
    public var verbose: Bool

    /// The defaults: the embedded broker, us-east-1, concurrency 8, 60 s, quiet.
    public init(endpointURL: String = Registry.memoryEndpoint, region: String = "us-east-1", concurrency: Int = 8,
                timeout: Duration = .seconds(60), verbose: Bool = false) {
        self.endpointURL = endpointURL
        self.region = region
        self.concurrency = concurrency
        self.timeout = timeout
        self.verbose = verbose
    }

    /// True on the embedded in-memory broker.
    public var isEmbedded: Bool { endpointURL.hasPrefix(Registry.memoryEndpoint) }

    /// `logging.level` of the demo's graphs.
    var logLevel: String { verbose ? "info" : "error" }

    /// The options in `arguments` (parsed by ``DemoCommand/interface``); the region defaults to
    /// `AWS_REGION`, then `AWS_DEFAULT_REGION` of `environment`, then us-east-1.
    init(_ arguments: ParsedArguments, environment: [String: String]) throws(UsageError) {
        let command = DemoCommand.interface.command
        self.init()
        if let endpoint = arguments["--endpoint-url"] {
            guard endpoint == Registry.memoryEndpoint || AWSServiceSettings.urlProblem(endpoint) == nil else {
                throw UsageError(command: command, message: "--endpoint-url needs an http:// or https:// URL, or memory://, got '\(endpoint)'")
            }
            endpointURL = endpoint
        }
        if let region = try arguments.region("--region") {
            self.region = region
        } else if let (region, variable) = ["AWS_REGION", "AWS_DEFAULT_REGION"].lazy
                    .compactMap({ name in environment[name].flatMap { $0.isEmpty ? nil : ($0, name) } }).first {
            guard AWSServiceSettings.isRegionName(region) else {
                throw UsageError(command: command, message: "\(variable) needs an AWS region name like us-east-1, got '\(region)'")
            }
            self.region = region
        }
        concurrency = try arguments.int("--concurrency", in: 1...100) ?? concurrency
        if let seconds = try arguments.double("--timeout", in: 1...3600) {
            timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        verbose = arguments.flag("--verbose")
    }
}
