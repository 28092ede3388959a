#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Microcosm

extension DogStatsDClient {
    /// The constant tags microcosm-metrics gives its client, then those Datadog's Python client
    /// adds from the environment:
    ///
    /// 1. `service:<METRICS_NAME, else the graph's name>`;
    /// 2. `environment:<MICROCOSM_ENVIRONMENT, or "undefined" when unset or empty>`;
    /// 3. the configured tags (`metrics.tags`);
    /// 4. `DATADOG_TAGS` (comma-separated), then `dd.internal.entity_id:<DD_ENTITY_ID>`,
    ///    `env:<DD_ENV>`, `service:<DD_SERVICE>`, `version:<DD_VERSION>` for those set and not empty.
    ///
    /// ```swift
    /// DogStatsDClient.constantTags(serviceName: "things", configTags: ["team:core"], environment: ["MICROCOSM_ENVIRONMENT": "prod"])
    /// // ["service:things", "environment:prod", "team:core"]
    /// ```
    public static func constantTags(serviceName: String, configTags: [String], environment: [String: String]) -> [String] {
        var tags = ["service:" + (environment["METRICS_NAME"] ?? serviceName),
                    "environment:" + (environment["MICROCOSM_ENVIRONMENT"].flatMap { $0.isEmpty ? nil : $0 } ?? "undefined")]
        tags += configTags
        tags += (environment["DATADOG_TAGS"] ?? "").split(separator: ",").map(String.init)
        for (variable, name) in [("DD_ENTITY_ID", "dd.internal.entity_id"), ("DD_ENV", "env"), ("DD_SERVICE", "service"),
                                 ("DD_VERSION", "version")] {
            if let value = environment[variable], !value.isEmpty { tags.append("\(name):\(value)") }
        }
        return tags
    }

    /// The `metrics` client of `graph`, as microcosm-metrics' `configure_metrics` makes it: config
    /// `metrics.host` (default `localhost`), `metrics.port` (8125), `metrics.tags` ([]), and the
    /// constant tags of ``constantTags(serviceName:configTags:environment:)``.
    ///
    /// A testing graph gets a ``recording(host:port:constantTags:)`` client (microcosm-metrics
    /// binds a mock there), and `DD_DOGSTATSD_DISABLE=true` gives a client that sends nothing.
    ///
    /// - Throws: ``DogStatsDError`` naming `metrics.host` or `metrics.port` (and their environment
    ///   variables) when the host does not resolve or the port is out of range.
    public convenience init(graph: Graph, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let section = try graph.config.section("metrics")
        let host = try section.string("host")
        let port = try section.int("port")
        let tags = DogStatsDClient.constantTags(serviceName: graph.metadata.name, configTags: try section.list("tags"),
                                                environment: environment)
        if graph.config.value(at: "datadog_statsd") != nil {
            graph.logger.warning("Config section datadog_statsd is not read: microcosm-metrics reads metrics.host, metrics.port and metrics.tags")
        }
        if graph.metadata.testing {
            self.init(recordingTo: host, port: port, constantTags: tags)
        } else if ["True", "true", "yes", "1"].contains(environment["DD_DOGSTATSD_DISABLE"] ?? "") {
            self.init(sendingNothingTo: host, port: port, constantTags: tags)
        } else {
            try self.init(host: host, port: port, constantTags: tags, logger: graph.logger,
                          environmentPrefix: graph.metadata.environmentPrefix)
        }
    }
}
