import Microcosm
import MicrocosmAWS

extension BindingKey where Component == SQSConsumer {
    /// `sqs_consumer`: the consumer configured by section `sqs_consumer` (Python's keys and defaults).
    public static var sqsConsumer: Self { Self("sqs_consumer") }
}

extension BindingKey where Component == SQSEnvelope {
    /// `sqs_envelope`: how bodies are read, configured by section `sqs_envelope`.
    public static var sqsEnvelope: Self { Self("sqs_envelope") }
}

extension Registry {
    /// Binds `sqs_envelope` and `sqs_consumer` with microcosm-pubsub's config keys and defaults.
    ///
    /// `sqs_consumer`'s source is picked as Python's `configure_sqs_consumer` picks it: a Lambda
    /// event in `sqs_event`, else `sqs_queue_url` = `STDIN`, else a file at `sqs_queue_url`, else the
    /// queue at `sqs_queue_url` through `sqs_client` (the in-memory broker when testing or with
    /// `endpoint_url: memory://`). With none of these the consumer is still made, and consuming
    /// throws ``SQSConsumerError/noQueueURL``.
    mutating func bindConsumer() {
        bind(.sqsEnvelope, defaults: [
            "strategy_name": .typed(.string, default: "CodecSQSEnvelope"),
            "validate_md5": .typed(.bool, default: false),
        ]) { graph in
            let section = try graph.config.section("sqs_envelope")
            return try SQSEnvelope(strategyName: try section.string("strategy_name"), validateMD5: try section.bool("validate_md5"),
                                   schemaRegistry: try graph.pubsubMessageSchemaRegistry)
        }
        bind(.sqsConsumer, defaults: [
            "sqs_queue_url": .typed(.string, default: nil),
            "sqs_event": .typed(.any, default: nil),
            "endpoint_url": .typed(.string, default: nil),
            "profile_name": .typed(.string, default: nil),
            "region_name": .typed(.string, default: nil),
            "backoff_policy": .typed(.string, default: "NaiveBackoffPolicy"),
            "limit": .typed(.int, default: 10),
            "wait_seconds": .typed(.int, default: 1),
            "visibility_timeout_seconds": .typed(.int, default: nil),
            "message_retry_visibility_timeout_seconds": .typed(.int(in: 0...43_200), default: 5),
            "read_timeout": .typed(.seconds(in: Registry.timeoutRange), default: 60),
            "sts_timeout": .typed(.seconds(in: Registry.timeoutRange), default: .double(CredentialTimeouts.defaultSTSTimeout)),
        ]) { graph in
            let section = try graph.config.section("sqs_consumer")
            let backoffPolicy = try BackoffPolicy.named(
                try section.string("backoff_policy"),
                retryTimeout: try section.optionalInt("message_retry_visibility_timeout_seconds", in: 0...43_200))
            let source = try MessageSource.configured(queueURL: try section.optionalString("sqs_queue_url"),
                                                      origin: section.origin(of: "sqs_queue_url"),
                                                      lambdaEvent: section.value(at: "sqs_event")) { try graph.sqsClient }
            let limit = try section.int("limit")
            let waitSeconds = try section.int("wait_seconds")
            let visibilityTimeout = try section.optionalInt("visibility_timeout_seconds")
            try Registry.checkConsumerSettings(section, source: source, limit: limit, waitSeconds: waitSeconds,
                                               visibilityTimeout: visibilityTimeout)
            return SQSConsumer(source: source, envelope: try graph.sqsEnvelope, backoffPolicy: backoffPolicy, limit: limit,
                               waitSeconds: waitSeconds, visibilityTimeout: visibilityTimeout, logger: graph.logger)
        }
    }

    /// Rejects settings SQS would reject on every receive, naming the key and where it was set, before any I/O.
    private static func checkConsumerSettings(_ section: Configuration, source: MessageSource, limit: Int, waitSeconds: Int,
                                              visibilityTimeout: Int?) throws(SQSConsumerError) {
        func invalid(_ key: String, _ value: Int, _ expected: String) -> SQSConsumerError {
            .invalidSetting("sqs_consumer.\(key)", value: value, expected: expected, origin: section.origin(of: ConfigKeyPath([key])))
        }
        guard source.acknowledges else {
            if limit < 1 { throw invalid("limit", limit, "at least 1") }
            return
        }
        if !(1...10).contains(limit) {
            throw invalid("limit", limit, "1...10 (SQS returns at most 10 messages per receive)")
        }
        if !(0...20).contains(waitSeconds) {
            throw invalid("wait_seconds", waitSeconds, "0...20 (SQS long polls up to 20 seconds)")
        }
        if let visibilityTimeout, !(0...43_200).contains(visibilityTimeout) {
            throw invalid("visibility_timeout_seconds", visibilityTimeout, "0...43200 (SQS keeps messages invisible up to 12 hours)")
        }
    }
}

extension Graph {
    /// The consumer (binding `sqs_consumer`).
    public var sqsConsumer: SQSConsumer { get throws { try resolve(.sqsConsumer) } }

    /// The envelope strategy (binding `sqs_envelope`).
    public var sqsEnvelope: SQSEnvelope { get throws { try resolve(.sqsEnvelope) } }
}
