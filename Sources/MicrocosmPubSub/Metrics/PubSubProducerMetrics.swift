import Microcosm
import MicrocosmMetrics

/// Sends one DogStatsD histogram per message published, as microcosm-pubsub's
/// `PubSubProducerMetrics` does (binding `pubsub_producer_metrics`, config `enabled`, default true):
///
/// | metric | value | tags |
/// |---|---|---|
/// | `sns_producer` | milliseconds the Publish call took | `source:microcosm-pubsub`, `publish_result:SUCCESS` or `FAILURE`, `media_type:<media type>` |
///
/// (`media_type` with an underscore here, `media-type` in the consumer's metrics: as in Python.)
/// A PublishBatch call sends one histogram per entry, each with the call's time and the entry's
/// result. Enabled when the graph binds `metrics`, its host is not `localhost`, and both
/// `pubsub_send_metrics.enabled` and `pubsub_producer_metrics.enabled` are true (see ``PubSubMetricsSwitch``).
///
/// ```swift
/// let metrics = try graph.pubsubProducerMetrics
/// let producer = SNSProducer(snsClient: sns, topicArns: topics, schemaRegistry: schemas, logger: logger,
///                            onPublish: { metrics($0) })
/// // sns_producer:5.5|h|#source:microcosm-pubsub,publish_result:SUCCESS,media_type:application/vnd.globality.pubsub._.created.foo_bar,...
/// ```
public struct PubSubProducerMetrics: Sendable {
    /// Where the histograms go; nil when disabled.
    public let client: DogStatsDClient?

    /// Sends to `client`; nil disables.
    public init(client: DogStatsDClient?) {
        self.client = client
    }

    /// True when publishes are sent.
    public var isEnabled: Bool { client != nil }

    /// Sends the histogram of one publish (nothing when disabled).
    public func callAsFunction(_ outcome: PublishOutcome) {
        client?.send([Self.metric(for: outcome)])
    }

    /// The histogram microcosm-pubsub sends for a publish.
    public static func metric(for outcome: PublishOutcome) -> DogStatsDMetric {
        .histogram("sns_producer", PubSubMetricsSwitch.milliseconds(outcome.elapsed),
                   tags: [PubSubMetricsSwitch.sourceTag, "publish_result:\(outcome.succeeded ? "SUCCESS" : "FAILURE")",
                          "media_type:\(outcome.mediaType.rawValue)"])
    }
}
