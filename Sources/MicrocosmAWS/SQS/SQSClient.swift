#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm
import MicrocosmJSON

/// The SQS client: AWS JSON 1.0 (`POST /` with `X-Amz-Target: AmazonSQS.<Action>`) over a signed,
/// retrying ``AWSClient``, as the AWS SDKs speak it to AWS, LocalStack, ElasticMQ and moto.
///
/// - Parameters are checked before any I/O (``RequestValidationError``).
/// - Service errors are the typed ``AWSError`` (the legacy code from `x-amzn-query-error` when
///   SQS sends one, e.g. `AWS.SimpleQueueService.NonExistentQueue`), with the queue named in the message.
/// - SendMessage and SendMessageBatch check `MD5OfMessageBody`, and `MD5OfMessageAttributes` when
///   attributes were sent, against what was sent (``SQSChecksumError``).
/// - Batch calls put every entry in `successful` or `failed`: an entry the reply does not mention
///   fails with code ``missingFromReplyCode``.
/// - ReceiveMessage gets ``longPollAllowance`` more time than other calls, so a long poll never
///   times out on the client before SQS answers.
/// - Requests carry `x-amzn-query-mode: true`, as the current SDKs send for SQS: the service then
///   reports the legacy query error codes in `x-amzn-query-error`.
///
/// ```swift
/// let settings = try AWSServiceSettings.resolve(service: "sqs", regionName: "us-east-1")
/// let sqs = try SQSClient(settings: settings, transport: CurlTransport(), logger: graph.logger)
/// let url = try await sqs.createQueue(name: "things", attributes: ["VisibilityTimeout": "30"])
/// _ = try await sqs.sendMessage(SendMessageRequest(queueURL: url, messageBody: #"{"uri": "http://things/1"}"#))
/// for message in try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: 10, waitTimeSeconds: 20)) {
///     try await sqs.deleteMessage(queueURL: url, receiptHandle: message.receiptHandle)
/// }
/// ```
public final class SQSClient: SQSAPI {
    /// The signed, retrying client every call but ReceiveMessage goes through.
    public let client: AWSClient
    /// The same client with ``longPollAllowance`` added to its read timeout, for ReceiveMessage.

    /// The `X-Amz-Target` prefix.
    public static let targetPrefix = "AmazonSQS"
    /// The request and reply content type.
    public static let contentType = "application/x-amz-json-1.0"
    /// The longest long-poll wait SQS allows (`WaitTimeSeconds` 20).
    public static let longPollAllowance: Duration = .seconds(20)
    /// The code of a batch entry the service's reply did not account for.
    public static let missingFromReplyCode: AWSError.Code = "MissingFromReply"
    /// The code of a SendMessageBatch entry whose reported MD5 does not match what was sent.
    public static let checksumMismatchCode: AWSError.Code = "ChecksumMismatch"

    /// A client that sends through `client` (its endpoint, credentials, retries and logger).
    ///
    /// Each ReceiveMessage attempt gets ``longPollAllowance`` on top of the read timeout.
    public init(client: AWSClient) {
        self.client = client
    }

    /// A client for the region, endpoint and credentials of `settings` (see ``AWSServiceSettings/resolve(service:endpointURL:regionName:profileName:configSection:environment:transport:)``).
    ///
    /// `readTimeout` bounds each attempt (ReceiveMessage gets ``longPollAllowance`` more). Throws
    /// ``HTTPTransportError`` when the endpoint is not an http(s) URL.
    /// `usageMeter` counts the requests sent (``AWSClient/usageMeter``), the messages received and sent, and empty receives.
    public convenience init(settings: AWSServiceSettings, transport: any HTTPTransport, logger: Logger,
                            retryPolicy: RetryPolicy = .standard, readTimeout: Duration = .seconds(60),
                            usageMeter: AWSUsageMeter? = nil) throws(HTTPTransportError) {
        self.init(client: try AWSClient(service: settings.service, region: settings.region, endpoint: settings.endpoint,
                                        credentialProvider: settings.credentialProvider, transport: transport,
                                        retryPolicy: retryPolicy, readTimeout: readTimeout, logger: logger, usageMeter: usageMeter))
    }

