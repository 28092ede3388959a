/// A message movement task (SQS's dead-letter queue redrive): moves the messages of a
/// dead-letter queue back to their source queue, or to another queue, on the service's side.
///
/// ```swift
/// let handle = try await sqs.startMessageMoveTask(sourceArn: dlqArn, destinationArn: queueArn)
/// let task = try await sqs.listMessageMoveTasks(sourceArn: dlqArn).first   // the most recent
/// print(task?.status, task?.approximateNumberOfMessagesMoved)
/// ```
public struct SQSMessageMoveTask: Sendable, Hashable {
    /// A task's status as SQS reports it: `RUNNING`, `COMPLETED`, `CANCELLING`, `CANCELLED` or `FAILED`.
    public struct Status: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The status as SQS spells it.
        public var rawValue: String
        /// The status SQS calls `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The task is moving messages.
        public static let running = Self(rawValue: "RUNNING")
        /// Every message the task found was moved.
        public static let completed = Self(rawValue: "COMPLETED")
        /// Cancelled, still stopping.
        public static let cancelling = Self(rawValue: "CANCELLING")
        /// Cancelled and stopped.
        public static let cancelled = Self(rawValue: "CANCELLED")
        /// Stopped by an error (see ``SQSMessageMoveTask/failureReason``).
        public static let failed = Self(rawValue: "FAILED")
        /// True while the task may still move messages (`RUNNING`, `CANCELLING`).
        public var isActive: Bool { self == .running || self == .cancelling }
        public var description: String { rawValue }
    }

    /// The handle to cancel a running task with; SQS gives it only while the task runs.
    public var taskHandle: String?
    /// Where the task is.
    public var status: Status
    /// The queue the messages come from (a dead-letter queue's ARN).
    public var sourceArn: String
    /// Where they go; nil: each message's original source queue.
    public var destinationArn: String?
    /// How many messages the task has moved so far.
    public var approximateNumberOfMessagesMoved: Int
    /// How many messages the task found to move when it started; nil when SQS did not say.
    public var approximateNumberOfMessagesToMove: Int?
    /// Why the task failed, for a `FAILED` task.
    public var failureReason: String?

    /// A task as ListMessageMoveTasks describes it.
    public init(taskHandle: String? = nil, status: Status, sourceArn: String, destinationArn: String? = nil,
                approximateNumberOfMessagesMoved: Int = 0, approximateNumberOfMessagesToMove: Int? = nil, failureReason: String? = nil) {
        self.taskHandle = taskHandle
        self.status = status
        self.sourceArn = sourceArn
        self.destinationArn = destinationArn
        self.approximateNumberOfMessagesMoved = approximateNumberOfMessagesMoved
        self.approximateNumberOfMessagesToMove = approximateNumberOfMessagesToMove
        self.failureReason = failureReason
    }
}

/// SQS endpoints that move messages between queues themselves (StartMessageMoveTask,
/// ListMessageMoveTasks): AWS and LocalStack through ``SQSClient``. An endpoint that does not
/// implement the actions answers them with an error (moto: an HTTP 500).
public protocol SQSMessageMoveAPI: SQSAPI {
    /// Starts moving the messages of `sourceArn` (a dead-letter queue) to `destinationArn` (nil:
    /// each message's original source queue); returns the task handle.
    func startMessageMoveTask(sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?) async throws -> String
    /// The most recent tasks of `sourceArn` (up to `maxResults`, 1...10), most recent first.
    func listMessageMoveTasks(sourceArn: String, maxResults: Int?) async throws -> [SQSMessageMoveTask]
}
