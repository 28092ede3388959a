import Microcosm
import MicrocosmMetrics

extension BindingKey where Component == PubSubSendMetrics {
    /// `pubsub_send_metrics`: per-message histograms (config `enabled`, default true).
    public static var pubsubSendMetrics: Self { Self("pubsub_send_metrics") }
}

extension BindingKey where Component == PubSubSendBatchMetrics {
    /// `pubsub_send_batch_metrics`: per-batch histograms (config `enabled`, default true).
    public static var pubsubSendBatchMetrics: Self { Self("pubsub_send_batch_metrics") }
}

extension BindingKey where Component == PubSubProducerMetrics {
    /// `pubsub_producer_metrics`: per-publish histograms (config `enabled`, default true).
    public static var pubsubProducerMetrics: Self { Self("pubsub_producer_metrics") }
}

extension Registry {
    /// Binds `metrics` (microcosm-metrics' DogStatsD client) and microcosm-pubsub's three senders,
    /// `pubsub_send_metrics`, `pubsub_send_batch_metrics` and `pubsub_producer_metrics`, each with
    /// `enabled` (default true). They send only when `metrics.host` is not `localhost` (see
    /// ``PubSubMetricsSwitch``).
    mutating func bindPubSubMetrics() {
        bindMetrics()
        bind(.pubsubSendMetrics, defaults: ["enabled": .typed(.bool, default: true)]) { graph in
            PubSubSendMetrics(client: try PubSubMetricsSwitch.client(for: "pubsub_send_metrics", graph: graph))
        }
        bind(.pubsubSendBatchMetrics, defaults: ["enabled": .typed(.bool, default: true)]) { graph in
            PubSubSendBatchMetrics(client: try PubSubMetricsSwitch.client(for: "pubsub_send_batch_metrics", graph: graph))
        }
        bind(.pubsubProducerMetrics, defaults: ["enabled": .typed(.bool, default: true)]) { graph in
            PubSubProducerMetrics(client: try PubSubMetricsSwitch.client(for: "pubsub_producer_metrics", graph: graph))
        }
    }

    /// The default `pubsub_metrics`: the DogStatsD senders when either sends, else ``NoPubSubMetrics``.
    static func defaultPubSubMetrics(_ graph: Graph) throws -> any PubSubMetrics {
        let send = try graph.pubsubSendMetrics
        let sendBatch = try graph.pubsubSendBatchMetrics
        guard send.isEnabled || sendBatch.isEnabled else { return NoPubSubMetrics() }
        return DogStatsDPubSubMetrics(send: send, sendBatch: sendBatch)
    }
}

extension Graph {
    /// The per-message metrics sender (binding `pubsub_send_metrics`).
    public var pubsubSendMetrics: PubSubSendMetrics { get throws { try resolve(.pubsubSendMetrics) } }

    /// The per-batch metrics sender (binding `pubsub_send_batch_metrics`).
    public var pubsubSendBatchMetrics: PubSubSendBatchMetrics { get throws { try resolve(.pubsubSendBatchMetrics) } }

    /// The per-publish metrics sender (binding `pubsub_producer_metrics`).
    public var pubsubProducerMetrics: PubSubProducerMetrics { get throws { try resolve(.pubsubProducerMetrics) } }
}
