import Microcosm
import MicrocosmPubSub

/// The daemon's start-up check (`topology.check_at_start_up: true`): plans its topology and logs
/// one warning per difference. It never stops the daemon from starting: a failure to check is a
/// warning too. On the in-memory broker there is nothing to check (the daemon creates its
/// topology there itself).
enum TopologyCheck {
    static func atStartUp(_ daemon: some ConsumerDaemon, graph: Graph) async {
        let logger = graph.logger
        do {
            guard try graph.config.optional("topology.check_at_start_up", as: .bool)?.boolValue == true else { return }
            guard !graph.metadata.testing, try !usesMemory(graph.config) else { return }
            let topology = Topology(settings: try TopologySettings(config: graph.config), handling: daemon.handlers.mediaTypes)
            let plan = try await TopologyPlanner(topology, sns: try graph.snsClient, sqs: try graph.sqsClient).plan()
            let differences = plan.differences
            guard !differences.isEmpty else {
                logger.info("topology: \(plan.changes.count) resources as needed")
                return
            }
            for difference in differences {
                logger.warning("topology differs: \(difference.line(applied: false)) (`\(daemon.name) topology apply` makes it so)")
            }
        } catch {
            logger.warning("topology: cannot check at start-up: \(error)")
        }
    }

    private static func usesMemory(_ config: Configuration) throws -> Bool {
        try ["sqs_consumer.endpoint_url", "sns_producer.endpoint_url"].contains {
            try config.optionalString(ConfigKeyPath(dotted: $0))?.hasPrefix(Registry.memoryEndpoint) ?? false
        }
    }
}
