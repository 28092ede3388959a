import Microcosm
import MicrocosmJSON
import MicrocosmPubSub
import SimpleDaemon

/// What `sns-produce` was asked to do, checked: every problem is a ``UsageError`` naming the option.
struct SNSProduceOptions: Sendable {
    /// What each message is.
    enum Content: Sendable {
        /// A ``SimpleMessage`` with this text (no `--media-type`).
        case simple(String)
        /// The fields (from `--message`) and `uri` (from `--uri`) of a message of `mediaType`.
        case fields(MediaType, JSONObject, uri: String?)
    }

    /// The most messages one run produces.
    static let maximumCount = 10_000
    /// The text of the default message when `--message` is not given.
    static let defaultText = "hello from sns-produce"

    /// `--topic-arn`.
    var topicArn: String
    /// From `--media-type`, `--message` and `--uri`.
    var content: Content
    /// `--count`.
    var count: Int
    /// The flags as configuration, over the environment's.
    var flags: JSONObject

    /// The options in `arguments` (parsed by ``SNSProduceCommand/interface``).
    init(_ arguments: ParsedArguments) throws(UsageError) {
        let command = arguments.command
        topicArn = try arguments.topicArn("--topic-arn") ?? ""
        count = try arguments.int("--count", in: 1...SNSProduceOptions.maximumCount) ?? 1
        let uri = arguments["--uri"]
        if let given = arguments["--media-type"] {
            guard !given.isEmpty else {
                throw UsageError(command: command, message: "--media-type needs a media type or a resource name, got ''")
            }
            // As microcosm-pubsub's `write`: a resource name stands for its `created` media type.
            let mediaType = given.hasPrefix("application/") ? MediaType(given) : MediaType.created(given)
            content = .fields(mediaType, try SNSProduceOptions.fields(arguments["--message"], command: command), uri: uri)
        } else {
            guard uri == nil else {
                throw UsageError(command: command, message: "--uri needs --media-type (the default SimpleMessage has no uri field)")
            }
            content = .simple(arguments["--message"] ?? SNSProduceOptions.defaultText)
        }

        var producer = JSONObject()
        if let endpoint = try arguments.endpointURL("--endpoint-url") { producer["endpoint_url"] = .string(endpoint) }
        if let region = try arguments.region("--region") { producer["region_name"] = .string(region) }
        if let profile = arguments["--profile"] { producer["profile_name"] = .string(profile) }
        // An explicit mapping, so the flag wins over any topic the environment configures.
        let mediaType: MediaType = switch content {
        case .simple: SimpleMessage.mediaType
        case .fields(let mediaType, _, _): mediaType
        }
        let mappings: JSONObject = [mediaType.rawValue: .string(topicArn)]
        flags = ["sns_producer": .object(producer), "sns_topic_arns": ["mappings": .object(mappings)]]
    }

    /// The fields `--message` gives with a media type: a JSON object (none when absent).
    private static func fields(_ message: String?, command: String) throws(UsageError) -> JSONObject {
        guard let message else { return [:] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(message)
        } catch {
            throw UsageError(command: command, message: "--message needs a JSON object of fields with --media-type: \(error)")
        }
        guard case .object(let fields) = value else {
            throw UsageError(command: command,
                             message: "--message needs a JSON object of fields with --media-type, got \(value.typeName) \(value.briefDescription)")
        }
        return fields
    }
}
