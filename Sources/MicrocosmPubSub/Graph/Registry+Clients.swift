import Microcosm
import MicrocosmAWS
import MicrocosmInMemoryBroker

extension BindingKey where Component == any HTTPTransport {
    /// `aws_transport`: the HTTP transport every AWS client of the graph shares; its connect timeout is
    /// `sns_producer.connect_timeout` (microcosm-pubsub's key, 60 s by default, 0.001 to 86400).
    public static var awsTransport: Self { Self("aws_transport") }
}

extension BindingKey where Component == InMemoryBroker {
    /// `pubsub_broker`: the graph's in-memory SNS/SQS, used when testing or with `endpoint_url: "memory://"`.
    public static var pubsubBroker: Self { Self("pubsub_broker") }
}

extension BindingKey where Component == AWSUsageMeter {
    /// `aws_usage_meter`: counts the requests of the graph's `sns_client` and `sqs_client` (real or in-memory).
    public static var awsUsageMeter: Self { Self("aws_usage_meter") }
}

extension BindingKey where Component == any SNSAPI {
    /// `sns_client`: SNS as configured by section `sns_producer` (real, or the in-memory broker).
    public static var snsClient: Self { Self("sns_client") }
}

extension BindingKey where Component == any SQSAPI {
    /// `sqs_client`: SQS as configured by section `sqs_consumer` (real, or the in-memory broker).
    public static var sqsClient: Self { Self("sqs_client") }
}

extension Registry {
    /// The endpoint that selects the in-memory broker instead of AWS.
    public static let memoryEndpoint = "memory://"

    /// Timeouts from configuration: positive, at most a day.
    static let timeoutRange: ClosedRange<Double> = 0.001...86_400

    /// Binds `aws_transport`, `aws_usage_meter`, `pubsub_broker`, `sns_client` and `sqs_client`.
    ///
    /// A client is the in-memory broker's when the graph is testing or its section's `endpoint_url`
    /// is `memory://`; otherwise it is a real client whose region, endpoint and credentials come from
    /// its section's `endpoint_url` / `region_name` / `profile_name` and the environment, as in botocore.
    /// Each request may take the section's `read_timeout` seconds; the STS call of web-identity
    /// credentials, `sts_timeout` seconds (instance and container metadata calls are bounded by
    /// `AWS_METADATA_SERVICE_TIMEOUT` / `AWS_METADATA_SERVICE_NUM_ATTEMPTS`, as in botocore).
    /// Both clients count their requests in `aws_usage_meter`.
    mutating func bindClients() {
        bind(.awsUsageMeter) { _ in AWSUsageMeter() }
        bind(.awsTransport) { graph -> any HTTPTransport in
            CurlTransport(connectTimeout: try graph.config.seconds("sns_producer.connect_timeout", in: Registry.timeoutRange, default: 60))
        }
        bind(.pubsubBroker) { graph in
            // Only tests read the record of publications (a long-running embedded broker must not grow
            // it), and only tests publish to topics nobody created (as Python tests do with a mock).
            // Its ARNs and queue URLs are in the region and account of the configured topic ARNs, so
            // the topics a daemon creates at start-up are the ones its producer publishes to.
            let topology = EmbeddedTopology(graph.config)
            return InMemoryBroker(region: topology.region ?? "us-east-1", accountId: topology.accountId ?? "123456789012",
                                  recordsPublications: graph.metadata.testing, createsTopicsOnPublish: graph.metadata.testing)
        }
        bind(.snsClient) { graph -> any SNSAPI in
            let section = try graph.config.section("sns_producer")
            let meter = try graph.resolve(.awsUsageMeter)
            if try Registry.usesMemory(section, graph: graph) { return InMemorySNS(broker: try graph.resolve(.pubsubBroker), usageMeter: meter) }
            let settings = try Registry.settings(service: "sns", section: section, graph: graph)
            return try SNSClient(settings: settings, transport: try graph.resolve(.awsTransport), logger: graph.logger,
                                 readTimeout: try section.seconds("read_timeout", in: Registry.timeoutRange, default: 60), usageMeter: meter)
        }
        bind(.sqsClient) { graph -> any SQSAPI in
            let section = try graph.config.section("sqs_consumer")
            let meter = try graph.resolve(.awsUsageMeter)
            if try Registry.usesMemory(section, graph: graph) { return InMemorySQS(broker: try graph.resolve(.pubsubBroker), usageMeter: meter) }
            let settings = try Registry.settings(service: "sqs", section: section, graph: graph)
            return try SQSClient(settings: settings, transport: try graph.resolve(.awsTransport), logger: graph.logger,
                                 readTimeout: try section.seconds("read_timeout", in: Registry.timeoutRange, default: 60), usageMeter: meter)
        }
    }

    static func usesMemory(_ section: Configuration, graph: Graph) throws -> Bool {
        if graph.metadata.testing { return true }
        return try section.optionalString("endpoint_url")?.hasPrefix(memoryEndpoint) ?? false
    }

    private static func settings(service: String, section: Configuration, graph: Graph) throws -> AWSServiceSettings {
        try AWSServiceSettings.resolve(service: service,
                                       endpointURL: try section.optionalString("endpoint_url"),
                                       regionName: try section.optionalString("region_name"),
                                       profileName: try section.optionalString("profile_name"),
                                       configSection: section.basePath.description,
                                       stsTimeout: try section.seconds("sts_timeout", in: Registry.timeoutRange,
                                                                       default: CredentialTimeouts.defaultSTSTimeout),
                                       transport: try graph.resolve(.awsTransport))
    }
}

extension Graph {
    /// The shared AWS HTTP transport (binding `aws_transport`).
    public var awsTransport: any HTTPTransport { get throws { try resolve(.awsTransport) } }

    /// What the graph's SNS and SQS clients have asked of AWS, as requests and cost (binding `aws_usage_meter`).
    public var awsUsageMeter: AWSUsageMeter { get throws { try resolve(.awsUsageMeter) } }

    /// The in-memory broker (binding `pubsub_broker`).
    public var pubsubBroker: InMemoryBroker { get throws { try resolve(.pubsubBroker) } }

    /// SNS as the producer sees it (binding `sns_client`).
    public var snsClient: any SNSAPI { get throws { try resolve(.snsClient) } }

    /// SQS as the consumer sees it (binding `sqs_client`).
    public var sqsClient: any SQSAPI { get throws { try resolve(.sqsClient) } }
}
