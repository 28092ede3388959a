import Microcosm
import MicrocosmJSON
import MicrocosmPubSub

/// What `sqs-consume` was asked to do, checked: every problem is a ``UsageError`` naming the option.
struct SQSConsumeOptions: Sendable {
    /// The default of `--nack-timeout`, as microcosm-pubsub's `read`.
    static let defaultNackTimeout = 1
    /// The longest visibility timeout SQS accepts (12 hours).
    static let maximumNackTimeout = 43_200

    /// `--queue-url`.
    var queueURL: String
    /// The visibility timeout to nack with (`--nack`, `--nack-timeout`); nil to ack.
    var nackTimeout: Int?
    /// The flags as configuration, over the environment's.
    var flags: JSONObject

    /// The options in `arguments` (parsed by ``SQSConsumeCommand/interface``).
    init(_ arguments: ParsedArguments) throws(UsageError) {
        let command = arguments.command
        queueURL = arguments["--queue-url"] ?? ""
        guard !queueURL.isEmpty else { throw UsageError(command: command, message: "--queue-url needs a queue URL, got ''") }
        _ = try arguments.queueURL("--queue-url")
        let timeout = try arguments.int("--nack-timeout", in: 0...SQSConsumeOptions.maximumNackTimeout)
        if arguments.flag("--nack") {
            nackTimeout = timeout ?? SQSConsumeOptions.defaultNackTimeout
        } else {
            guard timeout == nil else { throw UsageError(command: command, message: "--nack-timeout needs --nack") }
            nackTimeout = nil
        }

        var consumer: JSONObject = ["sqs_queue_url": .string(queueURL)]
        if let limit = try arguments.int("--limit", in: 1...10) { consumer["limit"] = .int(limit) }
        if let wait = try arguments.int("--wait-seconds", in: 0...20) { consumer["wait_seconds"] = .int(wait) }
        if let endpoint = try arguments.endpointURL("--endpoint-url") { consumer["endpoint_url"] = .string(endpoint) }
        if let region = try arguments.region("--region") { consumer["region_name"] = .string(region) }
        if let profile = arguments["--profile"] { consumer["profile_name"] = .string(profile) }
        var envelope = JSONObject()
        if let name = arguments["--envelope"] {
            guard SQSEnvelope.strategyNames.contains(name) else {
                throw UsageError(command: command, message: "--envelope needs one of "
                                     + SQSEnvelope.strategyNames.joined(separator: ", ") + ", got '\(name)'")
            }
            envelope["strategy_name"] = .string(name)
        }
        flags = ["sqs_consumer": .object(consumer), "sqs_envelope": .object(envelope)]
    }
}