    /// The transport timeout of each ReceiveMessage attempt: the read timeout plus ``longPollAllowance``.
    public var receiveTimeout: Duration { client.readTimeout + SQSClient.longPollAllowance }

    // MARK: - Messages

    /// Receives up to `maxNumberOfMessages` messages, long-polling `waitTimeSeconds`; `[]` when none came.
    ///
    /// `attributeNames` go out as `MessageSystemAttributeNames` (what `AttributeNames` became in
    /// the 2024 model), `messageAttributeNames` as `MessageAttributeNames`.
    public func receiveMessage(_ request: ReceiveMessageRequest) async throws -> [SQSMessage] {
        try RequestValidation.check(request)
        for name in request.attributeNames + request.messageAttributeNames where name.isEmpty {
            throw RequestValidationError(service: "SQS", action: "ReceiveMessage", parameter: "attribute names",
                                         reason: "must not contain an empty name")
        }
        var body: JSONObject = ["QueueUrl": .string(request.queueURL)]
        if !request.attributeNames.isEmpty { body["MessageSystemAttributeNames"] = SQSJSON.stringList(request.attributeNames) }
        if !request.messageAttributeNames.isEmpty { body["MessageAttributeNames"] = SQSJSON.stringList(request.messageAttributeNames) }
        body["MaxNumberOfMessages"] = .int(request.maxNumberOfMessages)
        if let visibilityTimeout = request.visibilityTimeout { body["VisibilityTimeout"] = .int(visibilityTimeout) }
        if let waitTimeSeconds = request.waitTimeSeconds { body["WaitTimeSeconds"] = .int(waitTimeSeconds) }
        let subject = SQSClient.queue(request.queueURL)
        let response = try await send("ReceiveMessage", subject: subject, body, timeout: receiveTimeout, queueURL: request.queueURL)
        let received = try SQSJSON.receivedMessages(response.body) ?? SQSClient.receivedMessages(parsing: response, subject: subject)
        client.usageMeter?.recordReceive(AWSUsage.Operation(AWSBillingClass(sqsAction: "ReceiveMessage", queueURL: request.queueURL), "ReceiveMessage"),
                                         messages: received.count, payloadBytes: AWSUsage.payloadBytes(of: received))
        return received
    }

    /// The messages of a ReceiveMessage reply, parsed whole (what the pull reader falls back to).
    static func receivedMessages(parsing response: AWSHTTPResponse, subject: String) throws -> [SQSMessage] {
        let reply = try object(of: response, action: "ReceiveMessage", subject: subject)
        guard let messages = reply["Messages"], !messages.isNull else { return [] }
        guard let list = messages.arrayValue else {
            throw SQSResponseError(action: "ReceiveMessage", subject: subject, detail: "Messages is \(messages.briefDescription), not a list")
        }
        do {
            return try list.map { value throws(SQSJSON.Problem) in try SQSJSON.message(value) }
        } catch {
            throw SQSResponseError(action: "ReceiveMessage", subject: subject, detail: error.detail)
        }
    }

