import Microcosm

extension ConsumerLoop {
    /// The loop of `graph`: its consumer (`sqs_consumer`), dispatcher (`sqs_message_dispatcher`),
    /// settings (`consumer_daemon`), batch metrics (`pubsub_metrics`) and logger, on the in-memory
    /// broker's clock when the consumer reads the in-memory broker; when it reads SQS through the
    /// graph's `CurlTransport`, receives and acknowledgements run on the transport's event loop.
    ///
    /// ```swift
    /// graph.assign(.sqsMessageHandlers, handlers)
    /// let loop = try ConsumerLoop(graph: graph)
    /// let report = await loop.run()
    /// ```
    ///
    /// - Parameter visibilityTimeout: the queue's visibility timeout in seconds, for the heartbeat
    ///   (see ``init(consumer:settings:visibilityTimeout:clock:logger:onBatch:dispatch:)``).
    public convenience init(graph: Graph, visibilityTimeout: Int? = nil) throws {
        let consumer = try graph.sqsConsumer
        let dispatcher = try graph.sqsMessageDispatcher
        let metrics = try graph.pubsubMetrics
        self.init(consumer: consumer, settings: try graph.consumerDaemonSettings, visibilityTimeout: visibilityTimeout,
                  clock: ConsumerDaemonQueue.clock(of: consumer), logger: graph.logger,
                  onBatch: { metrics.recordBatch(size: $0.size, elapsed: $0.elapsed) },
                  ioExecutor: try ConsumerDaemonQueue.ioExecutor(of: consumer, graph: graph)) { message in
            await dispatcher.dispatch(message)
        }
    }
}
