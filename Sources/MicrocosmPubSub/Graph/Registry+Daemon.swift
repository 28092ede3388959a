import Microcosm
import MicrocosmAWS

extension BindingKey where Component == ConsumerDaemonSettings {
    /// `consumer_daemon`: the daemon's concurrency, grace period, heartbeat and error backoff
    /// (config section `consumer_daemon`, see ``ConsumerDaemonSettings``).
    public static var consumerDaemon: Self { Self("consumer_daemon") }
}

extension BindingKey where Component == any Clock<Duration> {
    /// `pubsub_clock`: the time a daemon's loop sleeps and schedules its heartbeat by: the
    /// in-memory broker's clock when `sqs_consumer` uses it (testing, `endpoint_url: memory://`),
    /// so a test that advances a ``ManualBrokerClock`` drives both; else `ContinuousClock`.
    public static var pubsubClock: Self { Self("pubsub_clock") }
}

extension BindingKey where Component == any TaskExecutor {
    /// `pubsub_io_executor`: where a daemon's loop runs its SQS calls (receives,
    /// acknowledgements, the heartbeat): the AWS transport's I/O executor when `sqs_consumer` reads
    /// a real queue through it, else the global concurrent executor. Handlers never run there.
    public static var pubsubIOExecutor: Self { Self("pubsub_io_executor") }
}

extension Registry {
    /// Binds `consumer_daemon` with its defaults, `pubsub_clock` and `pubsub_io_executor`.
    mutating func bindDaemon() {
        bind(.consumerDaemon, defaults: ConsumerDaemonSettings.defaults) { graph in
            try ConsumerDaemonSettings(config: graph.config)
        }
        bind(.pubsubClock) { graph -> any Clock<Duration> in
            guard try Registry.usesMemory(try graph.config.section("sqs_consumer"), graph: graph) else { return ContinuousClock() }
            return try graph.pubsubBroker.clock.swiftClock
        }
        bind(.pubsubIOExecutor) { graph -> any TaskExecutor in
            let consumer = try graph.sqsConsumer
            guard consumer.source.acknowledges, try !Registry.usesMemory(try graph.config.section("sqs_consumer"), graph: graph),
                  let executor = try graph.awsTransport.ioExecutor else { return globalConcurrentExecutor }
            return executor
        }
    }
}

extension Graph {
    /// The daemon's settings (binding `consumer_daemon`).
    public var consumerDaemonSettings: ConsumerDaemonSettings { get throws { try resolve(.consumerDaemon) } }

    /// The clock a daemon's loop runs on (binding `pubsub_clock`).
    public var pubsubClock: any Clock<Duration> { get throws { try resolve(.pubsubClock) } }

    /// Where a daemon's loop runs its SQS calls (binding `pubsub_io_executor`).
    public var pubsubIOExecutor: any TaskExecutor { get throws { try resolve(.pubsubIOExecutor) } }
}
