import Microcosm
import MicrocosmAWS
import MicrocosmJSON
import MicrocosmPubSub

/// Compares a ``Topology`` with what exists in SNS and SQS (``plan()``), or makes it exist
/// (``apply()``): topics, the dead-letter queue, the queue, its `RedrivePolicy` and `Policy`, and
/// its subscriptions, in that order. Applying is idempotent and creates or changes; it never
/// deletes a topic, queue or subscription, and keeps the queue policy's other statements.
///
/// ```swift
/// let planner = TopologyPlanner(topology, sns: try graph.snsClient, sqs: try graph.sqsClient)
/// let plan = try await planner.plan()
/// if !plan.differences.isEmpty { _ = try await planner.apply() }
/// ```
public struct TopologyPlanner: Sendable {
    /// The dead-letter queue's `MessageRetentionPeriod` when it is created: 14 days, the most SQS
    /// allows (AWS advises a dead-letter queue to keep messages longer than its source queue).
    public static let deadLetterRetentionSeconds = 1_209_600

    /// What must exist.
    public let topology: Topology
    private let sns: any SNSAPI
    private let sqs: any SQSAPI

    /// A planner for `topology` talking to `sns` and `sqs`.
    public init(_ topology: Topology, sns: any SNSAPI, sqs: any SQSAPI) {
        self.topology = topology
        self.sns = sns
        self.sqs = sqs
    }

    /// What differs, changing nothing.
    public func plan() async throws -> TopologyPlan {
        try await run(apply: false)
    }

    /// Makes what differs as the topology needs it; returns what was done.
    public func apply() async throws -> TopologyPlan {
        try await run(apply: true)
    }

