import MicrocosmJSON

/// A queue's access `Policy` as far as topology needs it: whether it lets an SNS topic send to
/// the queue, and the policy with a statement added that does.
///
/// The statement it adds is the one AWS documents for SNS-to-SQS fan-out: principal service
/// `sns.amazonaws.com`, action `sqs:SendMessage` on the queue, condition `ArnEquals`
/// `aws:SourceArn` the topics. It has the `Sid` ``sid``; other statements are kept as they are.
struct TopologyQueuePolicy {
    /// The `Sid` of the statement topology writes.
    static let sid = "microcosm-pubsub-topics"

    /// The policy's statements.
    private(set) var statements: [JSONValue]
    /// The rest of the policy document (`Version`, `Id`, ...).
    private var document: JSONObject

    /// The policy `text` (nil or empty: none). Text that is not a JSON object counts as no statement.
    init(_ text: String?) {
        guard let text, !text.isEmpty, case .object(let object)? = try? JSONParser.parse(text) else {
            document = ["Version": "2012-10-17"]
            statements = []
            return
        }
        document = object
        switch object["Statement"] {
        case .array(let elements)?: statements = elements
        case .object(let single)?: statements = [.object(single)]
        default: statements = []
        }
    }

    /// True when a statement allows `sns.amazonaws.com` (or everyone) to `sqs:SendMessage` with a
    /// condition the topic `topicArn` meets. A condition this does not understand counts as not met.
    func allows(topicArn: String) -> Bool {
        statements.contains { statement in
            guard case .object(let object) = statement, object["Effect"]?.stringValue == "Allow",
                  Self.principalIsSNS(object["Principal"]),
                  Self.strings(object["Action"]).contains(where: { Self.glob($0.lowercased(), matches: "sqs:sendmessage") }) else {
                return false
            }
            return Self.condition(object["Condition"], isMetBy: topicArn)
        }
    }

    /// The policy with topology's statement allowing `topicArns` (and those it allowed before) to
    /// send to `queueArn`, as JSON.
    func adding(topicArns: [String], queueArn: String) -> String {
        var kept: [JSONValue] = []
        var allowed = Set(topicArns)
        for statement in statements {
            if case .object(let object) = statement, object["Sid"]?.stringValue == Self.sid {
                if case .object(let condition)? = object["Condition"], case .object(let equals)? = condition["ArnEquals"] {
                    allowed.formUnion(Self.strings(equals["aws:SourceArn"]))
                }
            } else {
                kept.append(statement)
            }
        }
        let ours: JSONObject = [
            "Sid": .string(Self.sid), "Effect": "Allow", "Principal": .object(["Service": "sns.amazonaws.com"]),
            "Action": "sqs:SendMessage", "Resource": .string(queueArn),
            "Condition": .object(["ArnEquals": .object(["aws:SourceArn": .array(allowed.sorted().map { .string($0) })])]),
        ]
        var document = document
        document["Statement"] = .array(kept + [.object(ours)])
        return JSONSerializer.compact.string(.object(document))
    }

    private static func principalIsSNS(_ principal: JSONValue?) -> Bool {
        switch principal {
        case .string("*")?: return true
        case .object(let object)?:
            return strings(object["Service"]).contains("sns.amazonaws.com") || strings(object["AWS"]).contains("*")
        default: return false
        }
    }

    /// True when every operator of `condition` is one on `aws:SourceArn` that `topicArn` meets.
    private static func condition(_ condition: JSONValue?, isMetBy topicArn: String) -> Bool {
        guard let condition else { return true }
        guard case .object(let operators) = condition else { return false }
        for (name, value) in operators {
            guard case .object(let keys) = value, keys.count == 1, let key = keys.keys.first,
                  key.lowercased() == "aws:sourcearn" else { return false }
            let patterns = strings(keys[key])
            switch name {
            case "ArnEquals", "StringEquals":
                guard patterns.contains(topicArn) else { return false }
            case "ArnLike", "StringLike":
                guard patterns.contains(where: { glob($0, matches: topicArn) }) else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// A string, or the strings of an array.
    private static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .array(let elements)?: return elements.compactMap(\.stringValue)
        default: return []
        }
    }

    /// IAM's wildcards: `*` any run of characters, `?` one character.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern.unicodeScalars), text = Array(text.unicodeScalars)
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
