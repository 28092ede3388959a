import Microcosm
import MicrocosmAWS

extension BindingKey where Component == SNSTopicArns {
    /// `sns_topic_arns`: the topic of each media type (config `default`, `mappings`, `created`/`changed`/`deleted`).
    public static var snsTopicArns: Self { Self("sns_topic_arns") }
}

extension BindingKey where Component == SNSProducer {
    /// `sns_producer`: publishes messages to SNS (config section `sns_producer`).
    public static var snsProducer: Self { Self("sns_producer") }
}

extension Registry {
    /// Binds `sns_topic_arns` and `sns_producer` with microcosm-pubsub's defaults.
    ///
    /// `sns_producer.skip` unset (null) means the graph's `debug`; otherwise it is a boolean
    /// (`true`/`false`/`yes`/`no`/`on`/`off`/`1`/`0`). A skipping producer does not build `sns_client`,
    /// so a debug service needs no AWS region or credentials.
    mutating func bindProducer() {
        bind(.snsTopicArns, defaults: [
            "default": .typed(.string, default: nil),
            "mappings": .typed(.object, default: [:]),
            "created": .typed(.object, default: nil),
            "changed": .typed(.object, default: nil),
            "deleted": .typed(.object, default: nil),
        ]) { graph in
            try SNSTopicArns(config: try graph.config.section("sns_topic_arns"))
        }
        bind(.snsProducer, defaults: [
            "profile_name": .typed(.string, default: nil),
            "region_name": .typed(.string, default: nil),
            "endpoint_url": .typed(.string, default: nil),
            "skip": .typed(.bool, default: .null),
            "deferred_batch_size": .typed(.int(in: 1...Int.max), default: 100),
            "connect_timeout": .typed(.int(in: 1...86_400), default: 60),
            "read_timeout": .typed(.int(in: 1...86_400), default: 60),
            "sts_timeout": .typed(.seconds(in: Registry.timeoutRange), default: .double(CredentialTimeouts.defaultSTSTimeout)),
            "fifo": ["message_group_id_field": "uri", "message_group_id": nil, "deduplication_id_field": nil, "mappings": [:]],
        ]) { graph in
            let section = try graph.config.section("sns_producer")
            let skip = try section.optional("skip", as: .bool)?.boolValue ?? graph.metadata.debug
            let batchSize = try section.int("deferred_batch_size", in: 1...Int.max)
            let metrics = skip ? PubSubProducerMetrics(client: nil) : try graph.pubsubProducerMetrics
            var onPublish: (@Sendable (PublishOutcome) -> Void)?
            if metrics.isEnabled { onPublish = { outcome in metrics(outcome) } }
            return SNSProducer(client: skip ? nil : try graph.snsClient, topicArns: try graph.snsTopicArns,
                               schemaRegistry: try graph.pubsubMessageSchemaRegistry, opaque: graph.opaque, logger: graph.logger,
                               skip: skip, deferredBatchSize: batchSize, now: SNSProducer.systemTime,
                               fifo: try SNSFIFOSettings(config: try section.section("fifo")), onPublish: onPublish)
        }
    }
}

extension Graph {
    /// The topic of each media type (binding `sns_topic_arns`).
    public var snsTopicArns: SNSTopicArns { get throws { try resolve(.snsTopicArns) } }

    /// The SNS producer (binding `sns_producer`).
    public var snsProducer: SNSProducer { get throws { try resolve(.snsProducer) } }
}
