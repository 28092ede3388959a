/// Why a DogStatsD client could not be made; names the config key (and the environment variable
/// that would set it) and the value seen.
///
/// ```
/// cannot resolve metrics.host 'statsd.internal' (env THINGS__METRICS__HOST): Name or service not known
/// metrics.port must be 1...65535, got 0 (env THINGS__METRICS__PORT)
/// ```
public struct DogStatsDError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What went wrong, to compare or switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The host name does not resolve to an address.
        public static let unresolvableHost = Code("unresolvableHost")
        /// The port is not 1...65535.
        public static let invalidPort = Code("invalidPort")
        /// No UDP socket could be opened and connected to any of the host's addresses.
        public static let socketFailed = Code("socketFailed")

        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// The config key concerned (`metrics.host`, `metrics.port`).
    public let key: String
    /// The value seen.
    public let value: String
    /// What the system said, or what was expected.
    public let detail: String
    /// The environment variable that sets the key, when known.
    public let environmentVariable: String?

    private init(code: Code, key: String, value: String, detail: String, environmentVariable: String?) {
        self.code = code
        self.key = key
        self.value = value
        self.detail = detail
        self.environmentVariable = environmentVariable
    }

    /// `host` (config `key`) does not resolve.
    public static func unresolvableHost(_ host: String, key: String, detail: String, environmentVariable: String? = nil) -> Self {
        Self(code: .unresolvableHost, key: key, value: host, detail: detail, environmentVariable: environmentVariable)
    }

    /// `port` (config `key`) is out of range.
    public static func invalidPort(_ port: Int, key: String, environmentVariable: String? = nil) -> Self {
        Self(code: .invalidPort, key: key, value: String(port), detail: "must be 1...65535", environmentVariable: environmentVariable)
    }

    /// No socket could be opened to `host` (config `key`).
    public static func socketFailed(_ host: String, key: String, detail: String, environmentVariable: String? = nil) -> Self {
        Self(code: .socketFailed, key: key, value: host, detail: detail, environmentVariable: environmentVariable)
    }

    public var description: String {
        let env = environmentVariable.map { " (env \($0))" } ?? ""
        switch code {
        case .unresolvableHost: return "cannot resolve \(key) '\(value)'\(env): \(detail)"
        case .invalidPort: return "\(key) \(detail), got \(value)\(env)"
        default: return "cannot open a UDP socket to \(key) '\(value)'\(env): \(detail)"
        }
    }
}
