import Synchronization

/// Counts the requests SQS and SNS clients send, as an ``AWSUsage``: each client that has the
/// meter records every request it sends (each retry too) and what came back.
///
/// A graph has one (`graph.awsUsageMeter`) shared by its `sns_client` and `sqs_client`, real or
/// in-memory. Recording takes a lock for a few additions; reading ``usage`` copies the counts.
///
/// ```swift
/// let meter = AWSUsageMeter()
/// let sqs = try SQSClient(settings: settings, transport: CurlTransport(), logger: logger, usageMeter: meter)
/// _ = try await sqs.receiveMessage(ReceiveMessageRequest(queueURL: url, maxNumberOfMessages: 10, waitTimeSeconds: 20))
/// print(meter.usage)   // 0 messages received, 0 sent; 1 calls (SQS ReceiveMessage 1), 1 request units; empty receives 1 of 1 (100.0%)
/// ```
public final class AWSUsageMeter: Sendable {
    private let state = Mutex(AWSUsage())

    /// A meter with nothing counted.
    public init() {}

    /// What has been counted so far.
    public var usage: AWSUsage { state.withLock { $0 } }

    /// Counts one request of `operation` sent, billed as `units` requests.
    public func recordCall(_ operation: AWSUsage.Operation, units: Int = 1) {
        state.withLock { usage in
            usage.operations[operation, default: AWSUsage.Requests()].calls += 1
            usage.operations[operation, default: AWSUsage.Requests()].units += units
        }
    }

    /// Counts a ReceiveMessage answered with `messages` messages of `payloadBytes` in all (bodies and
    /// attributes); the payload's 64 KiB chunks beyond the first add request units to `operation`.
    public func recordReceive(_ operation: AWSUsage.Operation, messages: Int, payloadBytes: Int) {
        let extraUnits = AWSUsage.requestUnits(payloadBytes: payloadBytes) - 1
        state.withLock { usage in
            usage.receives += 1
            if messages == 0 { usage.emptyReceives += 1 }
            usage.messagesReceived += messages
            if extraUnits > 0 { usage.operations[operation, default: AWSUsage.Requests()].units += extraUnits }
        }
    }

    /// Counts `count` messages SNS or SQS accepted.
    public func recordSent(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.messagesSent += count }
    }
}
