import Microcosm

extension BindingKey where Component == ConsumerDaemonSettings {
    /// `consumer_daemon`: the daemon's concurrency, grace period, heartbeat and error backoff
    /// (config section `consumer_daemon`, see ``ConsumerDaemonSettings``).
    public static var consumerDaemon: Self { Self("consumer_daemon") }
}

extension Registry {
    /// Binds `consumer_daemon` with its defaults.
    mutating func bindDaemon() {
        bind(.consumerDaemon, defaults: ConsumerDaemonSettings.defaults) { graph in
            try ConsumerDaemonSettings(config: graph.config)
        }
    }
}

extension Graph {
    /// The daemon's settings (binding `consumer_daemon`).
    public var consumerDaemonSettings: ConsumerDaemonSettings { get throws { try resolve(.consumerDaemon) } }
}