    private func run(apply: Bool) async throws -> TopologyPlan {
        var changes: [TopologyChange] = []
        let topology = topology

        // Topics.
        var existingTopics = Set<String>()
        for topicArn in topology.topicArns {
            if try await topicExists(topicArn) {
                existingTopics.insert(topicArn)
                changes.append(TopologyChange(.fine, "topic", topicArn))
                continue
            }
            var detail: String?
            if apply {
                let created = try await sns.createTopic(name: Topology.name(ofArn: topicArn), attributes: [:])
                existingTopics.insert(created)
                if created != topicArn { detail = "created as \(created), not the configured ARN" }
            }
            changes.append(TopologyChange(.create, "topic", topicArn, detail: detail))
        }

        // The dead-letter queue.
        var deadLetterArn: String?
        if let name = topology.deadLetterQueueName {
            if let url = try await findQueueURL(named: name) {
                deadLetterArn = try await readQueueArn(of: url)
                changes.append(TopologyChange(.fine, "dead-letter-queue", name))
            } else {
                var attributes = ["MessageRetentionPeriod": String(Self.deadLetterRetentionSeconds)]
                if name.hasSuffix(".fifo") { attributes["FifoQueue"] = "true" }
                if apply {
                    deadLetterArn = try await readQueueArn(of: try await sqs.createQueue(name: name, attributes: attributes))
                } else {
                    deadLetterArn = derivedQueueArn(named: name)
                }
                changes.append(TopologyChange(.create, "dead-letter-queue", name, detail: Self.describe(attributes)))
            }
        }

        // The queue.
        let redrivePolicy = deadLetterArn.map { arn -> String in
            JSONSerializer.compact.string(["deadLetterTargetArn": .string(arn), "maxReceiveCount": .string(String(topology.maxReceiveCount))])
        }
        var queueAttributes: [String: String] = [:]
        let queueArn: String
        var queueCreated = false
        var queueURL: String?   // set when applying: where changes go
        if let url = try await findQueueURL(named: topology.queueName) {
            if apply { queueURL = url }
            queueAttributes = try await sqs.getQueueAttributes(queueURL: url, names: ["QueueArn", "RedrivePolicy", "Policy"])
            queueArn = queueAttributes["QueueArn"] ?? derivedQueueArn(named: topology.queueName)
            changes.append(TopologyChange(.fine, "queue", topology.queueName))
        } else {
            var attributes: [String: String] = [:]
            if topology.isFIFO { attributes["FifoQueue"] = "true" }
            if apply {
                var created = attributes
                if let redrivePolicy { created["RedrivePolicy"] = redrivePolicy }
                let url = try await sqs.createQueue(name: topology.queueName, attributes: created)
                queueArn = try await readQueueArn(of: url)
                queueAttributes = ["QueueArn": queueArn, "RedrivePolicy": created["RedrivePolicy"] ?? ""]
                queueURL = url
            } else {
                queueArn = derivedQueueArn(named: topology.queueName)
            }
            queueCreated = true
            changes.append(TopologyChange(.create, "queue", topology.queueName, detail: attributes.isEmpty ? nil : Self.describe(attributes)))
        }

        // Its RedrivePolicy.
        if let deadLetterArn, let redrivePolicy {
            let current = Self.redrive(queueAttributes["RedrivePolicy"])
            let wanted = "\(Topology.name(ofArn: deadLetterArn)), maxReceiveCount \(topology.maxReceiveCount)"
            if queueCreated {
                changes.append(TopologyChange(.create, "redrive-policy", topology.queueName, detail: wanted))
            } else if current?.target == deadLetterArn, current?.maxReceiveCount == topology.maxReceiveCount {
                changes.append(TopologyChange(.fine, "redrive-policy", topology.queueName))
            } else {
                let was = current.map { "\(Topology.name(ofArn: $0.target)), maxReceiveCount \($0.maxReceiveCount.map(String.init) ?? "?")" }
                if let queueURL { try await sqs.setQueueAttributes(queueURL: queueURL, attributes: ["RedrivePolicy": redrivePolicy]) }
                changes.append(TopologyChange(.change, "redrive-policy", topology.queueName, detail: "\(was ?? "none") -> \(wanted)"))
            }
        }

        // Its Policy: the subscribed topics may send.
        let senders = topology.subscriptions.map(\.topicArn)
        if !senders.isEmpty {
            let policy = TopologyQueuePolicy(queueAttributes["Policy"])
            let missing = senders.filter { !policy.allows(topicArn: $0) }
            if missing.isEmpty {
                changes.append(TopologyChange(.fine, "queue-policy", topology.queueName))
            } else {
                if let queueURL {
                    try await sqs.setQueueAttributes(queueURL: queueURL, attributes: ["Policy": policy.adding(topicArns: senders, queueArn: queueArn)])
                }
                let detail = "allow sns.amazonaws.com to send from " + missing.map(Topology.name(ofArn:)).joined(separator: ", ")
                changes.append(TopologyChange(policy.statements.isEmpty ? .create : .change, "queue-policy", topology.queueName, detail: detail))
            }
        }

        // The subscriptions.
        for subscription in topology.subscriptions {
            let name = "\(Topology.name(ofArn: subscription.topicArn)) -> \(topology.queueName)"
            let existing = existingTopics.contains(subscription.topicArn)
                ? try await sns.listSubscriptionsByTopic(topicArn: subscription.topicArn).first { $0.protocol == "sqs" && $0.endpoint == queueArn }
                : nil
            guard let existing else {
                var attributes: [String: String] = [:]
                if subscription.rawMessageDelivery == true { attributes["RawMessageDelivery"] = "true" }
                if topology.managesFilterPolicy, let filter = subscription.filterPolicy { attributes["FilterPolicy"] = filter }
                if apply {
                    _ = try await sns.subscribe(topicArn: subscription.topicArn, protocol: "sqs", endpoint: queueArn, attributes: attributes)
                }
                changes.append(TopologyChange(.create, "subscription", name, detail: attributes.isEmpty ? nil : Self.describe(attributes)))
                continue
            }
            guard existing.subscriptionArn.hasPrefix("arn:") else {   // `PendingConfirmation`: nothing to read yet
                changes.append(TopologyChange(.fine, "subscription", name, detail: existing.subscriptionArn))
                continue
            }
            let attributes = try await sns.getSubscriptionAttributes(subscriptionArn: existing.subscriptionArn)
            var differences: [(name: String, from: String, to: String)] = []
            let raw = attributes["RawMessageDelivery"]?.lowercased() == "true"
            if let wanted = subscription.rawMessageDelivery, raw != wanted {
                differences.append(("RawMessageDelivery", String(raw), String(wanted)))
            }
            if topology.managesFilterPolicy {
                let current = Self.filterPolicy(attributes["FilterPolicy"])
                if current != subscription.filterPolicy {
                    differences.append(("FilterPolicy", current ?? "none", subscription.filterPolicy ?? "none"))
                }
                if subscription.filterPolicy != nil, let scope = attributes["FilterPolicyScope"], scope != "MessageAttributes" {
                    differences.append(("FilterPolicyScope", scope, "MessageAttributes"))
                }
            }
            if differences.isEmpty {
                changes.append(TopologyChange(.fine, "subscription", name))
                continue
            }
            if apply {
                for difference in differences {
                    // `{}` removes a filter policy (SNS's documented way).
                    let value = difference.name == "FilterPolicy" ? subscription.filterPolicy ?? "{}" : difference.to
                    try await sns.setSubscriptionAttribute(subscriptionArn: existing.subscriptionArn, name: difference.name, value: value)
                }
            }
            changes.append(TopologyChange(.change, "subscription", name,
                                          detail: differences.map { "\($0.name) \($0.from) -> \($0.to)" }.joined(separator: "; ")))
        }
        return TopologyPlan(changes: changes, notes: topology.notes, applied: apply)
    }

