import MicrocosmJSON

/// One resource of a ``Topology`` compared with what exists: to create, to change, or fine.
///
/// ```swift
/// change.line(applied: false)   // "change subscription orders -> orders-daemon (RawMessageDelivery false -> true)"
/// ```
public struct TopologyChange: Sendable, Hashable {
    /// What a resource needs: an open set, compared by value.
    public struct Action: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// `create`, `change`, `fine`.
        public var rawValue: String
        /// The action named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Its name.
        public var description: String { rawValue }
        /// The resource does not exist.
        public static let create = Self(rawValue: "create")
        /// It exists with other settings.
        public static let change = Self(rawValue: "change")
        /// It exists as needed.
        public static let fine = Self(rawValue: "fine")
    }

    /// What it needs.
    public var action: Action
    /// `topic`, `queue`, `dead-letter-queue`, `redrive-policy`, `queue-policy` or `subscription`.
    public var resource: String
    /// The topic ARN, queue name, or `<topic name> -> <queue name>` of a subscription.
    public var name: String
    /// What is created or what changes, from -> to; nil when fine.
    public var detail: String?

    /// A change.
    public init(_ action: Action, _ resource: String, _ name: String, detail: String? = nil) {
        self.action = action
        self.resource = resource
        self.name = name
        self.detail = detail
    }

    /// One line: `create queue orders-daemon`; after an apply, `created`/`changed`.
    public func line(applied: Bool) -> String {
        let verb: String
        switch action {
        case .create: verb = applied ? "created" : "create"
        case .change: verb = applied ? "changed" : "change"
        default: verb = action.rawValue
        }
        return verb.padded(toLength: applied ? 7 : 6) + " \(resource) \(name)"
            + (detail.map { " (\($0))" } ?? "")
    }
}

/// What ``TopologyPlanner`` found (a plan) or did (an apply): one ``TopologyChange`` per resource,
/// in the order they are made, and notes.
public struct TopologyPlan: Sendable, Hashable {
    /// Every resource, fine ones included.
    public var changes: [TopologyChange]
    /// What the topology could not express (media types without a topic, a filter left out, ...).
    public var notes: [String]
    /// True when the changes were made.
    public var applied: Bool

    /// The resources that are not fine.
    public var differences: [TopologyChange] { changes.filter { $0.action != .fine } }

    /// One line per resource, then `note: ...` lines.
    public var lines: [String] {
        changes.map { $0.line(applied: applied) } + notes.map { "note: \($0)" }
    }

    /// The plan as JSON: `{"service", "queue_url", "applied", "differences", "changes": [{"action",
    /// "resource", "name", "detail"}], "notes"}`.
    public func json(service: String, queueURL: String) -> String {
        let changes: [JSONValue] = changes.map { change in
            var object: JSONObject = ["action": .string(change.action.rawValue), "resource": .string(change.resource),
                                      "name": .string(change.name)]
            if let detail = change.detail { object["detail"] = .string(detail) }
            return .object(object)
        }
        let object: JSONObject = [
            "service": .string(service), "queue_url": .string(queueURL), "applied": .bool(applied),
            "differences": .int(differences.count), "changes": .array(changes), "notes": .array(notes.map { .string($0) }),
        ]
        return JSONSerializer(itemSeparator: ",", keySeparator: ": ", indent: 2).string(.object(object))
    }
}
