import Microcosm

extension BindingKey where Component == MessageHandlers {
    /// `sqs_message_handler_registry`: the service's handlers (default: only the batch message's);
    /// a daemon assigns its own before resolving the dispatcher.
    public static var sqsMessageHandlers: Self { Self("sqs_message_handler_registry") }
}

extension BindingKey where Component == SQSMessageContext {
    /// `sqs_message_context`: how a message's opaque context is made (config `enable_ttl`, `initial_ttl`).
    public static var sqsMessageContext: Self { Self("sqs_message_context") }
}

extension BindingKey where Component == any PubSubMetrics {
    /// `pubsub_metrics`: where dispatching reports results and batches (default: the DogStatsD
    /// senders `pubsub_send_metrics` and `pubsub_send_batch_metrics` when they send, else nowhere).
    public static var pubsubMetrics: Self { Self("pubsub_metrics") }
}

extension BindingKey where Component == SQSMessageDispatcher {
    /// `sqs_message_dispatcher`: dispatches consumed messages to the handlers (config `message_max_processing_attempts`).
    public static var sqsMessageDispatcher: Self { Self("sqs_message_dispatcher") }
}

extension Registry {
    /// Binds `sqs_message_handler_registry`, `sqs_message_context`, `pubsub_metrics` and
    /// `sqs_message_dispatcher` with microcosm-pubsub's config keys and defaults.
    ///
    /// `sqs_message_dispatcher.message_max_processing_attempts` is null (no limit), 0 (no limit, as
    /// in microcosm-pubsub) or a positive count.
    mutating func bindDispatch() {
        bind(.sqsMessageHandlers) { _ in MessageHandlers() }
        bind(.sqsMessageContext, defaults: [
            "enable_ttl": .typed(.bool, default: true),
            "initial_ttl": .typed(.int(in: 0...Int.max), default: 32),
        ]) { graph in
            let section = try graph.config.section("sqs_message_context")
            return SQSMessageContext(enableTTL: try section.bool("enable_ttl"), initialTTL: try section.int("initial_ttl", in: 0...Int.max))
        }
        bind(.pubsubMetrics) { graph -> any PubSubMetrics in try Registry.defaultPubSubMetrics(graph) }
        bind(.sqsMessageDispatcher, defaults: [
            "message_max_processing_attempts": .typed(.int(in: 0...Int.max), default: nil),
        ]) { graph in
            let section = try graph.config.section("sqs_message_dispatcher")
            let maxAttempts = try section.optionalInt("message_max_processing_attempts", in: 0...Int.max)
            return try SQSMessageDispatcher(graph: graph, handlers: try graph.sqsMessageHandlers, context: try graph.sqsMessageContext,
                                            maxProcessingAttempts: maxAttempts, metrics: try graph.pubsubMetrics)
        }
    }
}

extension Graph {
    /// The service's handlers (binding `sqs_message_handler_registry`).
    public var sqsMessageHandlers: MessageHandlers { get throws { try resolve(.sqsMessageHandlers) } }

    /// How messages' opaque contexts are made (binding `sqs_message_context`).
    public var sqsMessageContext: SQSMessageContext { get throws { try resolve(.sqsMessageContext) } }

    /// Where dispatching reports (binding `pubsub_metrics`).
    public var pubsubMetrics: any PubSubMetrics { get throws { try resolve(.pubsubMetrics) } }

    /// The dispatcher (binding `sqs_message_dispatcher`); creating it checks and builds the handlers.
    public var sqsMessageDispatcher: SQSMessageDispatcher { get throws { try resolve(.sqsMessageDispatcher) } }
}