    /// Sends one message; checks the digests SQS reports against the body and attributes sent.
    public func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResult {
        try RequestValidation.check(request)
        var body: JSONObject = ["QueueUrl": .string(request.queueURL)]
        SQSJSON.addMessage(to: &body, body: request.messageBody, delaySeconds: request.delaySeconds,
                           attributes: request.messageAttributes, deduplicationId: request.messageDeduplicationId,
                           groupId: request.messageGroupId)
        let subject = SQSClient.queue(request.queueURL)
        let reply = try await call("SendMessage", subject: subject, body, queueURL: request.queueURL,
                                   payloadBytes: request.messageBody.utf8.count + RequestValidation.attributesSize(request.messageAttributes))
        guard let messageId = reply["MessageId"]?.stringValue else {
            throw SQSResponseError(action: "SendMessage", subject: subject, detail: "no MessageId in \(JSONValue.object(reply).briefDescription)")
        }
        let result = SendMessageResult(messageId: messageId, md5OfMessageBody: reply["MD5OfMessageBody"]?.stringValue,
                                       md5OfMessageAttributes: reply["MD5OfMessageAttributes"]?.stringValue,
                                       sequenceNumber: reply["SequenceNumber"]?.stringValue)
        if let mismatch = SQSClient.checksumMismatch(action: "SendMessage", queueURL: request.queueURL, messageId: messageId,
                                                      entryId: nil, body: request.messageBody, attributes: request.messageAttributes,
                                                      md5OfBody: result.md5OfMessageBody,
                                                      md5OfAttributes: result.md5OfMessageAttributes) {
            throw mismatch
        }
        client.usageMeter?.recordSent(1)
        return result
    }

    /// Sends up to 10 messages; each entry ends in `successful` or `failed` (a digest mismatch
    /// fails the entry with ``checksumMismatchCode``).
    public func sendMessageBatch(queueURL: String, entries: [SendMessageBatchEntry]) async throws -> BatchResult<SendMessageBatchResultEntry> {
        try RequestValidation.checkSendBatch(queueURL: queueURL, entries: entries)
        let list: [JSONValue] = entries.map { entry in
            var object: JSONObject = ["Id": .string(entry.id)]
            SQSJSON.addMessage(to: &object, body: entry.messageBody, delaySeconds: entry.delaySeconds,
                               attributes: entry.messageAttributes, deduplicationId: entry.messageDeduplicationId,
                               groupId: entry.messageGroupId)
            return .object(object)
        }
        let reply = try await call("SendMessageBatch", subject: SQSClient.queue(queueURL),
                                   ["QueueUrl": .string(queueURL), "Entries": .array(list)], queueURL: queueURL,
                                   payloadBytes: entries.reduce(0) { $0 + $1.messageBody.utf8.count
                                       + RequestValidation.attributesSize($1.messageAttributes) })
        let result: BatchResult<SendMessageBatchResultEntry> = reconcile(reply, action: "SendMessageBatch", queueURL: queueURL, ids: entries.map(\.id)) { index, object in
            let entry = entries[index]
            guard let messageId = object["MessageId"]?.stringValue else {
                return .failed(BatchResultError(
                    id: entry.id, code: SQSClient.missingFromReplyCode,
                    message: "the SQS SendMessageBatch reply lists entry '\(entry.id)' as successful but gives no MessageId; "
                        + "the message may or may not have been sent", senderFault: false))
            }
            let success = SendMessageBatchResultEntry(
                id: entry.id, messageId: messageId, md5OfMessageBody: object["MD5OfMessageBody"]?.stringValue,
                sequenceNumber: object["SequenceNumber"]?.stringValue,
                md5OfMessageAttributes: object["MD5OfMessageAttributes"]?.stringValue)
            if let mismatch = SQSClient.checksumMismatch(action: "SendMessageBatch", queueURL: queueURL, messageId: messageId,
                                                          entryId: entry.id, body: entry.messageBody,
                                                          attributes: entry.messageAttributes, md5OfBody: success.md5OfMessageBody,
                                                          md5OfAttributes: success.md5OfMessageAttributes) {
                return .failed(BatchResultError(id: entry.id, code: SQSClient.checksumMismatchCode, message: mismatch.description,
                                                 senderFault: false))
            }
            return .success(success)
        }
        client.usageMeter?.recordSent(result.successful.count)
        return result
    }

