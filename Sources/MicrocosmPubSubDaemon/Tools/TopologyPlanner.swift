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
        var run = Run(planner: self, applying: false, progress: { _ in })
        try await run.all()
        return TopologyPlan(changes: run.changes, notes: topology.notes, applied: false)
    }

    /// Makes what differs as the topology needs it; returns what was done. `progress` gets each
    /// resource as soon as it is done, so a caller can show how far an apply got when one fails.
    public func apply(progress: @escaping @Sendable (TopologyChange) -> Void = { _ in }) async throws -> TopologyPlan {
        var run = Run(planner: self, applying: true, progress: progress)
        try await run.all()
        return TopologyPlan(changes: run.changes, notes: topology.notes, applied: true)
    }

    /// One plan or apply: the resources in order, each step reading what the ones before found.
    private struct Run {
        let planner: TopologyPlanner
        let applying: Bool
        let progress: @Sendable (TopologyChange) -> Void
        var changes: [TopologyChange] = []
        var existingTopics = Set<String>()
        var deadLetterArn: String?
        var queueArn = ""
        var queueAttributes: [String: String] = [:]
        var queueCreated = false
        /// Where changes to the queue go; set when applying.
        var queueURL: String?

        var topology: Topology { planner.topology }
        var sns: any SNSAPI { planner.sns }
        var sqs: any SQSAPI { planner.sqs }

        init(planner: TopologyPlanner, applying: Bool, progress: @escaping @Sendable (TopologyChange) -> Void) {
            self.planner = planner
            self.applying = applying
            self.progress = progress
        }

        mutating func all() async throws {
            try await topics()
            try await deadLetterQueue()
            try await queue()
            try await redrivePolicy()
            try await queuePolicy()
            try await subscriptions()
        }

        private mutating func record(_ action: TopologyChange.Action, _ resource: String, _ name: String, detail: String? = nil) {
            let change = TopologyChange(action, resource, name, detail: detail)
            changes.append(change)
            progress(change)
        }

        private mutating func topics() async throws {
            for topicArn in topology.topicArns {
                if try await planner.topicExists(topicArn) {
                    existingTopics.insert(topicArn)
                    record(.fine, "topic", topicArn)
                    continue
                }
                var detail: String?
                if applying {
                    let created = try await sns.createTopic(name: Topology.name(ofArn: topicArn), attributes: [:])
                    existingTopics.insert(created)
                    if created != topicArn { detail = "created as \(created), not the configured ARN" }
                }
                record(.create, "topic", topicArn, detail: detail)
            }
        }

        private mutating func deadLetterQueue() async throws {
            guard let name = topology.deadLetterQueueName else { return }
            if let url = try await planner.findQueueURL(named: name) {
                deadLetterArn = try await planner.readQueueArn(of: url)
                record(.fine, "dead-letter-queue", name)
                return
            }
            var attributes = ["MessageRetentionPeriod": String(TopologyPlanner.deadLetterRetentionSeconds)]
            if name.hasSuffix(".fifo") { attributes["FifoQueue"] = "true" }
            if applying {
                deadLetterArn = try await planner.readQueueArn(of: try await sqs.createQueue(name: name, attributes: attributes))
            } else {
                deadLetterArn = planner.derivedQueueArn(named: name)
            }
            record(.create, "dead-letter-queue", name, detail: TopologyPlanner.describe(attributes))
        }

        /// The `RedrivePolicy` the queue needs, when it has a dead-letter queue.
        private var wantedRedrivePolicy: String? {
            deadLetterArn.map { arn in
                JSONSerializer.compact.string(["deadLetterTargetArn": .string(arn), "maxReceiveCount": .string(String(topology.maxReceiveCount))])
            }
        }

        private mutating func queue() async throws {
            let name = topology.queueName
            if let url = try await planner.findQueueURL(named: name) {
                if applying { queueURL = url }
                queueAttributes = try await sqs.getQueueAttributes(queueURL: url, names: ["QueueArn", "RedrivePolicy", "Policy"])
                queueArn = queueAttributes["QueueArn"] ?? planner.derivedQueueArn(named: name)
                record(.fine, "queue", name)
                return
            }
            var attributes: [String: String] = [:]
            if topology.isFIFO { attributes["FifoQueue"] = "true" }
            queueCreated = true
            if applying {
                var created = attributes
                if let redrivePolicy = wantedRedrivePolicy { created["RedrivePolicy"] = redrivePolicy }
                let url = try await sqs.createQueue(name: name, attributes: created)
                queueURL = url
                queueArn = try await planner.readQueueArn(of: url)
                queueAttributes = ["QueueArn": queueArn]
            } else {
                queueArn = planner.derivedQueueArn(named: name)
            }
            record(.create, "queue", name, detail: attributes.isEmpty ? nil : TopologyPlanner.describe(attributes))
        }

        private mutating func redrivePolicy() async throws {
            guard let deadLetterArn, let redrivePolicy = wantedRedrivePolicy else { return }
            let wanted = "\(Topology.name(ofArn: deadLetterArn)), maxReceiveCount \(topology.maxReceiveCount)"
            if queueCreated {   // made with the queue
                record(.create, "redrive-policy", topology.queueName, detail: wanted)
                return
            }
            let current = TopologyPlanner.redrive(queueAttributes["RedrivePolicy"])
            if current?.target == deadLetterArn, current?.maxReceiveCount == topology.maxReceiveCount {
                record(.fine, "redrive-policy", topology.queueName)
                return
            }
            let was = current.map { "\(Topology.name(ofArn: $0.target)), maxReceiveCount \($0.maxReceiveCount.map(String.init) ?? "?")" }
            if let queueURL { try await sqs.setQueueAttributes(queueURL: queueURL, attributes: ["RedrivePolicy": redrivePolicy]) }
            record(.change, "redrive-policy", topology.queueName, detail: "\(was ?? "none") -> \(wanted)")
        }

        /// The queue's `Policy` lets the subscribed topics send.
        private mutating func queuePolicy() async throws {
            let senders = topology.subscriptions.map(\.topicArn)
            guard !senders.isEmpty else { return }
            let policy = TopologyQueuePolicy(queueAttributes["Policy"])
            let missing = senders.filter { !policy.allows(topicArn: $0) }
            guard !missing.isEmpty else {
                record(.fine, "queue-policy", topology.queueName)
                return
            }
            if let queueURL {
                try await sqs.setQueueAttributes(queueURL: queueURL, attributes: ["Policy": policy.adding(topicArns: senders, queueArn: queueArn)])
            }
            record(policy.statements.isEmpty ? .create : .change, "queue-policy", topology.queueName,
                   detail: "allow sns.amazonaws.com to send from " + missing.map(Topology.name(ofArn:)).joined(separator: ", "))
        }

        private mutating func subscriptions() async throws {
            for subscription in topology.subscriptions {
                let name = "\(Topology.name(ofArn: subscription.topicArn)) -> \(topology.queueName)"
                let queueArn = queueArn
                let existing = existingTopics.contains(subscription.topicArn)
                    ? try await sns.listSubscriptionsByTopic(topicArn: subscription.topicArn).first { $0.protocol == "sqs" && $0.endpoint == queueArn }
                    : nil
                guard let existing else {
                    var attributes: [String: String] = [:]
                    if subscription.rawMessageDelivery == true { attributes["RawMessageDelivery"] = "true" }
                    if topology.managesFilterPolicy, let filter = subscription.filterPolicy { attributes["FilterPolicy"] = filter }
                    if applying {
                        _ = try await sns.subscribe(topicArn: subscription.topicArn, protocol: "sqs", endpoint: queueArn, attributes: attributes)
                    }
                    record(.create, "subscription", name, detail: attributes.isEmpty ? nil : TopologyPlanner.describe(attributes))
                    continue
                }
                guard existing.subscriptionArn.hasPrefix("arn:") else {   // `PendingConfirmation`: nothing to read yet
                    record(.fine, "subscription", name, detail: existing.subscriptionArn)
                    continue
                }
                let differences = TopologyPlanner.differences(subscription, managesFilterPolicy: topology.managesFilterPolicy,
                                                              attributes: try await sns.getSubscriptionAttributes(subscriptionArn: existing.subscriptionArn))
                guard !differences.isEmpty else {
                    record(.fine, "subscription", name)
                    continue
                }
                if applying {
                    for difference in differences {
                        try await sns.setSubscriptionAttribute(subscriptionArn: existing.subscriptionArn, name: difference.name, value: difference.value)
                    }
                }
                record(.change, "subscription", name, detail: differences.map { "\($0.name) \($0.from) -> \($0.to)" }.joined(separator: "; "))
            }
        }
    }

    /// How an existing subscription's `attributes` differ from `subscription`: per attribute, its
    /// value now and as needed (for display), and the value to set.
    private static func differences(_ subscription: Topology.Subscription, managesFilterPolicy: Bool,
                                    attributes: [String: String]) -> [(name: String, from: String, to: String, value: String)] {
        var differences: [(name: String, from: String, to: String, value: String)] = []
        let raw = attributes["RawMessageDelivery"]?.lowercased() == "true"
        if let wanted = subscription.rawMessageDelivery, raw != wanted {
            differences.append(("RawMessageDelivery", String(raw), String(wanted), String(wanted)))
        }
        guard managesFilterPolicy else { return differences }
        let current = filterPolicy(attributes["FilterPolicy"])
        if current != subscription.filterPolicy {
            // `{}` removes a filter policy (SNS's documented way).
            differences.append(("FilterPolicy", current ?? "none", subscription.filterPolicy ?? "none", subscription.filterPolicy ?? "{}"))
        }
        if subscription.filterPolicy != nil, let scope = attributes["FilterPolicyScope"], scope != "MessageAttributes" {
            differences.append(("FilterPolicyScope", scope, "MessageAttributes", "MessageAttributes"))
        }
        return differences
    }

    // MARK: - Reading

    /// True when the topic exists (GetTopicAttributes answers; `NotFound` means it does not).
    fileprivate func topicExists(_ topicArn: String) async throws -> Bool {
        do {
            _ = try await sns.getTopicAttributes(topicArn: topicArn)
            return true
        } catch let error as AWSError where error.code == "NotFound" {
            return false
        }
    }

    /// The URL of the queue named `name`, or nil when there is none.
    fileprivate func findQueueURL(named name: String) async throws -> String? {
        do {
            return try await sqs.getQueueURL(queueName: name)
        } catch let error as AWSError where error.code == "AWS.SimpleQueueService.NonExistentQueue" || error.code == "QueueDoesNotExist" {
            return nil
        }
    }

    /// The queue's ARN, as SQS reports it.
    fileprivate func readQueueArn(of queueURL: String) async throws -> String {
        guard let arn = try await sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn"])["QueueArn"], !arn.isEmpty else {
            throw AWSError(code: "MissingQueueArn", message: "GetQueueAttributes reported no QueueArn for \(queueURL)", statusCode: 200,
                           service: "SQS", action: "GetQueueAttributes")
        }
        return arn
    }

    /// The ARN a queue named `name` would have: partition, region and account from the configured
    /// queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`) or else the topics.
    fileprivate func derivedQueueArn(named name: String) -> String {
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
    fileprivate static func redrive(_ text: String?) -> (target: String, maxReceiveCount: Int?)? {
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
    fileprivate static func describe(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
