import MicrocosmAWS
import MicrocosmJSON

/// A dead-letter queue and the queue its messages go back to, as SQS describes them.
struct DeadLetterQueues: Sendable {
    /// A queue's `RedrivePolicy`.
    struct RedrivePolicy: Sendable, Hashable {
        var deadLetterTargetArn: String
        var maxReceiveCount: Int?

        /// `{"deadLetterTargetArn": "arn:...", "maxReceiveCount": 5}` (the count may be text); nil for anything else.
        init?(json: String) {
            guard let object = (try? JSONParser.parse(json))?.objectValue,
                  let arn = object["deadLetterTargetArn"]?.stringValue, !arn.isEmpty else { return nil }
            deadLetterTargetArn = arn
            switch object["maxReceiveCount"] {
            case .int(let count)?: maxReceiveCount = count
            case .string(let text)?: maxReceiveCount = Int(text)
            default: maxReceiveCount = nil
            }
        }
    }

    var deadLetterURL: String
    var deadLetterArn: String
    /// `ApproximateNumberOfMessages` of the dead-letter queue (visible ones) before reading it.
    var approximateCount: Int?
    /// The dead-letter queue's own RedrivePolicy, when it has one.
    var furtherRedrive: RedrivePolicy?
    /// The queue messages go back to: `--to`, or the service's queue.
    var destinationURL: String?
    /// The service queue's RedrivePolicy, when the dead-letter queue was found through it.
    var sourceRedrive: RedrivePolicy?

    /// Finds the dead-letter queue: `deadLetterURL`, or the target of the RedrivePolicy of
    /// `serviceURL` (looked up by name, and by account when it is another one).
    static func resolve(deadLetterURL: String?, serviceURL: String?, destinationURL: String?, client: any SQSAPI) async throws -> Self {
        var sourceRedrive: RedrivePolicy?
        let url: String
        if let deadLetterURL {
            url = deadLetterURL
        } else {
            guard let serviceURL else { throw DeadLetterToolError.noServiceQueue }
            let attributes = try await client.getQueueAttributes(queueURL: serviceURL, names: ["QueueArn", "RedrivePolicy"])
            guard let text = attributes["RedrivePolicy"], !text.isEmpty else { throw DeadLetterToolError.noRedrivePolicy(serviceURL) }
            guard let policy = RedrivePolicy(json: text) else { throw DeadLetterToolError.badRedrivePolicy(serviceURL, text) }
            sourceRedrive = policy
            url = try await queueURL(of: policy.deadLetterTargetArn, besides: attributes["QueueArn"], client: client)
        }
        let attributes = try await client.getQueueAttributes(queueURL: url, names: ["QueueArn", "RedrivePolicy", "ApproximateNumberOfMessages"])
        guard let arn = attributes["QueueArn"] else { throw DeadLetterToolError.noQueueArn(url) }
        return DeadLetterQueues(deadLetterURL: url, deadLetterArn: arn, approximateCount: attributes["ApproximateNumberOfMessages"].flatMap { Int($0) },
                                furtherRedrive: attributes["RedrivePolicy"].flatMap(RedrivePolicy.init(json:)),
                                destinationURL: destinationURL ?? serviceURL, sourceRedrive: sourceRedrive)
    }

    /// The URL of the queue `arn` names: GetQueueUrl by its name, with its account when that is
    /// not the account of `callerArn`.
    private static func queueURL(of arn: String, besides callerArn: String?, client: any SQSAPI) async throws -> String {
        let fields = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "arn", fields[2] == "sqs" else { throw DeadLetterToolError.badArn(arn) }
        let account = fields[4], name = fields[5]
        let callerAccount = callerArn.map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
            .flatMap { $0.count == 6 ? $0[4] : nil }
        if callerAccount == nil || callerAccount == account { return try await client.getQueueURL(queueName: name) }
        guard let sqs = client as? SQSClient else { throw DeadLetterToolError.otherAccount(arn) }
        return try await sqs.getQueueURL(queueName: name, ownerAccountId: account)
    }
}
