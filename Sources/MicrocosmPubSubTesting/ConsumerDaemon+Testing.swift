import Microcosm
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub
import MicrocosmPubSubDaemon

/// Testing a daemon's handlers without running it.
extension ConsumerDaemon {
    /// A testing graph with this daemon's name, bindings and handlers (microcosm-daemon's
    /// `create_for_testing`): ``Microcosm/Graph/pubsubTesting(name:registry:config:clock:)`` with
    /// ``handlers`` assigned, not locked, so a test can override a binding before the first
    /// ``Microcosm/Graph/dispatch(_:opaqueData:)`` builds the handlers.
    ///
    /// ```swift
    /// let graph = try await OrdersDaemon().testingGraph(config: [
    ///     "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
    /// ])
    /// let result = try await graph.dispatch(OrderCreated(uri: "http://orders/1", total: 25))
    /// ```
    public func testingGraph(config: JSONObject = [:], clock: ManualBrokerClock? = nil) async throws -> Graph {
        let graph = try await Graph.pubsubTesting(name: name, registry: registry, config: config, clock: clock)
        graph.assign(.sqsMessageHandlers, handlers)
        return graph
    }
}