    /// Deletes (acknowledges) one received message.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteMessage")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "DeleteMessage")
        _ = try await call("DeleteMessage", subject: SQSClient.queue(queueURL),
                           ["QueueUrl": .string(queueURL), "ReceiptHandle": .string(receiptHandle)], queueURL: queueURL)
    }

    /// Deletes up to 10 received messages; successful entries are returned by id.
    public func deleteMessageBatch(queueURL: String, entries: [DeleteMessageBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkDeleteBatch(queueURL: queueURL, entries: entries)
        for entry in entries { try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "DeleteMessageBatch", entryId: entry.id) }
        let list: [JSONValue] = entries.map { .object(["Id": .string($0.id), "ReceiptHandle": .string($0.receiptHandle)]) }
        let reply = try await call("DeleteMessageBatch", subject: SQSClient.queue(queueURL),
                                   ["QueueUrl": .string(queueURL), "Entries": .array(list)], queueURL: queueURL)
        return reconcile(reply, action: "DeleteMessageBatch", queueURL: queueURL, ids: entries.map(\.id)) { index, _ in
            .success(entries[index].id)
        }
    }

    /// Sets how long a received message stays invisible (0 makes it visible again: a nack).
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "ChangeMessageVisibility")
        try RequestValidation.checkReceiptHandle(receiptHandle, action: "ChangeMessageVisibility")
        try RequestValidation.checkVisibility(visibilityTimeout, action: "ChangeMessageVisibility")
        _ = try await call("ChangeMessageVisibility", subject: SQSClient.queue(queueURL),
                           ["QueueUrl": .string(queueURL), "ReceiptHandle": .string(receiptHandle),
                            "VisibilityTimeout": .int(visibilityTimeout)], queueURL: queueURL)
    }

    /// Changes the visibility of up to 10 received messages; successful entries are returned by id.
    public func changeMessageVisibilityBatch(queueURL: String, entries: [ChangeMessageVisibilityBatchEntry]) async throws -> BatchResult<String> {
        try RequestValidation.checkChangeVisibilityBatch(queueURL: queueURL, entries: entries)
        for entry in entries {
            try RequestValidation.checkReceiptHandle(entry.receiptHandle, action: "ChangeMessageVisibilityBatch", entryId: entry.id)
        }
        let list: [JSONValue] = entries.map {
            .object(["Id": .string($0.id), "ReceiptHandle": .string($0.receiptHandle), "VisibilityTimeout": .int($0.visibilityTimeout)])
        }
        let reply = try await call("ChangeMessageVisibilityBatch", subject: SQSClient.queue(queueURL),
                                   ["QueueUrl": .string(queueURL), "Entries": .array(list)], queueURL: queueURL)
        return reconcile(reply, action: "ChangeMessageVisibilityBatch", queueURL: queueURL, ids: entries.map(\.id)) { index, _ in
            .success(entries[index].id)
        }
    }

    // MARK: - Queues

    /// Creates a queue (or returns the URL of an identical existing one); a `.fifo` name with
    /// `FifoQueue: "true"` makes a FIFO queue.
    public func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try RequestValidation.checkQueueName(name, action: "CreateQueue")
        try RequestValidation.checkQueueAttributes(attributes, action: "CreateQueue", allowEmpty: true)
        var body: JSONObject = ["QueueName": .string(name)]
        if !attributes.isEmpty { body["Attributes"] = SQSJSON.stringMap(attributes) }
        return try await queueURL(from: call("CreateQueue", subject: SQSClient.queueName(name), body), action: "CreateQueue", name: name)
    }

    /// Deletes a queue and its messages.
    public func deleteQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "DeleteQueue")
        _ = try await call("DeleteQueue", subject: SQSClient.queue(queueURL), ["QueueUrl": .string(queueURL)])
    }

    /// Deletes every message in a queue.
    public func purgeQueue(queueURL: String) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "PurgeQueue")
        _ = try await call("PurgeQueue", subject: SQSClient.queue(queueURL), ["QueueUrl": .string(queueURL)])
    }

    /// The URL of the queue named `queueName` in the caller's account.
    public func getQueueURL(queueName: String) async throws -> String {
        try RequestValidation.checkQueueName(queueName, action: "GetQueueUrl")
        return try await queueURL(from: call("GetQueueUrl", subject: SQSClient.queueName(queueName), ["QueueName": .string(queueName)]),
                                  action: "GetQueueUrl", name: queueName)
    }

    /// The queue's attributes named in `names` (`All`, `QueueArn`, `VisibilityTimeout`, ...); `[:]` when none.
    public func getQueueAttributes(queueURL: String, names: [String]) async throws -> [String: String] {
        try RequestValidation.checkQueueURL(queueURL, action: "GetQueueAttributes")
        if names.contains("") {
            throw RequestValidationError(service: "SQS", action: "GetQueueAttributes", parameter: "AttributeNames",
                                         reason: "must not contain an empty name")
        }
        var body: JSONObject = ["QueueUrl": .string(queueURL)]
        if !names.isEmpty { body["AttributeNames"] = SQSJSON.stringList(names) }
        let subject = SQSClient.queue(queueURL)
        let reply = try await call("GetQueueAttributes", subject: subject, body)
        do {
            return try SQSJSON.stringMap(reply["Attributes"], member: "Attributes")
        } catch {
            throw SQSResponseError(action: "GetQueueAttributes", subject: subject, detail: error.detail)
        }
    }

    /// Sets queue attributes (`VisibilityTimeout`, `RedrivePolicy`, `Policy`, ...).
    public func setQueueAttributes(queueURL: String, attributes: [String: String]) async throws {
        try RequestValidation.checkQueueURL(queueURL, action: "SetQueueAttributes")
        try RequestValidation.checkQueueAttributes(attributes, action: "SetQueueAttributes", allowEmpty: false)
        _ = try await call("SetQueueAttributes", subject: SQSClient.queue(queueURL),
                           ["QueueUrl": .string(queueURL), "Attributes": SQSJSON.stringMap(attributes)])
    }

    // MARK: - Plumbing

    /// Sends `action` with `body` and returns the reply object (`{}` for an empty body).
    /// An ``AWSError`` gets `subject` (the queue) appended to its message. The request is counted as
    /// `action` on `queueURL` (FIFO or standard), billed for `payloadBytes` of messages.
    func call(_ action: String, subject: String, _ body: JSONObject, timeout: Duration? = nil, queueURL: String? = nil,
              payloadBytes: Int = 0) async throws -> JSONObject {
        try SQSClient.object(of: try await send(action, subject: subject, body, timeout: timeout, queueURL: queueURL,
                                                payloadBytes: payloadBytes),
                             action: action, subject: subject)
    }

    /// Sends `action` with `body` and returns the reply; counted as ``call(_:subject:_:timeout:queueURL:payloadBytes:)`` says.
    private func send(_ action: String, subject: String, _ body: JSONObject, timeout: Duration? = nil, queueURL: String? = nil,
                      payloadBytes: Int = 0) async throws -> AWSHTTPResponse {
        let request = client.request(headers: ["X-Amz-Target": "\(SQSClient.targetPrefix).\(action)",
                                               "Content-Type": SQSClient.contentType, "x-amzn-query-mode": "true"],
                                     body: JSONSerializer.compact.bytes(.object(body)))
        let response: AWSHTTPResponse
        do {
            response = try await client.send(request, action: action, timeout: timeout,
                                             billingClass: queueURL.map { AWSBillingClass(sqsAction: action, queueURL: $0) },
                                             requestUnits: AWSUsage.requestUnits(payloadBytes: payloadBytes))
        } catch let error as AWSError {
            throw AWSError(code: error.code, message: error.message.isEmpty ? subject : "\(error.message) (\(subject))",
                           statusCode: error.statusCode, requestId: error.requestId, service: error.service,
                           action: error.action, senderFault: error.senderFault)
        }
        return response
    }

    /// The reply object of `response` (`{}` for an empty body).
    private static func object(of response: AWSHTTPResponse, action: String, subject: String) throws -> JSONObject {
        guard response.body.contains(where: { !(($0 == 0x20) || ($0 == 0x09) || ($0 == 0x0A) || ($0 == 0x0D)) }) else {
            return JSONObject()
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(response.body)
        } catch {
            throw SQSResponseError(action: action, subject: subject, detail: "not JSON (\(error)): \(SQSClient.snippet(response.body))")
        }
        guard let object = value.objectValue else {
            throw SQSResponseError(action: action, subject: subject, detail: "not a JSON object: \(value.briefDescription)")
        }
        return object
    }

    /// `QueueUrl` of a CreateQueue or GetQueueUrl reply.
    private func queueURL(from reply: JSONObject, action: String, name: String) throws -> String {
        guard let url = reply["QueueUrl"]?.stringValue, !url.isEmpty else {
            throw SQSResponseError(action: action, subject: SQSClient.queueName(name),
                                   detail: "no QueueUrl in \(JSONValue.object(reply).briefDescription)")
        }
        return url
    }

    /// Sorts a batch reply into the entries sent, in their order: a `Failed` entry fails, a
    /// `Successful` one goes through `success`, and one the reply does not mention fails with
    /// ``missingFromReplyCode``. Reply entries with ids that were not sent are logged and ignored.
    private func reconcile<Success>(_ reply: JSONObject, action: String, queueURL: String, ids: [String],
                                    success: (Int, JSONObject) -> BatchEntryOutcome<Success>) -> BatchResult<Success> {
        var sorter = BatchReplySorter<JSONObject>(ids: ids)
        for value in reply["Failed"]?.arrayValue ?? [] {
            if let failure = SQSJSON.batchError(value) { sorter.fail(failure) } else { sorter.stray(value.briefDescription) }
        }
        for value in reply["Successful"]?.arrayValue ?? [] {
            if let object = value.objectValue, let id = object["Id"]?.stringValue {
                sorter.succeed(id, object)
            } else {
                sorter.stray(value["Id"]?.stringValue ?? value.briefDescription)
            }
        }
        return sorter.result(service: "SQS", action: action, subject: SQSClient.queue(queueURL),
                             missingCode: SQSClient.missingFromReplyCode, logger: client.logger, success: success)
    }

    /// The first digest of a sent message that SQS reported differently, if any. The attributes
    /// digest is checked only when attributes were sent.
    static func checksumMismatch(action: String, queueURL: String, messageId: String, entryId: String?, body: String,
                                 attributes: [String: MessageAttributeValue], md5OfBody: String?,
                                 md5OfAttributes: String?) -> SQSChecksumError? {
        let expectedBody = SQSMessageDigest.md5OfBody(body)
        if md5OfBody?.lowercased() != expectedBody {
            return SQSChecksumError(action: action, queueURL: queueURL, messageId: messageId, entryId: entryId,
                                    field: "MD5OfMessageBody", expected: expectedBody, reported: md5OfBody)
        }
        if !attributes.isEmpty {
            let expectedAttributes = SQSMessageDigest.md5OfMessageAttributes(attributes)
            if md5OfAttributes?.lowercased() != expectedAttributes {
                return SQSChecksumError(action: action, queueURL: queueURL, messageId: messageId, entryId: entryId,
                                        field: "MD5OfMessageAttributes", expected: expectedAttributes, reported: md5OfAttributes)
            }
        }
        return nil
    }

    private static func queue(_ url: String) -> String { "QueueUrl '\(url)'" }

    private static func queueName(_ name: String) -> String { "QueueName '\(name)'" }

    /// Up to 200 characters of a body, for messages, without any SigV4 signature, credential or token it echoes.
    private static func snippet(_ body: [UInt8]) -> String {
        let text = Redaction.scrub(String(decoding: body.prefix(800), as: UTF8.self), secrets: [])
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
