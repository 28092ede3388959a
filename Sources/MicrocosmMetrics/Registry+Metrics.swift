import Microcosm

extension BindingKey where Component == DogStatsDClient {
    /// `metrics`: the DogStatsD client (microcosm-metrics' binding; config section `metrics`).
    public static var metrics: Self { Self("metrics") }
}

extension Registry {
    /// Binds `metrics` as microcosm-metrics does: a DogStatsD client configured by section
    /// `metrics` with `host` (default `localhost`), `port` (8125) and `tags` ([]).
    ///
    /// ```swift
    /// var registry = Registry()
    /// registry.bindMetrics()
    /// let graph = try Graph(name: "things", registry: registry, config: ["metrics": ["host": "datadog-agent"]])
    /// try graph.metrics.increment("things.created")
    /// ```
    public mutating func bindMetrics() {
        bind(.metrics, defaults: [
            "host": "localhost",
            "port": .typed(.int, default: 8125),
            "tags": .typed(.list, default: []),
        ]) { graph in
            try DogStatsDClient(graph: graph)
        }
    }
}

extension Graph {
    /// The DogStatsD client (binding `metrics`).
    public var metrics: DogStatsDClient { get throws { try resolve(.metrics) } }
}
