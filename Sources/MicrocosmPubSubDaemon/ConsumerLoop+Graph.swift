import Microcosm
import MicrocosmPubSub

extension ConsumerLoop {
    /// The loop of `graph`: its consumer (`sqs_consumer`), dispatcher (`sqs_message_dispatcher`),
    /// settings (`consumer_daemon`), batch metrics (`pubsub_metrics`), clock (`pubsub_clock`),
    /// I/O executor (`pubsub_io_executor`) and logger. A graph locked before must have created
    /// these (`graph.use(...)` them), as ``ConsumerDaemon`` does.
    ///
    /// ```swift
    /// graph.assign(.sqsMessageHandlers, handlers)
    /// let loop = try ConsumerLoop(graph: graph)
    /// let report = await loop.run()
    /// ```
    ///
    /// - Parameter queueAttributes: the queue's attributes, when the caller has read them; nil:
    ///   the loop reads them as it starts (see ``init(consumer:settings:queueAttributes:clock:logger:onBatch:recordsMessageIds:ioExecutor:dispatch:)``).
    public convenience init(graph: Graph, queueAttributes: ConsumerQueueAttributes? = nil) throws {
        try self.init(graph: graph, queueAttributes: queueAttributes, onResult: nil)
    }

    /// The loop of `graph`, telling `onResult` each message's result.
    convenience init(graph: Graph, queueAttributes: ConsumerQueueAttributes?,
                     onResult: (@Sendable (MessageHandlingResult) -> Void)?) throws {
        let consumer = try graph.sqsConsumer
        let dispatcher = try graph.sqsMessageDispatcher
        let metrics = try graph.pubsubMetrics
        self.init(consumer: consumer, settings: try graph.consumerDaemonSettings, queueAttributes: queueAttributes,
                  clock: try graph.pubsubClock, logger: graph.logger,
                  onBatch: { metrics.recordBatch(size: $0.size, elapsed: $0.elapsed) }, recordsMessageIds: nil,
                  ioExecutor: try graph.pubsubIOExecutor, maxProcessingAttempts: dispatcher.maxProcessingAttempts) { message in
            let result = await dispatcher.dispatch(message)
            onResult?(result)
            return result
        }
    }

    /// The loop of `graph` (see ``init(graph:queueAttributes:)``) for a queue whose visibility
    /// timeout the caller knows to be `visibilityTimeout` seconds.
    public convenience init(graph: Graph, visibilityTimeout: Int?) throws {
        try self.init(graph: graph, queueAttributes: visibilityTimeout.map { ConsumerQueueAttributes(visibilityTimeout: $0) })
    }
}
