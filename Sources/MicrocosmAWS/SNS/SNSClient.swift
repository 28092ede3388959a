import Microcosm

/// ``SNSAPI`` over the AWS query protocol (`POST /`, form-encoded `Action=...&Version=2010-03-31`,
/// XML replies), as botocore speaks it: works against AWS, LocalStack and moto.
///
/// - Parameters are checked with ``RequestValidation`` before any I/O.
/// - Service errors are thrown as ``AWSError`` (code, message, HTTP status, request id, sender
///   fault) after the ``AWSClient``'s retries, with the topic or subscription named in the message.
/// - A 2xx reply that cannot be read is an ``SNSReplyError``.
/// - `PublishBatch` puts every entry in `successful` or `failed`, in the order sent: an entry the
///   reply does not mention fails with code ``missingFromReplyCode``.
///
/// ```swift
/// let settings = try AWSServiceSettings.resolve(service: "sns", regionName: "us-east-1")
/// let sns = try SNSClient(settings: settings, transport: CurlTransport(), logger: logger)
/// let topicArn = try await sns.createTopic(name: "orders", attributes: [:])
/// let result = try await sns.publish(PublishRequest(
///     topicArn: topicArn, message: #"{"mediaType":"application/vnd.globality.pubsub._.created.order","uri":"http://orders/1"}"#,
///     messageAttributes: ["media_type": .string("application/vnd.globality.pubsub._.created.order")]))
/// print(result.messageId)
/// ```
public final class SNSClient: SNSAPI {
    /// The SNS API version every request names.
    public static let apiVersion = "2010-03-31"
    /// The code of a PublishBatch entry the reply did not account for (the same code as ``SQSClient``'s batch calls).
    public static let missingFromReplyCode: AWSError.Code = "MissingFromReply"

    /// The signed, retrying client requests go through.
    public let client: AWSClient

    /// An SNS client sending through `client`, which should have signing name `sns`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// An SNS client for `settings` (region, endpoint, credentials; signed as `sns`), sending with
    /// `transport` and logging to `logger`.
    ///
    /// Throws ``HTTPTransportError`` when the settings' endpoint is not an http(s) URL.
    /// `usageMeter` counts the requests sent (``AWSClient/usageMeter``) and the messages published.
    public convenience init(settings: AWSServiceSettings, transport: any HTTPTransport, logger: Logger,
                            retryPolicy: RetryPolicy = .standard, readTimeout: Duration = .seconds(60),
                            usageMeter: AWSUsageMeter? = nil) throws(HTTPTransportError) {
        try self.init(client: AWSClient(service: "sns", region: settings.region, endpoint: settings.endpoint,
                                        credentialProvider: settings.credentialProvider, transport: transport,
                                        retryPolicy: retryPolicy, readTimeout: readTimeout, logger: logger, usageMeter: usageMeter))
    }

    /// Publishes one message to `request.topicArn`; returns its message id (and, on FIFO topics, sequence number).
    public func publish(_ request: PublishRequest) async throws -> PublishResult {
        try RequestValidation.check(request)
        let response = try await send(QueryForm.publishBody(request), action: "Publish", subject: SNSClient.topic(request.topicArn),
                                      billingClass: AWSBillingClass(snsPublishTo: request.topicArn),
                                      payloadBytes: AWSUsage.payloadBytes(message: request.message, subject: request.subject,
                                                                          attributes: request.messageAttributes))
        let result = try SNSClient.publishResult(response, subject: SNSClient.topic(request.topicArn))
        client.usageMeter?.recordSent(1)
        return result
    }

    /// The message id (and sequence number) of a Publish reply. A reply of the usual shape is
    /// scanned (``SNSPublishReplyScan``: a reply per publish) unless `scanning` is false; any other
    /// is parsed whole, as every other reply is.
    static func publishResult(_ response: AWSHTTPResponse, subject: @autoclosure () -> String,
                              scanning: Bool = true) throws(SNSReplyError) -> PublishResult {
        if scanning, let scan = SNSPublishReplyScan(response.body) {
            return PublishResult(messageId: scan.messageId, sequenceNumber: scan.sequenceNumber)
        }
        let reply = try SNSReply(response, action: "Publish", subject: subject())
        return PublishResult(messageId: try reply.required("MessageId"), sequenceNumber: reply.optional("SequenceNumber"))
    }

