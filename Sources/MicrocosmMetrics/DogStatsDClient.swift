import Microcosm
import Synchronization

/// A DogStatsD client over UDP (microcosm-metrics' `metrics` binding, which is Datadog's Python
/// `DogStatsd`): histograms, counters, gauges, distributions, timings and sets, with constant
/// tags, sent to the agent as DogStatsD lines.
///
/// It never blocks and never fails its caller: each call formats its lines and hands them to a
/// non-blocking socket at once (several lines of one ``send(_:)`` share a datagram, up to
/// ``maximumDatagramBytes``); a datagram the kernel does not take (send buffer full, agent not
/// listening, network down) is dropped and counted in ``droppedDatagrams``, and a warning is
/// logged at most once per `errorLogInterval`. Nothing is held back, so nothing is lost when the
/// process exits. The host is resolved once, when the client is made.
///
/// ```swift
/// let statsd = try DogStatsDClient(host: "127.0.0.1", constantTags: ["service:things"], logger: logger)
/// statsd.histogram("message", 12.5, tags: ["result:SUCCEEDED"])   // "message:12.5|h|#result:SUCCEEDED,service:things\n"
/// statsd.increment("things.created")                              // "things.created:1|c|#service:things\n"
/// statsd.send([.histogram("message_batch", 40.2), .histogram("message_batch_size", 3)])   // one datagram
/// ```
public final class DogStatsDClient: Sendable {
    /// The largest datagram sent when packing several lines (Datadog's clients' safe UDP payload:
    /// a 1500-byte Ethernet frame less IP and UDP headers, with room to spare).
    public static let maximumDatagramBytes = 1432

    /// The host as configured (`metrics.host`): a name, an IPv4 or an IPv6 address.
    public let host: String
    /// The UDP port (`metrics.port`).
    public let port: Int
    /// Tags added after every sample's own tags, normalized.
    public let constantTags: [String]

    private let destination: Destination
    private let logger: Logger
    private let errorLogInterval: Duration
    private let sent = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let errorLog = Mutex(ErrorLog())
    private let recorded = Mutex<[String]>([])

    private enum Destination: Sendable {
        case udp(DogStatsDSocket)
        case memory
        case nowhere
    }

    private struct ErrorLog {
        var lastLogged: ContinuousClock.Instant?
        var unreported = 0
    }

    /// A client sending to `host`:`port` over UDP; resolves `host` now.
    ///
    /// - Parameters:
    ///   - host: a name, an IPv4 or an IPv6 address.
    ///   - port: the agent's DogStatsD port.
    ///   - constantTags: tags for every sample (normalized as the sample's tags are).
    ///   - logger: where send failures are reported (a warning at most once per `errorLogInterval`).
    ///   - errorLogInterval: how often send failures may be logged.
    ///   - configSection: the config section named in errors (`metrics` gives `metrics.host`).
    ///   - environmentPrefix: the service's environment prefix (`THINGS`), to name the variables in errors.
    /// - Throws: ``DogStatsDError`` when the port is out of range, the host does not resolve, or no
    ///   socket can be opened to it.
    public convenience init(host: String, port: Int = 8125, constantTags: [String] = [], logger: Logger,
                errorLogInterval: Duration = .seconds(60), configSection: String = "metrics",
                environmentPrefix: String? = nil) throws(DogStatsDError) {
        let variable = { (key: String) in environmentPrefix.map { "\($0)__\(configSection.uppercased())__\(key.uppercased())" } }
        guard (1...65_535).contains(port) else {
            throw .invalidPort(port, key: "\(configSection).port", environmentVariable: variable("port"))
        }
        let socket = try DogStatsDSocket(host: host, port: port, key: "\(configSection).host", environmentVariable: variable("host"))
        self.init(host: host, port: port, constantTags: constantTags, destination: .udp(socket), logger: logger,
                  errorLogInterval: errorLogInterval)
    }

    private init(host: String, port: Int, constantTags: [String], destination: Destination, logger: Logger,
                 errorLogInterval: Duration) {
        self.host = host
        self.port = port
        self.constantTags = constantTags.map(DogStatsDMetric.normalizedTag)
        self.destination = destination
        self.logger = logger
        self.errorLogInterval = errorLogInterval
    }

    /// A client that keeps its datagrams in memory instead of sending them (``recordedDatagrams``):
    /// what a testing graph binds as `metrics` (microcosm-metrics binds a mock there).
    public static func recording(host: String = "localhost", port: Int = 8125, constantTags: [String] = []) -> DogStatsDClient {
        DogStatsDClient(recordingTo: host, port: port, constantTags: constantTags)
    }

    /// A client that sends nothing (`DD_DOGSTATSD_DISABLE`, as Datadog's Python client).
    public static func disabled(host: String = "localhost", port: Int = 8125, constantTags: [String] = []) -> DogStatsDClient {
        DogStatsDClient(sendingNothingTo: host, port: port, constantTags: constantTags)
    }

