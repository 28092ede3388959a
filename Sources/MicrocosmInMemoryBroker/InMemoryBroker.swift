#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MicrocosmAWS

/// An in-process SNS and SQS: topics (standard and FIFO), queues, `sqs` subscriptions with raw or
/// wrapped delivery and filter policies, visibility timeouts, receive counts, redrive to
/// dead-letter queues, FIFO groups and deduplication, and long polls that wake the moment a
/// message can be received.
///
/// Producers, consumers and daemons talk to it through ``sns`` and ``sqs``, which implement
/// `SNSAPI` and `SQSAPI` exactly as the real clients do (validation first, then AWS-shaped
/// `AWSError`s), so they cannot tell it from AWS. Tests inject a ``ManualBrokerClock`` to move
/// time, ``faults`` to make it slow or failing, and read ``publications`` and the queue
/// inspection helpers to see what happened.
///
/// ```swift
/// let broker = InMemoryBroker()
/// let topicArn = try await broker.sns.createTopic(name: "things", attributes: [:])
/// let queueURL = try await broker.sqs.createQueue(name: "things-worker", attributes: [:])
/// let queueArn = broker.queueArn(named: "things-worker")
/// _ = try await broker.sns.subscribe(topicArn: topicArn, protocol: "sqs", endpoint: queueArn, attributes: [:])
///
/// _ = try await broker.sns.publish(PublishRequest(topicArn: topicArn, message: #"{"uri": "http://things/1"}"#))
/// let received = try await broker.sqs.receiveMessage(ReceiveMessageRequest(queueURL: queueURL, waitTimeSeconds: 20))
/// try await broker.sqs.deleteMessage(queueURL: queueURL, receiptHandle: received[0].receiptHandle)
/// ```
public actor InMemoryBroker {
    /// The region in ARNs and queue URLs.
    public nonisolated let region: String
    /// The account in ARNs and queue URLs.
    public nonisolated let accountId: String
    /// The broker's time source.
    public nonisolated let clock: any BrokerClock
    /// Latency and errors injected into ``sns`` and ``sqs``.
    public nonisolated let faults: BrokerFaults
    /// Whether accepted messages are kept in ``publications``.
    public nonisolated let recordsPublications: Bool
    /// Whether publishing to an unknown topic ARN creates the topic (testing graphs: the application's
    /// tests need not create every topic its configuration names).
    public nonisolated let createsTopicsOnPublish: Bool

    var topics: [String: BrokerTopic] = [:]
    var subscriptions: [String: BrokerSubscription] = [:]
    var queuesByURL: [String: BrokerQueue] = [:]
    var queuesByName: [String: BrokerQueue] = [:]
    var queuesByArn: [String: BrokerQueue] = [:]
    var recordedPublications: [BrokerPublication] = []
    var identifiers = BrokerIdentifiers()
    var waiters: [UInt64: BrokerWaiter] = [:]
    var nextWaiterID: UInt64 = 0

    /// `Signature` in envelopes: the shape of a 2048-bit RSA signature (the broker does not sign).
    let signature: String
    /// `SigningCertURL` in envelopes.
    let signingCertURL: String

    /// The `SenderId` of messages SNS delivers to SQS.
    static let snsSenderId = "AIDAIT2UOQQY3AUEKVGXU"

    /// A broker with no topics or queues.
    ///
    /// - Parameters:
    ///   - region: the region in ARNs and queue URLs.
    ///   - accountId: the account in ARNs and queue URLs.
    ///   - clock: the time source; a ``ManualBrokerClock`` in tests.
    ///   - recordsPublications: keep every accepted message in ``publications`` (turn off for
    ///     long-running embedded use, where the record would only grow).
    ///   - createsTopicsOnPublish: publishing to an unknown topic ARN creates that topic.
    public init(region: String = "us-east-1", accountId: String = "123456789012", clock: any BrokerClock = SystemBrokerClock(),
                recordsPublications: Bool = true, createsTopicsOnPublish: Bool = false) {
        self.region = region
        self.accountId = accountId
        self.clock = clock
        self.faults = BrokerFaults(clock: clock)
        self.recordsPublications = recordsPublications
        self.createsTopicsOnPublish = createsTopicsOnPublish
        var identifiers = BrokerIdentifiers()
        self.signature = Data((0..<32).flatMap { _ in withUnsafeBytes(of: identifiers.next()) { Array($0) } }).base64EncodedString()
        self.signingCertURL = "https://sns.\(region).amazonaws.com/SimpleNotificationService-"
            + identifiers.uuid().replacing("-", with: "") + ".pem"
        self.identifiers = identifiers
    }

    /// The broker as SNS.
    public nonisolated var sns: InMemorySNS { InMemorySNS(broker: self) }

    /// The broker as SQS.
    public nonisolated var sqs: InMemorySQS { InMemorySQS(broker: self) }

    /// The URL a queue named `name` has (or would have): `memory://sqs.<region>/<account>/<name>`.
    public nonisolated func queueURL(named name: String) -> String {
        "memory://sqs.\(region)/\(accountId)/\(name)"
    }

    /// The ARN a queue named `name` has (or would have).
    public nonisolated func queueArn(named name: String) -> String {
        "arn:aws:sqs:\(region):\(accountId):\(name)"
    }

    /// The ARN a topic named `name` has (or would have).
    public nonisolated func topicArn(named name: String) -> String {
        "arn:aws:sns:\(region):\(accountId):\(name)"
    }

    // MARK: Lookup

    /// The queue at `queueURL`. Besides the broker's own URLs, any URL whose path ends in
    /// `/<account>/<name>` (an AWS or moto URL from configuration) finds the queue of that name.
    func queue(at queueURL: String, action: BrokerAction) throws -> BrokerQueue {
        if let queue = queuesByURL[queueURL] { return queue }
        let parts = queueURL.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count >= 3, parts[parts.count - 2] == accountId, let queue = queuesByName[String(parts[parts.count - 1])] {
            return queue
        }
        throw AWSError.nonExistentQueue(queueURL, action: action.rawValue)
    }

    func topic(_ topicArn: String, action: BrokerAction) throws -> BrokerTopic {
        if let topic = topics[topicArn] { return topic }
        if createsTopicsOnPublish, action == .publish || action == .publishBatch,
           let name = topicArn.split(separator: ":").last, !name.isEmpty {
            return makeTopic(name: String(name), arn: topicArn, attributes: name.hasSuffix(".fifo") ? ["FifoTopic": "true"] : [:])
        }
        throw AWSError.topicNotFound(topicArn, action: action.rawValue)
    }

    // MARK: Long polls

    /// Wakes long polls on `queue` that may now find a message, and those that should wake earlier
    /// than they planned because a message becomes visible sooner. Called after every change.
    func settle(_ queue: BrokerQueue) {
        guard !queue.waiters.isEmpty else { return }
        var deliverable = queue.deliverableCount
        while deliverable > 0, let first = queue.waiters.first {
            wake(first)
            deliverable -= 1
        }
        if let next = queue.nextVisibilityChange {
            for waiter in queue.waiters where waiter.wakeAt > next { wake(waiter) }
        }
    }

    /// Suspends the calling receive until ``settle(_:)`` or the clock wakes it at `wakeAt`.
    func park(on queue: BrokerQueue, until wakeAt: Date) async throws {
        nextWaiterID += 1
        let id = nextWaiterID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let waiter = BrokerWaiter(id: id, queue: queue, wakeAt: wakeAt, continuation: continuation)
                waiters[id] = waiter
                queue.waiters.append(waiter)
                waiter.timer = Task { [clock] in
                    do {
                        try await clock.sleep(until: wakeAt)
                    } catch {
                        return
                    }
                    self.wake(id)
                }
            }
        } onCancel: {
            Task { await self.wake(id, throwing: CancellationError()) }
        }
    }

    private func wake(_ id: UInt64, throwing error: (any Error)? = nil) {
        guard let waiter = waiters[id] else { return }
        wake(waiter, throwing: error)
    }

    func wake(_ waiter: BrokerWaiter, throwing error: (any Error)? = nil) {
        waiters[waiter.id] = nil
        if let index = waiter.queue.waiters.firstIndex(where: { $0 === waiter }) { waiter.queue.waiters.remove(at: index) }
        waiter.timer?.cancel()
        waiter.timer = nil
        let continuation = waiter.continuation
        waiter.continuation = nil
        if let error {
            continuation?.resume(throwing: error)
        } else {
            continuation?.resume()
        }
    }
}
