import Microcosm
import MicrocosmMetrics

/// Sends one DogStatsD histogram pair per handled message, as microcosm-pubsub's
/// `PubSubSendMetrics` does (binding `pubsub_send_metrics`, config `enabled`, default true):
///
/// | metric | value | tags |
/// |---|---|---|
/// | `message` | handling time in milliseconds | `source:microcosm-pubsub`, `result:<RESULT>`, `media-type:<media type>` |
/// | `message_handle_start` | seconds from publishing (`x-request-published`) to the start of handling, when known and not 0 | the same |
///
/// IGNORED results send nothing. Enabled when the graph binds `metrics`, its host is not
/// `localhost`, and `pubsub_send_metrics.enabled` is true (see ``PubSubMetricsSwitch``).
///
/// ```swift
/// let send = try graph.pubsubSendMetrics
/// send(MessageHandlingResult(kind: .succeeded, mediaType: .created("FooBar"), elapsed: .milliseconds(12)))
/// // message:12.0|h|#source:microcosm-pubsub,result:SUCCEEDED,media-type:application/vnd.globality.pubsub._.created.foo_bar,service:things,environment:prod
/// ```
public struct PubSubSendMetrics: Sendable {
    /// Where the histograms go; nil when disabled.
    public let client: DogStatsDClient?

    /// Sends to `client`; nil disables.
    public init(client: DogStatsDClient?) {
        self.client = client
    }

    /// True when results are sent.
    public var isEnabled: Bool { client != nil }

    /// Sends the histograms of `result` (nothing for IGNORED, or when disabled).
    public func callAsFunction(_ result: MessageHandlingResult) {
        guard let client else { return }
        let metrics = Self.metrics(for: result)
        if !metrics.isEmpty { client.send(metrics) }
    }

    /// The histograms microcosm-pubsub sends for `result`: none for IGNORED; `message`; and
    /// `message_handle_start` when the publish-to-handle delay is known and not zero.
    public static func metrics(for result: MessageHandlingResult) -> [DogStatsDMetric] {
        guard result.kind != .ignored else { return [] }
        let tags = [PubSubMetricsSwitch.sourceTag, "result:\(result.kind)", "media-type:\(result.mediaType?.rawValue ?? "None")"]
        var metrics = [DogStatsDMetric.histogram("message", PubSubMetricsSwitch.milliseconds(result.elapsed), tags: tags)]
        if let delay = result.publishToHandleDelay, delay != 0 {
            metrics.append(.histogram("message_handle_start", delay, tags: tags))
        }
        return metrics
    }
}
