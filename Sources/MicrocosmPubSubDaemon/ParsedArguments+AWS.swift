import Microcosm
import MicrocosmAWS
import MicrocosmPubSub

/// Flags that name AWS things, checked before any I/O: a bad one is a ``UsageError`` (exit status
/// 64) naming the flag, not an AWS error after the first request.
///
/// ```swift
/// let parsed = try cli.parse(arguments)
/// let region = try parsed.region("--region")               // "us east" -> usage error
/// let endpoint = try parsed.endpointURL("--endpoint-url")  // http(s)://host[:port], or memory://
/// ```
extension ParsedArguments {
    /// The value of `name` as an AWS region name (`us-east-1`), or nil when absent.
    public func region(_ name: String) throws(UsageError) -> String? {
        guard let value = self[name] else { return nil }
        guard AWSServiceSettings.isRegionName(value) else {
            throw usage("\(name) needs an AWS region name like us-east-1 (letters, digits and '-'), got '\(value)'")
        }
        return value
    }

    /// The value of `name` as an endpoint URL: `http://` or `https://` with a host, or `memory://`
    /// (the in-memory broker); nil when absent.
    public func endpointURL(_ name: String) throws(UsageError) -> String? {
        guard let value = self[name] else { return nil }
        if value.hasPrefix(Registry.memoryEndpoint) { return value }
        if let problem = AWSServiceSettings.urlProblem(value) {
            throw usage("\(name) needs an http:// or https:// URL, or memory://, got '\(value)': \(problem)")
        }
        return value
    }

    /// The value of `name` as a queue to read: an SQS queue URL, `STDIN` or an existing file of
    /// JSON lines (see ``MessageSource/problem(withQueueURL:)``); nil when absent.
    public func queueURL(_ name: String) throws(UsageError) -> String? {
        guard let value = self[name] else { return nil }
        if let problem = MessageSource.problem(withQueueURL: value) { throw usage("\(name): \(problem)") }
        return value
    }

    /// The value of `name` as an SNS topic ARN, `arn:<partition>:sns:<region>:<12-digit account>:<name>`;
    /// nil when absent.
    public func topicArn(_ name: String) throws(UsageError) -> String? {
        guard let value = self[name] else { return nil }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let isTopicArn = parts.count == 6 && parts[0] == "arn" && !parts[1].isEmpty && parts[2] == "sns"
            && AWSServiceSettings.isRegionName(parts[3]) && parts[4].utf8.count == 12 && parts[4].utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && (1...256).contains(parts[5].utf8.count) && parts[5].utf8.allSatisfy(Self.isTopicNameByte)
        guard isTopicArn else {
            throw usage("\(name) needs an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:events, got '\(value)'")
        }
        return value
    }

    private func usage(_ message: String) -> UsageError { UsageError(command: command, message: message) }

    /// Letters, digits, `-`, `_`, and the `.` of `.fifo`.
    private static func isTopicNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".")
    }
}
