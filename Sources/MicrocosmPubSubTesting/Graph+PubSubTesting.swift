import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker
import MicrocosmJSON
import MicrocosmPubSub

/// Testing graphs whose in-memory broker is ready for what the configuration names.
extension Graph {
    /// A testing graph (`testing: true`) for pubsub tests: its SNS and SQS are the in-memory broker,
    /// which records every publication, and the topics and queue its configuration names exist.
    ///
    /// - Configuration is the registry's defaults plus `config`, and nothing else: no settings file,
    ///   no environment, so the machine running the tests cannot change them.
    /// - Every topic ARN under `sns_topic_arns` (default, mappings, lifecycle sections) is created.
    /// - The queue of `sqs_consumer.sqs_queue_url`, when it is a URL, is created and subscribed to
    ///   each of those topics (FIFO queues to FIFO topics), with raw delivery when
    ///   `sqs_envelope.strategy_name` is `RawSQSEnvelope`, so what the producer publishes, the
    ///   consumer receives.
    /// - The broker takes its region and account from those ARNs and URL (they must agree), and
    ///   runs on `clock` when one is given.
    ///
    /// Throws ``PubSubTestingError`` for a topic value that is not an ARN or ARNs that disagree, and
    /// whatever the graph throws for bad configuration.
    ///
    /// ```swift
    /// let clock = ManualBrokerClock()
    /// let graph = try await Graph.pubsubTesting(name: "orders", registry: registry, config: [
    ///     "sns_topic_arns": ["default": "arn:aws:sns:us-east-1:123456789012:orders"],
    ///     "sqs_consumer": ["sqs_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/orders-worker"],
    /// ], clock: clock)
    /// try graph.pubsubBroker.faults.fail(.publish, with: AWSError(code: .internalError, message: "boom", statusCode: 500), times: 1)
    /// clock.advance(by: .seconds(30))
    /// ```
    public static func pubsubTesting(name: String = "test", registry: Registry = .pubsub, config: JSONObject = [:],
                                     clock: ManualBrokerClock? = nil) async throws -> Graph {
        let graph = try Graph(name: name, testing: true, registry: registry, loader: .empty, config: config)
        let topology = EmbeddedTopology(graph.config)
        switch topology.problem {
        case .notATopicArn(let value, let key)?: throw PubSubTestingError.badTopicArn(value, key: key)
        case .otherAccount(let value, let key, let expected)?: throw PubSubTestingError.otherAccount(value, key: key, expected: expected)
        case nil: break
        }
        let standard = try graph.pubsubBroker
        let region = topology.region ?? standard.region
        let accountId = topology.accountId ?? topology.queueAccountId ?? standard.accountId
        if clock != nil || region != standard.region || accountId != standard.accountId {
            let broker = InMemoryBroker(region: region, accountId: accountId, clock: clock ?? standard.clock,
                                        recordsPublications: true)
            graph.override(.pubsubBroker) { _ in broker }
        }
        try await topology.create(in: try graph.pubsubBroker, logger: graph.logger)
        return graph
    }
}