    // MARK: - Reading

    /// True when the topic exists (GetTopicAttributes answers; `NotFound` means it does not).
    private func topicExists(_ topicArn: String) async throws -> Bool {
        do {
            _ = try await sns.getTopicAttributes(topicArn: topicArn)
            return true
        } catch let error as AWSError where error.code == "NotFound" {
            return false
        }
    }

    /// The URL of the queue named `name`, or nil when there is none.
    private func findQueueURL(named name: String) async throws -> String? {
        do {
            return try await sqs.getQueueURL(queueName: name)
        } catch let error as AWSError where error.code == "AWS.SimpleQueueService.NonExistentQueue" || error.code == "QueueDoesNotExist" {
            return nil
        }
    }

    /// The queue's ARN, as SQS reports it.
    private func readQueueArn(of queueURL: String) async throws -> String {
        guard let arn = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"], !arn.isEmpty else {
            throw AWSError(code: "MissingQueueArn", message: "GetQueueAttributes reported no QueueArn for \(queueURL)", statusCode: 200,
                           service: "SQS", action: "GetQueueAttributes")
        }
        return arn
    }

    /// The ARN a queue named `name` would have: partition, region and account from the configured
    /// queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`) or else the topics.
    private func derivedQueueArn(named name: String) -> String {
        let topicParts = topology.topicArns.first.map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        let partition = topicParts.count == 6 ? topicParts[1] : "aws"
        let pieces = topology.queueURL.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let host = pieces.count > 1 ? pieces[1].split(separator: ":").first.map(String.init) ?? "" : ""
        let labels = host.split(separator: ".").map(String.init)
        var region = topicParts.count == 6 ? topicParts[3] : "us-east-1"
        if labels.count >= 2, labels[0] == "sqs" { region = labels[1] } else if labels.count >= 2, labels[1] == "queue" { region = labels[0] }
        let account = pieces.count >= 3 ? pieces[pieces.count - 2] : (topicParts.count == 6 ? topicParts[4] : "")
        return "arn:\(partition):sqs:\(region):\(account):\(name)"
    }

    /// A `RedrivePolicy`'s target and count (the count may be a number or text).
    private static func redrive(_ text: String?) -> (target: String, maxReceiveCount: Int?)? {
        guard let text, !text.isEmpty, case .object(let object)? = try? JSONParser.parse(text),
              let target = object["deadLetterTargetArn"]?.stringValue else { return nil }
        return (target, object["maxReceiveCount"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } })
    }

    /// A subscription's `FilterPolicy` in canonical form; nil for none (absent, empty or `{}`).
    private static func filterPolicy(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = try? JSONParser.parse(text) else { return text }
        if case .object(let object) = value, object.isEmpty { return nil }
        return Topology.canonical(value)
    }

    /// `Name value, Name value`, sorted by name.
    private static func describe(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
