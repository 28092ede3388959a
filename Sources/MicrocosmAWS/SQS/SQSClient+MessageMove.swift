import MicrocosmJSON

/// StartMessageMoveTask and ListMessageMoveTasks (dead-letter queue redrive), and GetQueueUrl
/// for a queue of another account.
extension SQSClient: SQSMessageMoveAPI {
    public func startMessageMoveTask(sourceArn: String, destinationArn: String? = nil,
                                     maxNumberOfMessagesPerSecond: Int? = nil) async throws -> String {
        try Self.checkArn(sourceArn, parameter: "SourceArn", action: "StartMessageMoveTask")
        var body: JSONObject = ["SourceArn": .string(sourceArn)]
        if let destinationArn {
            try Self.checkArn(destinationArn, parameter: "DestinationArn", action: "StartMessageMoveTask")
            body["DestinationArn"] = .string(destinationArn)
        }
        if let rate = maxNumberOfMessagesPerSecond {
            try Self.check(rate, in: 1...500, parameter: "MaxNumberOfMessagesPerSecond", action: "StartMessageMoveTask")
            body["MaxNumberOfMessagesPerSecond"] = .int(rate)
        }
        let subject = "SourceArn '\(sourceArn)'"
        let reply = try await call("StartMessageMoveTask", subject: subject, body)
        guard let handle = reply["TaskHandle"]?.stringValue, !handle.isEmpty else {
            throw SQSResponseError(action: "StartMessageMoveTask", subject: subject,
                                   detail: "no TaskHandle in \(JSONValue.object(reply).briefDescription)")
        }
        return handle
    }

    public func listMessageMoveTasks(sourceArn: String, maxResults: Int? = nil) async throws -> [SQSMessageMoveTask] {
        try Self.checkArn(sourceArn, parameter: "SourceArn", action: "ListMessageMoveTasks")
        var body: JSONObject = ["SourceArn": .string(sourceArn)]
        if let maxResults {
            try Self.check(maxResults, in: 1...10, parameter: "MaxResults", action: "ListMessageMoveTasks")
            body["MaxResults"] = .int(maxResults)
        }
        let subject = "SourceArn '\(sourceArn)'"
        let reply = try await call("ListMessageMoveTasks", subject: subject, body)
        var tasks: [SQSMessageMoveTask] = []
        for result in reply["Results"]?.arrayValue ?? [] {
            guard let status = result["Status"]?.stringValue else {
                throw SQSResponseError(action: "ListMessageMoveTasks", subject: subject,
                                       detail: "a result without Status: \(result.briefDescription)")
            }
            tasks.append(SQSMessageMoveTask(
                taskHandle: result["TaskHandle"]?.stringValue, status: .init(rawValue: status),
                sourceArn: result["SourceArn"]?.stringValue ?? sourceArn, destinationArn: result["DestinationArn"]?.stringValue,
                approximateNumberOfMessagesMoved: Self.int(result["ApproximateNumberOfMessagesMoved"]) ?? 0,
                approximateNumberOfMessagesToMove: Self.int(result["ApproximateNumberOfMessagesToMove"]),
                failureReason: result["FailureReason"]?.stringValue))
        }
        return tasks
    }

    /// The URL of the queue named `queueName` owned by account `ownerAccountId` (GetQueueUrl's
    /// `QueueOwnerAWSAccountId`: the caller must be allowed to use that account's queue).
    public func getQueueURL(queueName: String, ownerAccountId: String) async throws -> String {
        try RequestValidation.checkQueueName(queueName, action: "GetQueueUrl")
        let subject = "QueueName '\(queueName)' of account \(ownerAccountId)"
        let reply = try await call("GetQueueUrl", subject: subject,
                                   ["QueueName": .string(queueName), "QueueOwnerAWSAccountId": .string(ownerAccountId)])
        guard let url = reply["QueueUrl"]?.stringValue, !url.isEmpty else {
            throw SQSResponseError(action: "GetQueueUrl", subject: subject, detail: "no QueueUrl in \(JSONValue.object(reply).briefDescription)")
        }
        return url
    }

    private static func checkArn(_ arn: String, parameter: String, action: String) throws(RequestValidationError) {
        guard arn.hasPrefix("arn:"), arn.split(separator: ":", omittingEmptySubsequences: false).count == 6 else {
            throw RequestValidationError(service: "SQS", action: action, parameter: parameter,
                                         reason: "must be a queue ARN like arn:aws:sqs:us-east-1:123456789012:orders-dlq, got '\(arn)'")
        }
    }

    private static func check(_ value: Int, in range: ClosedRange<Int>, parameter: String, action: String) throws(RequestValidationError) {
        guard range.contains(value) else {
            throw RequestValidationError(service: "SQS", action: action, parameter: parameter,
                                         reason: "must be \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }

    /// A count SQS sends as a number (or, from some emulators, as text).
    private static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: return number
        case .double(let number)?: return Int(exactly: number)
        case .string(let text)?: return Int(text)
        default: return nil
        }
    }
}