    convenience init(recordingTo host: String, port: Int, constantTags: [String]) {
        self.init(host: host, port: port, constantTags: constantTags, destination: .memory,
                  logger: Logger(label: "metrics", handler: InMemoryLogHandler()), errorLogInterval: .seconds(60))
    }

    convenience init(sendingNothingTo host: String, port: Int, constantTags: [String]) {
        self.init(host: host, port: port, constantTags: constantTags, destination: .nowhere,
                  logger: Logger(label: "metrics", handler: InMemoryLogHandler()), errorLogInterval: .seconds(60))
    }

    // MARK: Samples

    /// Sends a histogram sample.
    public func histogram(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) {
        send([.histogram(name, value, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends a histogram sample of a whole number.
    public func histogram(_ name: String, _ value: Int, tags: [String] = [], sampleRate: Double = 1) {
        send([.histogram(name, value, tags: tags, sampleRate: sampleRate)])
    }

    /// Adds `value` (default 1) to a counter.
    public func increment(_ name: String, by value: Int = 1, tags: [String] = [], sampleRate: Double = 1) {
        send([.count(name, value, tags: tags, sampleRate: sampleRate)])
    }

    /// Subtracts `value` (default 1) from a counter.
    public func decrement(_ name: String, by value: Int = 1, tags: [String] = [], sampleRate: Double = 1) {
        send([.count(name, -value, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends a gauge sample.
    public func gauge(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) {
        send([.gauge(name, value, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends a distribution sample.
    public func distribution(_ name: String, _ value: Double, tags: [String] = [], sampleRate: Double = 1) {
        send([.distribution(name, value, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends a timing sample, in milliseconds.
    public func timing(_ name: String, _ duration: Duration, tags: [String] = [], sampleRate: Double = 1) {
        send([.timing(name, duration, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends a set member.
    public func set(_ name: String, _ member: String, tags: [String] = [], sampleRate: Double = 1) {
        send([.set(name, member, tags: tags, sampleRate: sampleRate)])
    }

    /// Sends `metrics` now, their lines packed into as few datagrams as fit in
    /// ``maximumDatagramBytes`` (a longer line goes alone), each line ending in a newline as
    /// Datadog's Python client ends them. A sample with a rate below 1 is sent
    /// with that probability. Never blocks, never throws.
    public func send(_ metrics: [DogStatsDMetric]) {
        var datagram = ""
        for metric in metrics {
            if metric.sampleRate < 1, Double.random(in: 0..<1) >= metric.sampleRate { continue }
            let line = metric.line(constantTags: constantTags)
            if !datagram.isEmpty, datagram.utf8.count + line.utf8.count + 1 > Self.maximumDatagramBytes {
                transmit(datagram)
                datagram = ""
            }
            datagram += line + "\n"
        }
        if !datagram.isEmpty { transmit(datagram) }
    }

    // MARK: Outcome

    /// Datagrams handed to the kernel (or recorded) so far.
    public var sentDatagrams: Int { sent.load(ordering: .relaxed) }

    /// Datagrams dropped so far because the socket would not take them.
    public var droppedDatagrams: Int { dropped.load(ordering: .relaxed) }

    /// The most datagrams a recording client keeps (the oldest half goes when it is reached).
    static let recordingLimit = 10_000

    /// The datagrams a ``recording(host:port:constantTags:)`` client kept, oldest first (empty otherwise).
    public var recordedDatagrams: [String] {
        recorded.withLock { $0 }
    }

    /// The lines a ``recording(host:port:constantTags:)`` client kept, oldest first.
    public var recordedLines: [String] {
        recordedDatagrams.flatMap { $0.split(separator: "\n").map(String.init) }
    }

    private func transmit(_ datagram: String) {
        switch destination {
        case .udp(let socket):
            if let code = socket.send(datagram) {
                dropped.add(1, ordering: .relaxed)
                report(code, socket: socket)
            } else {
                sent.add(1, ordering: .relaxed)
            }
        case .memory:
            recorded.withLock { kept in
                if kept.count == Self.recordingLimit { kept.removeFirst(kept.count / 2) }
                kept.append(datagram)
            }
            sent.add(1, ordering: .relaxed)
        case .nowhere:
            break
        }
    }

    /// Logs a failed send, unless one was logged less than `errorLogInterval` ago (then counts it for the next).
    private func report(_ code: Int32, socket: DogStatsDSocket) {
        let now = ContinuousClock.now
        let unreported: Int? = errorLog.withLock { log in
            if let last = log.lastLogged, now - last < errorLogInterval {
                log.unreported += 1
                return nil
            }
            defer { log = ErrorLog(lastLogged: now, unreported: 0) }
            return log.unreported
        }
        guard let unreported else { return }
        logger.warning("Could not send metrics to \(host):\(port): \(DogStatsDSocket.describe(code))"
                           + (unreported > 0 ? " (and \(unreported) more datagrams dropped since the last warning)" : ""),
                       metadata: ["metrics.host": host, "metrics.address": socket.address, "metrics.port": String(port),
                                  "metrics.dropped_total": String(droppedDatagrams)])
    }
}
