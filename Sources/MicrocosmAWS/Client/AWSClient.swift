#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

/// Sends signed requests to one AWS service endpoint, retrying as the AWS SDKs' standard mode does.
///
/// One client per service endpoint; the SNS and SQS clients build their requests and call
/// ``send(_:action:)``, which gets credentials, signs (SigV4), sends, and on failure decodes the
/// typed ``AWSError`` and retries per the ``RetryPolicy`` (backoff with jitter, retry quota,
/// `x-amz-retry-after`, clock-skew correction). Secrets never reach logs or errors.
///
/// ```swift
/// let client = try AWSClient(service: "sqs", region: "us-east-1", endpoint: "https://sqs.us-east-1.amazonaws.com",
///                            credentialProvider: chain, transport: CurlTransport(), logger: graph.logger)
/// let request = client.request(headers: ["X-Amz-Target": "AmazonSQS.GetQueueUrl",
///                                        "Content-Type": "application/x-amz-json-1.0"],
///                              body: Array(#"{"QueueName":"things"}"#.utf8))
/// let response = try await client.send(request, action: "GetQueueUrl")
/// ```
public final class AWSClient: Sendable {
    /// The SigV4 signing name (`sqs`, `sns`, `sts`).
    public let signingName: String
    /// The service as errors and logs name it (`SQS`).
    public let serviceName: String
    /// The region requests are signed for.
    public let region: String
    /// The endpoint URL requests go to.
    public let endpoint: String
    /// Where credentials come from (asked before each attempt; providers cache).
    public let credentialProvider: any CredentialProvider
    /// Sends the HTTP requests.
    public let transport: any HTTPTransport
    /// How failures are retried.
    public let retryPolicy: RetryPolicy
    /// The retry budget shared by every call of this client.
    public let retryQuota: RetryQuota
    /// The timeout passed to the transport for each attempt.
    public let readTimeout: Duration
    /// Where attempts, retries and clock corrections are logged (`aws.*` metadata).
    public let logger: Logger
    /// The clock, jitter and sleep.
    public let environment: AWSClientEnvironment
    /// Where each request sent is counted (every attempt: AWS bills retries too); nil: not counted.
    public let usageMeter: AWSUsageMeter?

    private let signer: SigV4Signer
    private let clockSkew = ClockSkew()
    private let base: AWSHTTPRequest
    /// The endpoint's path without its trailing slashes, which ``request(method:path:query:headers:body:)`` prefixes.
    private let pathPrefix: String

    /// A client for signing name `service` (`sqs`, `sns`, `sts`) in `region` at `endpoint`.
    ///
    /// Throws ``HTTPTransportError`` (invalid URL) when `endpoint` is not an http(s) URL.
    /// `retryQuota` defaults to a full bucket of `retryPolicy.quotaCapacity`. `usageMeter` counts the requests sent.
    public init(service: String, region: String, endpoint: String, credentialProvider: any CredentialProvider,
                transport: any HTTPTransport, retryPolicy: RetryPolicy = .standard, readTimeout: Duration = .seconds(60),
                logger: Logger, environment: AWSClientEnvironment = .live, retryQuota: RetryQuota? = nil,
                usageMeter: AWSUsageMeter? = nil) throws(HTTPTransportError) {
        base = try AWSHTTPRequest(method: "POST", url: endpoint)
        var prefix = base.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
        signingName = service.lowercased()
        serviceName = service.uppercased()
        self.region = region
        self.endpoint = endpoint
        self.credentialProvider = credentialProvider
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.retryQuota = retryQuota ?? RetryQuota(capacity: retryPolicy.quotaCapacity)
        self.readTimeout = readTimeout
        self.logger = logger
        self.environment = environment
        self.usageMeter = usageMeter
        signer = SigV4Signer(service: signingName, region: region)
    }

    /// Seconds the client adds to its clock when signing, learnt from clock-skew errors; 0 until then.
    public var clockOffset: TimeInterval { clockSkew.seconds }

    /// A request to the endpoint: `path` is appended to the endpoint's path.
    public func request(method: String = "POST", path: String = "/", query: String? = nil, headers: AWSHTTPHeaders = [:],
                        body: [UInt8] = []) -> AWSHTTPRequest {
        let suffix = path.hasPrefix("/") ? path : "/" + path
        return AWSHTTPRequest(method: method, scheme: base.scheme, host: base.host, port: base.port, path: pathPrefix + suffix,
                           query: query ?? base.query, headers: headers, body: body)
    }

