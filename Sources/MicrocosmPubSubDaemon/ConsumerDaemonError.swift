import MicrocosmPubSub
/// A daemon that cannot start: names the queue and what SQS said.
///
/// ```
/// config 'sqs_consumer.sqs_queue_url': queue 'http://127.0.0.1:5000/123456789012/thingz' does not exist (SQS GetQueueAttributes: AWS.SimpleQueueService.NonExistentQueue (HTTP 400): ...)
/// ```
public struct ConsumerDaemonError: Error, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case queueDoesNotExist }

    private let code: Code
    /// The queue concerned.
    public let queueURL: String
    /// What the service said.
    public let underlying: any Error

    private init(code: Code, queueURL: String, underlying: any Error) {
        self.code = code
        self.queueURL = queueURL
        self.underlying = underlying
    }

    /// The configured queue does not exist.
    public static func queueDoesNotExist(_ queueURL: String, underlying: any Error) -> Self {
        Self(code: .queueDoesNotExist, queueURL: queueURL, underlying: underlying)
    }

    /// True when the configured queue does not exist.
    public var isQueueDoesNotExist: Bool { code == .queueDoesNotExist }

    public var description: String {
        switch code {
        case .queueDoesNotExist:
            return "config '\(SQSConsumerError.queueURLKey)': queue '\(queueURL)' does not exist (\(underlying))"
        }
    }
}
