import MicrocosmPubSub
/// A daemon that cannot start: names the queue and what SQS said.
///
/// ```
/// config 'sqs_consumer.sqs_queue_url': queue 'http://127.0.0.1:5000/123456789012/thingz' does not exist (SQS GetQueueAttributes: AWS.SimpleQueueService.NonExistentQueue (HTTP 400): ...)
/// ```
public struct ConsumerDaemonError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, to compare or switch on (`error.code == .queueDoesNotExist`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable { case queueDoesNotExist }

        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The configured queue does not exist.
        public static let queueDoesNotExist = Code(.queueDoesNotExist)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public let code: Code
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

    public var description: String {
        switch code.value {
        case .queueDoesNotExist:
            return "config '\(SQSConsumerError.queueURLKey)': queue '\(queueURL)' does not exist (\(underlying))"
        }
    }
}