    /// Signs and sends `request`, retrying per ``retryPolicy``; returns the 2xx response.
    ///
    /// Throws the decoded ``AWSError`` (service and action filled in) for a non-2xx reply that is
    /// not retried, ``HTTPTransportError`` when no reply came, ``CredentialError`` when there are
    /// no credentials or they have expired (the request is not sent), and `CancellationError` when
    /// the task is cancelled while waiting. Nothing the server sends back reaches an error or a log
    /// line with the secret key, session token, access key id or signature in it.
    /// `timeout` bounds each attempt instead of ``readTimeout`` (a long poll needs its wait on top).
    /// Each attempt sent is counted in ``usageMeter`` as `billingClass` (by default the service's
    /// standard class) `action`, billed as `requestUnits` requests.
    public func send(_ request: AWSHTTPRequest, action: String, timeout: Duration? = nil, billingClass: AWSBillingClass? = nil,
                     requestUnits: Int = 1) async throws -> AWSHTTPResponse {
        let attemptTimeout = timeout ?? readTimeout
        let operation = usageMeter == nil ? nil
            : AWSUsage.Operation(billingClass ?? AWSBillingClass(service: serviceName, fifo: false), action)
        let maxAttempts = retryPolicy.maxAttempts
        var acquired: Int?
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let credentials = try await credentialProvider.credentials()
            let now = environment.now()
            if let expiration = credentials.expiration, expiration <= now {
                throw CredentialError.expired(credentials, now: now)
            }
            let signed = signer.sign(request, credentials: credentials, date: clockSkew.corrected(now))
            logger.trace("\(serviceName) \(action) request: \(signed)", metadata: attemptMetadata(action: action, attempt: attempt))

            // A failed attempt's metadata is kept for the warnings below; a success's is built only when debug is on.
            var metadata: [String: String]
            let failure: any Error
            var failedResponse: AWSHTTPResponse?
            if let operation { usageMeter?.recordCall(operation, units: requestUnits) }
            do {
                let response = try await transport.send(signed, timeout: attemptTimeout)
                if (200..<300).contains(response.status) {
                    logger.debug("\(serviceName) \(action) attempt \(attempt)/\(maxAttempts): HTTP \(response.status)",
                                 metadata: attemptMetadata(action: action, attempt: attempt, status: response.status,
                                                           requestId: response.headers["x-amzn-RequestId"]
                                                               ?? response.headers["x-amz-request-id"]))
                    retryQuota.release(acquired ?? retryPolicy.noRetryIncrement)
                    return response
                }
                metadata = attemptMetadata(action: action, attempt: attempt, status: response.status)
                let error = AWSError(response: response, service: serviceName, action: action)
                    .redacting([signed.headers["Authorization"] ?? "", credentials.secretAccessKey, credentials.sessionToken ?? "",
                                credentials.accessKeyId])
                metadata["aws.error_code"] = error.code.rawValue
                if let requestId = error.requestId { metadata["aws.request_id"] = requestId }
                logger.debug("\(serviceName) \(action) attempt \(attempt)/\(maxAttempts): \(error)", metadata: metadata)
                failure = error
                failedResponse = response
            } catch let error as HTTPTransportError {
                metadata = attemptMetadata(action: action, attempt: attempt)
                metadata["aws.transport_error"] = error.kind.rawValue
                logger.debug("\(serviceName) \(action) attempt \(attempt)/\(maxAttempts): \(error)", metadata: metadata)
                failure = error
            }

            if let error = failure as? AWSError, let response = failedResponse,
               let offset = clockSkew.correct(after: error, response: response, now: now, threshold: retryPolicy.clockSkewThreshold) {
                var warning = metadata
                warning["aws.clock_offset"] = AWSClient.seconds(offset)
                logger.warning("\(serviceName) \(action): corrected the clock by \(AWSClient.seconds(offset)) s after \(error.code)",
                               metadata: warning)
                guard attempt < maxAttempts else { throw failure }
                continue
            }
            guard attempt < maxAttempts, retryPolicy.isRetryable(failure) else { throw failure }
            let cost = retryPolicy.retryCost(after: failure)
            guard retryQuota.acquire(cost) else {
                logger.warning("\(serviceName) \(action): not retrying, the retry quota is exhausted "
                    + "(\(retryQuota.available) left, \(cost) needed): \(failure)", metadata: metadata)
                throw failure
            }
            acquired = cost
            let retryAfter = failedResponse?.headers["x-amz-retry-after"].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
            let delay = retryPolicy.delay(beforeRetry: attempt, jitter: environment.jitter(),
                                          retryAfter: retryAfter.map { .milliseconds($0) })
            var warning = metadata
            warning["aws.retry_delay"] = AWSClient.seconds(delay)
            logger.warning("\(serviceName) \(action): retrying in \(AWSClient.seconds(delay)) s after attempt "
                + "\(attempt)/\(maxAttempts) failed: \(failure)", metadata: warning)
            try await environment.sleep(delay)
        }
    }

    /// `aws.service`, `aws.action`, `aws.attempt` and, when known, `aws.status` and `aws.request_id`.
    private func attemptMetadata(action: String, attempt: Int, status: Int? = nil, requestId: String? = nil) -> [String: String] {
        var metadata = ["aws.service": serviceName, "aws.action": action, "aws.attempt": String(attempt)]
        if let status { metadata["aws.status"] = String(status) }
        if let requestId { metadata["aws.request_id"] = requestId }
        return metadata
    }

    /// `1.25` for 1250 ms; whole numbers without a fraction.
    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return self.seconds(Double(seconds) + Double(attoseconds) / 1e18)
    }

    private static func seconds(_ value: TimeInterval) -> String {
        let milliseconds = (value * 1000).rounded()
        return milliseconds.truncatingRemainder(dividingBy: 1000) == 0 ? String(Int64(milliseconds / 1000))
            : String(Double(Int64(milliseconds)) / 1000)
    }
}