    /// Publishes up to 10 entries to `topicArn` in one call; every entry comes back, successful or failed.
    ///
    /// Per-entry failures are returned, not thrown; an error is thrown only when the whole call fails.
    /// Reply entries with ids that were not sent are logged and ignored.
    public func publishBatch(topicArn: String, entries: [PublishBatchEntry]) async throws -> BatchResult<PublishBatchResultEntry> {
        try RequestValidation.checkPublishBatch(topicArn: topicArn, entries: entries)
        var form = QueryForm(action: "PublishBatch", version: SNSClient.apiVersion)
        form.add("TopicArn", topicArn)
        for (index, entry) in entries.enumerated() {
            let member = "PublishBatchRequestEntries.member.\(index + 1)"
            form.add("\(member).Id", entry.id)
            form.add("\(member).Message", entry.message)
            form.add("\(member).Subject", entry.subject)
            form.add("\(member).MessageAttributes", messageAttributes: entry.messageAttributes)
            form.add("\(member).MessageDeduplicationId", entry.messageDeduplicationId)
            form.add("\(member).MessageGroupId", entry.messageGroupId)
        }
        let reply = try await send(form, subject: SNSClient.topic(topicArn), billingClass: AWSBillingClass(snsPublishTo: topicArn),
                                   payloadBytes: entries.reduce(0) { $0 + AWSUsage.payloadBytes(message: $1.message, subject: $1.subject,
                                                                                                attributes: $1.messageAttributes) })
        let result = try reconcile(reply, topicArn: topicArn, ids: entries.map(\.id))
        client.usageMeter?.recordSent(result.successful.count)
        return result
    }

    /// Creates topic `name` (or returns the ARN of the existing one of that name and attributes).
    ///
    /// A name ending in `.fifo` makes a FIFO topic: `FifoTopic=true` is added when `attributes` lack it.
    public func createTopic(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkCreateTopic(name: name, attributes: attributes)
        var attributes = attributes
        if name.hasSuffix(".fifo"), attributes["FifoTopic"] == nil { attributes["FifoTopic"] = "true" }
        var form = QueryForm(action: "CreateTopic", version: SNSClient.apiVersion)
        form.add("Name", name)
        form.add("Attributes", attributes: attributes)
        return try await send(form, subject: "Name '\(name)'").required("TopicArn")
    }

    /// Deletes the topic and its subscriptions (deleting a missing topic is not an error in SNS).
    public func deleteTopic(topicArn: String) async throws {
        try RequestValidation.checkTopicArn(topicArn, action: "DeleteTopic")
        var form = QueryForm(action: "DeleteTopic", version: SNSClient.apiVersion)
        form.add("TopicArn", topicArn)
        _ = try await send(form, subject: SNSClient.topic(topicArn))
    }

    /// Subscribes `endpoint` to `topicArn` and returns the subscription ARN (asked for with
    /// `ReturnSubscriptionArn=true`, so it is an ARN even while a subscription awaits confirmation).
    ///
    /// For protocol `sqs` the endpoint is the queue ARN; `attributes` may set `RawMessageDelivery`,
    /// `FilterPolicy`, `FilterPolicyScope`, `RedrivePolicy` and the others SNS knows.
    public func subscribe(topicArn: String, protocol: String, endpoint: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkSubscribe(topicArn: topicArn, protocol: `protocol`, endpoint: endpoint)
        var form = QueryForm(action: "Subscribe", version: SNSClient.apiVersion)
        form.add("TopicArn", topicArn)
        form.add("Protocol", `protocol`)
        form.add("Endpoint", endpoint)
        form.add("Attributes", attributes: attributes)
        form.add("ReturnSubscriptionArn", true)
        return try await send(form, subject: SNSClient.topic(topicArn)).required("SubscriptionArn")
    }

    /// Deletes a subscription.
    public func unsubscribe(subscriptionArn: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "Unsubscribe")
        var form = QueryForm(action: "Unsubscribe", version: SNSClient.apiVersion)
        form.add("SubscriptionArn", subscriptionArn)
        _ = try await send(form, subject: "SubscriptionArn '\(subscriptionArn)'")
    }

    /// Every subscription of `topicArn`, following `NextToken` through all pages.
    public func listSubscriptionsByTopic(topicArn: String) async throws -> [SNSSubscription] {
        try RequestValidation.checkTopicArn(topicArn, action: "ListSubscriptionsByTopic")
        var subscriptions: [SNSSubscription] = []
        var nextToken: String?
        repeat {
            var form = QueryForm(action: "ListSubscriptionsByTopic", version: SNSClient.apiVersion)
            form.add("TopicArn", topicArn)
            form.add("NextToken", nextToken)
            let reply = try await send(form, subject: SNSClient.topic(topicArn))
            let path = "ListSubscriptionsByTopicResult/Subscriptions/member"
            for member in reply.nodes("Subscriptions/member") {
                subscriptions.append(SNSSubscription(
                    subscriptionArn: try reply.required("SubscriptionArn", in: member, described: "\(path)/SubscriptionArn"),
                    topicArn: try reply.required("TopicArn", in: member, described: "\(path)/TopicArn"),
                    protocol: try reply.required("Protocol", in: member, described: "\(path)/Protocol"),
                    endpoint: try reply.required("Endpoint", in: member, described: "\(path)/Endpoint"),
                    owner: member.value("Owner")))
            }
            let next = reply.optional("NextToken").flatMap { $0.isEmpty ? nil : $0 }
            if let next, next == nextToken {
                throw SNSReplyError.repeatedNextToken(action: "ListSubscriptionsByTopic", subject: SNSClient.topic(topicArn), token: next,
                                                      requestId: reply.requestId)
            }
            nextToken = next
        } while nextToken != nil
        return subscriptions
    }

    /// The topic's attributes (`TopicArn`, `Owner`, `Policy`, `DisplayName`, `FifoTopic`,
    /// `SubscriptionsConfirmed`, ...); an attribute with an empty value maps to `""`.
    public func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        try RequestValidation.checkTopicArn(topicArn, action: "GetTopicAttributes")
        var form = QueryForm(action: "GetTopicAttributes", version: SNSClient.apiVersion)
        form.add("TopicArn", topicArn)
        let reply = try await send(form, subject: SNSClient.topic(topicArn))
        var attributes: [String: String] = [:]
        for entry in reply.nodes("Attributes/entry") {
            let key = try reply.required("key", in: entry, described: "GetTopicAttributesResult/Attributes/entry/key")
            attributes[key] = entry.value("value") ?? ""
        }
        return attributes
    }

    /// The subscription's attributes (`SubscriptionArn`, `TopicArn`, `Endpoint`, `Protocol`,
    /// `RawMessageDelivery`, `FilterPolicy`, `FilterPolicyScope`, `PendingConfirmation`, ...); an
    /// attribute with an empty value maps to `""`.
    public func getSubscriptionAttributes(subscriptionArn: String) async throws -> [String: String] {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "GetSubscriptionAttributes")
        var form = QueryForm(action: "GetSubscriptionAttributes", version: SNSClient.apiVersion)
        form.add("SubscriptionArn", subscriptionArn)
        let reply = try await send(form, subject: "SubscriptionArn '\(subscriptionArn)'")
        var attributes: [String: String] = [:]
        for entry in reply.nodes("Attributes/entry") {
            let key = try reply.required("key", in: entry, described: "GetSubscriptionAttributesResult/Attributes/entry/key")
            attributes[key] = entry.value("value") ?? ""
        }
        return attributes
    }

    /// Sets the subscription attribute `name` (`RawMessageDelivery`, `FilterPolicy`,
    /// `FilterPolicyScope`, `RedrivePolicy`, ...) to `value`.
    public func setSubscriptionAttribute(subscriptionArn: String, name: String, value: String) async throws {
        try RequestValidation.checkSubscriptionArn(subscriptionArn, action: "SetSubscriptionAttributes")
        var form = QueryForm(action: "SetSubscriptionAttributes", version: SNSClient.apiVersion)
        form.add("SubscriptionArn", subscriptionArn)
        form.add("AttributeName", name)
        form.add("AttributeValue", value)
        _ = try await send(form, subject: "SubscriptionArn '\(subscriptionArn)'")
    }

    // MARK: - Plumbing

    /// Sends `form` and reads the reply. `subject` (the topic, as the API names it) is appended to
    /// the message of an ``AWSError`` and named by an ``SNSReplyError``. The request is counted as
    /// `billingClass` (standard SNS by default), billed for `payloadBytes` of messages.
    private func send(_ form: QueryForm, subject: String, billingClass: AWSBillingClass = .sns, payloadBytes: Int = 0) async throws -> SNSReply {
        let response = try await send(form.body, action: form.action, subject: subject, billingClass: billingClass, payloadBytes: payloadBytes)
        return try SNSReply(response, action: form.action, subject: subject)
    }

    /// Sends a form's `body` for `action`; returns the 2xx response (`subject` made only for an error).
    private func send(_ body: [UInt8], action: String, subject: @autoclosure () -> String, billingClass: AWSBillingClass,
                      payloadBytes: Int) async throws -> AWSHTTPResponse {
        let request = client.request(headers: SNSClient.formHeaders, body: body)
        do {
            return try await client.send(request, action: action, billingClass: billingClass,
                                         requestUnits: AWSUsage.requestUnits(payloadBytes: payloadBytes))
        } catch let error as AWSError {
            let subject = subject()
            throw AWSError(code: error.code, message: error.message.isEmpty ? subject : "\(error.message) (\(subject))",
                           statusCode: error.statusCode, requestId: error.requestId, service: error.service,
                           action: error.action, senderFault: error.senderFault)
        }
    }

    private static let formHeaders: AWSHTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"]

    /// Sorts a PublishBatch reply into the entries sent, in their order: a `Failed` member fails the
    /// entry, a `Successful` one succeeds it, and an entry the reply does not mention fails with
    /// ``missingFromReplyCode``. Members with ids that were not sent are logged and ignored.
    private func reconcile(_ reply: SNSReply, topicArn: String, ids: [String]) throws(SNSReplyError) -> BatchResult<PublishBatchResultEntry> {
        var sorter = BatchReplySorter<PublishBatchResultEntry>(ids: ids)
        for member in reply.nodes("Failed/member") {
            let path = "PublishBatchResult/Failed/member"
            sorter.fail(BatchResultError(id: try reply.required("Id", in: member, described: "\(path)/Id"),
                                         code: AWSError.Code(try reply.required("Code", in: member, described: "\(path)/Code")),
                                         message: member.value("Message"),
                                         senderFault: member.value("SenderFault")?.lowercased() == "true"))
        }
        for member in reply.nodes("Successful/member") {
            let path = "PublishBatchResult/Successful/member"
            let success = PublishBatchResultEntry(id: try reply.required("Id", in: member, described: "\(path)/Id"),
                                                  messageId: try reply.required("MessageId", in: member, described: "\(path)/MessageId"),
                                                  sequenceNumber: member.value("SequenceNumber"))
            sorter.succeed(success.id, success)
        }
        return sorter.result(service: "SNS", action: "PublishBatch", subject: SNSClient.topic(topicArn),
                             missingCode: SNSClient.missingFromReplyCode, logger: client.logger) { _, success in .success(success) }
    }

    private static func topic(_ arn: String) -> String { "TopicArn '\(arn)'" }
}
